"""What the workspace shows on the lead's home (``core.registries.home_cards``)."""

from __future__ import annotations

from . import selectors


def lead_card(request) -> dict:
    """The next huddle and the board's top cards."""
    return {"leadership": selectors.lead_home(request.user)}
