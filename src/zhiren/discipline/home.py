"""What the discipline module shows on the home pages (``core.registries.home_cards``)."""

from __future__ import annotations

from django.utils import timezone

from . import selectors


def lead_card(request) -> dict:
    """Open violations, broken windows and rules in grace, for a team lead."""
    return {"panel": selectors.lead_panel(request.user, timezone.localdate())}
