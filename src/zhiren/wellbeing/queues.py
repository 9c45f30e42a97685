"""Who works when: a complaint or angry-customer queue on a given day, a team on a given day,
and which days are public holidays.

A module that knows (the workforce module, from published schedules and its holiday
calendar) registers feeds in ``zhiren.core.registries.hard_queue_feeds``,
``work_day_feeds`` and ``holiday_feeds`` from its ``AppConfig.ready``. With no hard-queue feed, the agent's position and team stand in:
an agent positioned on complaints, or on a team most of whose active agents are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from zhiren.core.registries import hard_queue_feeds, holiday_feeds, work_day_feeds
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
    """The first registered feed's answer; ``position_proxy`` when none is registered."""
    feeds = hard_queue_feeds.values()
    provider = feeds[0] if feeds else position_proxy
    return provider(agent_ids, days)


def team_work_days(team_id: int, start: date, end: date) -> set[date]:
    """Days from ``start`` to ``end`` on which the team's published schedule has someone working.

    Asks the first feed in ``zhiren.core.registries.work_day_feeds`` (the workforce module
    registers its published schedules); without a feed or a published schedule the set is
    empty and check-ins alone tell which days the team was on the floor.
    """
    feeds = work_day_feeds.values()
    return feeds[0](team_id, start, end) if feeds else set()


def public_holidays(start: date, end: date) -> set[date]:
    """The public holidays' days off from ``start`` to ``end``: the first feed in
    ``zhiren.core.registries.holiday_feeds`` (the workforce module's holiday calendar);
    empty without one."""
    feeds = holiday_feeds.values()
    return feeds[0](start, end) if feeds else set()
