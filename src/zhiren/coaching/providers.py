"""Ability inputs from other modules, behind small provider functions.

A provider is ``fn(agents: list[Agent], today: date) -> dict[agent_id, list[AbilityInput]]``,
registered in ``zhiren.core.registries.ability_inputs`` from an ``AppConfig.ready`` (this app
registers ``kpi_inputs``). A provider that finds no data returns nothing for that agent: the
input is shown as missing and the ability may become unknown — never guessed.

``kpi_history`` gives the weekly values of one KPI against its target (improvement plans).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncWeek

from zhiren.core.registries import ability_inputs

from .situational import AbilityInput, kpi_attainment

KPI_WINDOW_DAYS = 30
ABILITY_KPIS = ("csat", "fcr", "resolution_rate", "aht")
QA_KPI = "qa_score"  # used when the performance (or quality) module defines it


def kpi_inputs(agents, today: date) -> dict[int, list[AbilityInput]]:
    """The agent's last 30 days of KPIs against the team's targets (three queries)."""
    try:
        from zhiren.performance import kpis
        from zhiren.performance.models import DailyStat
        from zhiren.performance.selectors import target, targets_for
    except ImportError:  # pragma: no cover - the performance module is optional
        return {}
    agents = list(agents)
    if not agents:
        return {}
    team_of = {a.pk: a.team_id for a in agents}
    start = today - timedelta(days=KPI_WINDOW_DAYS - 1)
    fields = {name: Sum(name) for name in kpis.SUM_FIELDS}
    rows = (
        DailyStat.objects.filter(agent_id__in=list(team_of), day__gte=start, day__lte=today)
        .order_by()
        .values("agent")
        .annotate(**fields)
    )
    targets = targets_for(sorted({t for t in team_of.values() if t}))
    codes = [c for c in (*ABILITY_KPIS, QA_KPI) if c in kpis.KPIS]
    result: dict[int, list[AbilityInput]] = defaultdict(list)
    for row in rows:
        agent_id = row["agent"]
        for code in codes:
            kpi = kpis.KPIS[code]
            value = kpi.value(row)
            goal = target(targets, team_of.get(agent_id), code)
            score = kpi_attainment(value, goal, kpi.higher_is_better)
            if value is None:
                continue
            detail = f"{kpis.format_value(code, value)} / {kpis.format_value(code, goal) if goal is not None else '—'}"
            source = "qa" if code == QA_KPI else "kpi"
            result[agent_id].append(AbilityInput(source, str(kpi.label), score, detail))
    return dict(result)


def external_inputs(agents, today: date) -> dict[int, list[AbilityInput]]:
    merged: dict[int, list[AbilityInput]] = defaultdict(list)
    for provider in ability_inputs:
        for agent_id, items in provider(agents, today).items():
            merged[agent_id].extend(items)
    return dict(merged)


def kpi_choices() -> list[tuple[str, str]]:
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        return []
    return [(k.code, str(k.label)) for k in kpis.KPIS.values() if k.default_target is not None]


def kpi_label(code: str) -> str:
    return dict(kpi_choices()).get(code, code)


def kpi_format(code: str, value: float | None) -> str:
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        return "—" if value is None else f"{value:g}"
    return kpis.format_value(code, value) if code in kpis.KPIS else ("—" if value is None else f"{value:g}")


def kpi_history(agent, code: str, weeks: int, today: date) -> dict:
    """The KPI for each of the last ``weeks`` weeks with the team's target; which weeks fell short.

    ``{"target", "higher_is_better", "weeks": [{"start", "value", "below"}], "known", "below"}``.
    """
    return kpi_histories(agent, [code], weeks, today)[code]


def kpi_histories(agent, codes, weeks: int, today: date) -> dict[str, dict]:
    """``kpi_history`` for several KPIs of one agent, in two queries whatever their number."""
    empty = {"target": None, "weeks": [], "known": 0, "below": 0, "higher_is_better": True}
    try:
        from zhiren.performance import kpis
        from zhiren.performance.models import DailyStat
        from zhiren.performance.selectors import target, targets_for
    except ImportError:  # pragma: no cover
        return {code: dict(empty) for code in codes}
    known_codes = [code for code in codes if code in kpis.KPIS]
    if not known_codes:
        return {code: dict(empty) for code in codes}
    targets = targets_for([agent.team_id])
    this_monday = today - timedelta(days=today.weekday())
    start = this_monday - timedelta(weeks=weeks)
    fields = {name: Sum(name) for name in kpis.SUM_FIELDS}
    rows = list(
        DailyStat.objects.filter(agent=agent, day__gte=start, day__lt=this_monday)
        .annotate(week=TruncWeek("day"))
        .order_by()
        .values("week")
        .annotate(**fields)
    )
    histories = {code: dict(empty) for code in codes}
    for code in known_codes:
        kpi = kpis.KPIS[code]
        goal = target(targets, agent.team_id, code)
        by_week = {}
        for row in rows:
            week = row["week"]
            by_week[week.date() if hasattr(week, "date") else week] = kpi.value(row)
        result = []
        for n in range(weeks):
            week = start + timedelta(weeks=n)
            value = by_week.get(week)
            meets = kpi.meets(value, goal)
            result.append({"start": week, "value": value, "display": kpis.format_value(code, value),
                           "below": meets is False})
        known = sum(1 for w in result if w["value"] is not None)
        histories[code] = {
            "target": goal,
            "target_display": kpis.format_value(code, goal),
            "higher_is_better": kpi.higher_is_better,
            "weeks": result,
            "known": known,
            "below": sum(1 for w in result if w["below"]),
        }
    return histories
