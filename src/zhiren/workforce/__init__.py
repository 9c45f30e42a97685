"""Workforce management (排班, 现场管理). The pure math lives in ``engine``."""
