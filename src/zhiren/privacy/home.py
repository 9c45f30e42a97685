"""What the privacy module shows on a team lead's home page (``core.registries.home_cards``)."""

from __future__ import annotations

from .selectors import pending_to_decide


def lead_card(request) -> dict:
    """How many correction requests wait for this lead's decision."""
    return {"privacy_pending": pending_to_decide(request.user).count()}
