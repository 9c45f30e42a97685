"""Scoped reads of the privacy pages.

- The export of an agent's data: the agent themselves, or HR for the agents they cover.
- Correction requests: the agent sees their own; HR decides those about the agents they
  cover (every topic: HR also stands in where a team has no lead); a team lead decides
  the ones routed to the lead (schedule, performance, coaching, …) for the teams they lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from zhiren.core.registries import CorrectionTopic, personal_data
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role
from zhiren.org.scoping import NO_ROLE, covers_any, get_or_404, get_visible_or_404

from .models import Approver, CorrectionRequest, CorrectionStatus

EXPORT_ROLES = (Role.HR,)
DECIDE_ALL_ROLES = (Role.HR,)
LEAD_ROLES = (Role.TEAM_LEAD,)


def export_agent(user, pk) -> Agent:
    """The agent whose data the user may export (own record, or HR in scope); 404 otherwise."""
    agents = Agent.objects.select_related("team", "team__site", "user")
    return get_visible_or_404(agents, user, pk, EXPORT_ROLES, own=True)


def is_own(user, agent: Agent) -> bool:
    return load_access(user).own_agent_id == agent.pk


# --- correction topics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    source: str
    source_label: Any
    topic: CorrectionTopic


def topics() -> dict[str, Topic]:
    """Every correction topic of the registered personal-data sources, by key, in source order."""
    found: dict[str, Topic] = {}
    for entry in personal_data.entries():
        for topic in entry.value.corrections:
            found.setdefault(topic.key, Topic(entry.name, entry.value.label, topic))
    return found


# --- correction requests -------------------------------------------------------------------------


def may_decide_any(user) -> bool:
    return covers_any(user, DECIDE_ALL_ROLES) or covers_any(user, LEAD_ROLES)


def decidable_requests(user) -> QuerySet[CorrectionRequest]:
    """Requests the user may decide (any status): HR in scope, or a lead for lead-routed ones.

    Never the user's own: a lead or HR member with an agent record does not decide about themselves.
    """
    base = CorrectionRequest.objects.select_related("agent", "agent__team")
    own_agent_id = load_access(user).own_agent_id
    if own_agent_id:
        base = base.exclude(agent_id=own_agent_id)
    by_hr = base.visible_to(user, DECIDE_ALL_ROLES)
    by_lead = base.filter(approver=Approver.LEAD).visible_to(user, LEAD_ROLES)
    return by_hr | by_lead


def own_requests(user) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.select_related("agent").visible_to(user, NO_ROLE, own=True)


def pending_to_decide(user) -> QuerySet[CorrectionRequest]:
    return decidable_requests(user).filter(status=CorrectionStatus.PENDING).order_by("requested_at", "id")


def recently_decided(user, limit: int = 30) -> list[CorrectionRequest]:
    done = decidable_requests(user).exclude(status=CorrectionStatus.PENDING)
    return list(done.order_by("-decided_at", "-id")[:limit])


def get_request(user, pk) -> tuple[CorrectionRequest, bool]:
    """A request the user may see, and whether they may decide it; 404 otherwise."""
    decidable = decidable_requests(user)
    if decidable.filter(pk=pk).exists():
        return get_or_404(decidable, pk), True
    return get_or_404(own_requests(user), pk), False


def may_decide(user, request: CorrectionRequest) -> bool:
    return decidable_requests(user).filter(pk=request.pk).exists()


def can_apply(asked: CorrectionRequest) -> bool:
    """Whether approving this request can make the change itself (a simple field)."""
    found = topics().get(asked.topic)
    return found is not None and found.topic.apply is not None


def is_agent(user) -> bool:
    return load_access(user).own_agent_id is not None
