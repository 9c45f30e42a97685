"""Who works when: a complaint or angry-customer queue on a given day, a team on a given day.

There is no published schedule yet, so the agent's position and team stand in:
an agent positioned on complaints, or on a team most of whose active agents
are. When the workforce module publishes schedules, point the setting
``WELLBEING_HARD_QUEUE_PROVIDER`` (dotted path) at a function with the same
signature that reads the schedule instead; nothing else changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string

from zhiren.org.models import Agent, AgentStatus, Position

HARD_POSITIONS = frozenset({Position.COMPLAINTS})


def position_proxy(agent_ids: Iterable[int], days: Iterable[date]) -> set[tuple[int, date]]:
    """(agent id, day) pairs on a hard queue, from positions (the same every day). Two queries."""
    ids = set(agent_ids)
    days = list(days)
    if not ids or not days:
        return set()
    rows = list(Agent.objects.filter(pk__in=ids).values_list("pk", "team_id", "position"))
    team_ids = {team_id for _, team_id, _ in rows}
    per_team = Counter()
    hard_per_team = Counter()
    for team_id, position in Agent.objects.filter(
        team_id__in=team_ids, status=AgentStatus.ACTIVE
    ).values_list("team_id", "position"):
        per_team[team_id] += 1
        hard_per_team[team_id] += position in HARD_POSITIONS
    hard_teams = {t for t, n in per_team.items() if hard_per_team[t] * 2 > n}
    hard_agents = {pk for pk, team_id, position in rows
                   if position in HARD_POSITIONS or team_id in hard_teams}
    return {(pk, day) for pk in hard_agents for day in days}


def on_hard_queue(agent_ids: Iterable[int], days: Iterable[date]) -> set[tuple[int, date]]:
    """The configured provider (default: ``position_proxy``)."""
    path = getattr(settings, "WELLBEING_HARD_QUEUE_PROVIDER", None)
    provider = import_string(path) if path else position_proxy
    return provider(agent_ids, days)


def team_work_days(team_id: int, start: date, end: date) -> set[date]:
    """Days from ``start`` to ``end`` on which the team's published schedule has someone working.

    Read from ``WELLBEING_WORK_DAYS_PROVIDER`` (dotted path, same signature); without a
    provider or a published schedule the set is empty and check-ins alone tell which
    days the team was on the floor.
    """
    path = getattr(settings, "WELLBEING_WORK_DAYS_PROVIDER", None)
    return import_string(path)(team_id, start, end) if path else set()
