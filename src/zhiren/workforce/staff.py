"""The workforce of a site as the plans see it: active agents, their queue skills, the site's
rules and shift templates. Reads shared by planning, rosters, requests and the floor.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from zhiren.core.registries import queue_limits
from zhiren.org.models import Agent, AgentStatus

from .models import AgentSkill, Queue, ShiftTemplate, SiteRules


def active_agents(team_ids: list[int]) -> list[Agent]:
    return list(
        Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE)
        .exclude(position__in=("team_lead", "qa", "trainer"))
        .select_related("team")  # the floor and grids show each agent's team
        .order_by("team_id", "employee_no")
    )


def agent_skills(agents: list[Agent], queues: list[Queue]) -> dict[int, tuple[str, ...]]:
    """Queue codes per agent: explicit skills, else the site's queues of the agent's channels."""
    codes = {q.pk: q.code for q in queues}
    explicit: dict[int, list[str]] = defaultdict(list)
    for agent_id, queue_id in AgentSkill.objects.filter(
        agent__in=agents, queue_id__in=codes
    ).values_list("agent_id", "queue_id"):
        explicit[agent_id].append(codes[queue_id])
    out = {}
    for agent in agents:
        skills = explicit.get(agent.pk) or [
            q.code for q in queues if q.channel in (agent.channel_skills or [])
        ]
        out[agent.pk] = tuple(sorted(skills))
    return out


def limited_skills(
    agents: list[Agent], skills: dict[int, tuple[str, ...]], queues: list[Queue], start: date, end: date
) -> tuple[dict[int, tuple[str, ...]], frozenset[int]]:
    """Skills narrowed by ``core.registries.queue_limits`` (e.g. nesting exposure) for the period.

    A limited agent takes exactly the allowed queues the site has (in nesting the cohort's stage
    decides, not the channel); an empty result means no queue. Unlimited agents keep theirs.
    Returns the skills and the ids of the limited agents.
    """
    entries = queue_limits.values()
    if not entries or not agents:
        return skills, frozenset()
    ids = [a.pk for a in agents]
    limits: dict[int, frozenset[str]] = {}
    for fn in entries:
        for agent_id, allowed in fn(ids, start, end).items():
            limits[agent_id] = limits[agent_id] & allowed if agent_id in limits else frozenset(allowed)
    if not limits:
        return skills, frozenset()
    codes = {q.code for q in queues}
    narrowed = {
        agent_id: tuple(sorted(limits[agent_id] & codes)) if agent_id in limits else own
        for agent_id, own in skills.items()
    }
    return narrowed, frozenset(limits)


def site_rules(site_id: int) -> SiteRules:
    """The site's rules, or the defaults (unsaved) for a site that has not set them."""
    rules = SiteRules.objects.filter(site_id=site_id).first()
    return rules or SiteRules(site_id=site_id)


def active_template_names(site_id: int) -> list[str]:
    return list(
        ShiftTemplate.objects.filter(site_id=site_id, active=True).values_list("name", flat=True)
    )
