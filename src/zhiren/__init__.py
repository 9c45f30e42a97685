"""Zhiren (知人): customer-service team management."""

__version__ = "0.1.0"
