"""What the workspace shows on the home pages (``core.registries.home_cards``): the lead's
cockpit, the site manager's view of their leads' boards and requests, the agent's day."""

from __future__ import annotations

from django.utils import timezone

from zhiren.org.access import load_access

from . import selectors, services


def lead_card(request) -> dict:
    """Next huddle, the board's top cards, the team now, today's moods (≥ 5), the day's one
    number (a mood alert's name shown is audit-logged)."""
    data = selectors.lead_home(request.user)
    if data:
        services.log_card_reads(
            request.user, data["top_cards"], purpose="lead's home: board", request=request
        )
    return {"leadership": data}


def manager_card(request) -> dict:
    """Their leads' boards' health and the requests and reports waiting for them."""
    return {"leadership_manager": selectors.manager_home(request.user, timezone.now())}


def agent_card(request) -> dict:
    """The agent's schedule, today's number, praise received and what their lead asked of them."""
    agent_id = load_access(request.user).own_agent_id
    if not agent_id:
        return {}
    return {"leadership_agent": selectors.agent_home(agent_id, timezone.now())}


