"""What performance contributes to the lead's workspace (``huddle_sources``): yesterday's numbers,
and the team's goals at risk.

Service level, AHT, CSAT and FCR of the team's yesterday against target; the one furthest short
of its target is the number to improve today. Two queries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import HUDDLE_NUMBERS, FactTable, HuddleItem

from .kpis import KPIS, SUM_FIELDS
from .models import DailyStat
from .selectors import target, targets_for

HUDDLE_KPIS = {
    "service_level": gettext_noop("Service level yesterday: %(value)s%% (target %(target)s%%)"),
    "aht": gettext_noop("Average handle time yesterday: %(value)s s (target %(target)s s)"),
    "csat": gettext_noop("Customer satisfaction yesterday: %(value)s%% (target %(target)s%%)"),
    "fcr": gettext_noop("First contact resolution yesterday: %(value)s%% (target %(target)s%%)"),
}


def _shown(value: float, unit: str) -> str:
    return f"{value:.0f}" if unit == "seconds" else f"{value:.1f}"


def huddle_numbers(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    yesterday = timezone.localdate(shift_start) - timedelta(days=1)
    sums = DailyStat.objects.filter(team_id=team_id, day=yesterday).aggregate(
        **{f: Sum(f) for f in SUM_FIELDS}
    )
    targets = targets_for([team_id])
    items: list[tuple[float, HuddleItem]] = []
    for code, text in HUDDLE_KPIS.items():
        kpi = KPIS[code]
        value, goal = kpi.value(sums), target(targets, team_id, code)
        if value is None or goal is None:
            continue
        gap = kpi.gap(value, goal) or 0.0
        item = HuddleItem(
            kind="kpi",
            section=HUDDLE_NUMBERS,
            text=text,
            key=f"performance:{code}",
            params={"value": _shown(value, kpi.unit), "target": _shown(goal, kpi.unit)},
        )
        items.append((gap / goal if goal else gap, item))
    short = [(gap, item) for gap, item in items if gap > 0]
    if short:
        worst = max(short, key=lambda pair: pair[0])[1]
        items = [
            (g, HuddleItem(**{**i.__dict__, "focus": True}) if i is worst else i) for g, i in items
        ]
    return [item for _, item in items]


FACT_KPIS = {
    "service_level": gettext_noop("Service level"),
    "aht": gettext_noop("Average handle time"),
    "csat": gettext_noop("Customer satisfaction"),
    "fcr": gettext_noop("First contact resolution"),
}


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """The period's KPIs against target, and the service level day by day (three queries)."""
    rows = DailyStat.objects.filter(team_id=team_id, day__range=(start, end))
    sums = rows.aggregate(**{f: Sum(f) for f in SUM_FIELDS})
    targets = targets_for([team_id])
    kpi_rows = []
    for code, label in FACT_KPIS.items():
        kpi = KPIS[code]
        value, goal = kpi.value(sums), target(targets, team_id, code)
        if value is None:
            continue
        kpi_rows.append(
            (label, _shown(value, kpi.unit), "" if goal is None else _shown(goal, kpi.unit))
        )
    tables = []
    if kpi_rows:
        tables.append(
            FactTable(
                key="performance:kpis",
                title=gettext_noop("KPIs against target"),
                columns=(gettext_noop("KPI"), gettext_noop("Value"), gettext_noop("Target")),
                rows=tuple(kpi_rows),
            )
        )
    by_day = (
        rows.values("day").annotate(**{f: Sum(f) for f in SUM_FIELDS}).order_by("day")
    )
    sl = KPIS["service_level"]
    days = [
        (d["day"].isoformat(), _shown(v, sl.unit))
        for d in by_day
        if (v := sl.value(d)) is not None
    ]
    if days:
        tables.append(
            FactTable(
                key="performance:service_level",
                title=gettext_noop("Service level by day (%)"),
                columns=(gettext_noop("Day"), gettext_noop("Service level")),
                rows=tuple(days),
                chart=1,
                labels=False,
            )
        )
    return tables


def huddle_goals_at_risk(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """The team's own SMART goals running on the huddle's day and at risk (``goals.status``):
    read out so the team knows where it stands. An agent's goal stays one-to-one. Two queries."""
    from .models import Goal, GoalLevel
    from .selectors import goal_progress

    day = timezone.localdate(shift_start)
    goals = list(
        Goal.objects.filter(
            level=GoalLevel.TEAM, team_id=team_id, start__lte=day, end__gte=day
        ).order_by("end", "pk")
    )
    return [
        HuddleItem(
            kind="goal_at_risk",
            section=HUDDLE_NUMBERS,
            key=f"performance:goal:{row['goal'].pk}",
            text=gettext_noop(
                "Team goal at risk: %(title)s, %(actual)s so far against %(target)s, until %(end)s"
            ),
            params={
                "title": row["goal"].title,
                "actual": str(row["actual_display"]),
                "target": str(row["target_display"]),
                "end": f"{row['goal'].end:%m-%d}",
            },
        )
        for row in goal_progress(goals, day)
        if row["status"] == "at_risk"
    ]
