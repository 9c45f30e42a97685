"""The published schedule, as other apps read it: the workforce app's public interface.

Other apps (discipline, wellbeing through ``core.registries``) call these and get plain
values (:mod:`zhiren.workforce.schedules`), never workforce models. The pages of the app
read through their own sub-packages' selectors (``planning``, ``drafts``, ``requests``,
``floor``, ``calendar``), which build on these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from zhiren.org.models import Agent

from .dates import tz
from .models import PublishedShift, Queue
from .schedules import PlannedShift, planned_shift


def published_shifts(agent_ids: Iterable[int], start: date, end: date) -> list[PlannedShift]:
    """Published shifts of these agents starting on days ``start``..``end`` (inclusive).

    Ordered by agent then start. Not scoped: callers scope the agent ids. One query.
    """
    ids = list(agent_ids)
    if not ids:
        return []
    zone = tz()
    rows = (
        PublishedShift.objects.filter(agent_id__in=ids, day__range=(start, end), active=True)
        .order_by("agent_id", "day", "start_minute")
        .values_list("agent_id", "day", "start_minute", "end_minute", "activities")
    )
    return [planned_shift(a, d, s, e, acts, zone) for a, d, s, e, acts in rows]


def team_work_days(team_id: int, start: date, end: date) -> set[date]:
    """Days from ``start`` to ``end`` with a published shift for someone on the team. One query.

    The ``work_day_feeds`` entry of workforce: the team mood board shows the days the team works.
    """
    return set(
        PublishedShift.objects.filter(
            agent__team_id=team_id, day__range=(start, end), active=True
        ).values_list("day", flat=True).distinct()
    )


def hard_queue_provider(agent_ids: Iterable[int], days: Iterable[date]) -> set[tuple[int, date]]:
    """(agent, day) pairs scheduled on a complaints queue: the ``hard_queue_feeds`` entry of workforce.

    A queue counts as hard when its code or name mentions complaints (投诉). Where no
    schedule is published for the agent's team on a day, the position proxy of the
    wellbeing module stands in, so early warning keeps working before rosters exist.
    """
    from zhiren.wellbeing.queues import position_proxy

    ids, days = list(agent_ids), list(days)
    if not ids or not days:
        return set()
    hard = set(
        Queue.objects.filter(Q(code__icontains="complaint") | Q(name__contains="投诉")).values_list(
            "code", flat=True
        )
    )
    team_of = dict(Agent.objects.filter(pk__in=ids).values_list("pk", "team_id"))
    scheduled = set(
        PublishedShift.objects.filter(
            agent__team_id__in=set(team_of.values()), day__in=days, active=True
        ).values_list("agent__team_id", "day").distinct()
    )
    out = set()
    for agent_id, day, queues in PublishedShift.objects.filter(
        agent_id__in=ids, day__in=days, active=True
    ).values_list("agent_id", "day", "queues"):
        if hard.intersection(q for q in queues if q):
            out.add((agent_id, day))
    unscheduled = [(a, d) for a in ids for d in days if (team_of.get(a), d) not in scheduled]
    if unscheduled:
        proxy = position_proxy({a for a, _ in unscheduled}, {d for _, d in unscheduled})
        out |= proxy.intersection(unscheduled)
    return out
