"""What the workspace shows on the lead's home (``core.registries.home_cards``)."""

from __future__ import annotations

from . import selectors, services


def lead_card(request) -> dict:
    """The next huddle and the board's top cards (a mood alert's name shown is audit-logged)."""
    data = selectors.lead_home(request.user)
    if data:
        services.log_card_reads(
            request.user, data["top_cards"], purpose="lead's home: board", request=request
        )
    return {"leadership": data}
