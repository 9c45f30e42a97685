"""Ability inputs from other modules, behind small provider functions.

A provider is ``fn(agents: list[Agent], today: date) -> dict[agent_id, list[AbilityInput]]``,
registered in ``zhiren.core.registries.ability_inputs`` from an ``AppConfig.ready`` (this app
registers ``kpi_inputs``). A provider that finds no data returns nothing for that agent: the
input is shown as missing and the ability may become unknown — never guessed.

``kpi_history`` gives the weekly values of one KPI against its target (improvement plans).
A plan goal may also measure a metric another app registers in
``core.registries.kpi_sources`` (quality: the QA score, a criterion's pass rate): its weekly
values come from that source, against the metric's default target.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncWeek

from zhiren.core.registries import MetricAsk, ability_inputs, find_metric, kpi_sources

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
    """The KPIs with a target, then the metrics other apps offer (the QA score, pass rates …)."""
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        found: list[tuple[str, str]] = []
    else:
        found = [(k.code, str(k.label)) for k in kpis.KPIS.values() if k.default_target is not None]
    return found + [(m.code, str(m.label)) for source in kpi_sources for m in source.offered()]


def known_kpi(code: str) -> bool:
    """A KPI with a target, or a metric some source describes (also one its forms no longer offer)."""
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        return find_metric(code) is not None
    return (code in kpis.KPIS and kpis.KPIS[code].default_target is not None) or find_metric(code) is not None


def kpi_label(code: str) -> str:
    found = find_metric(code) if code else None
    if found is not None:
        return str(found[1].label)
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        return code
    return str(kpis.KPIS[code].label) if code in kpis.KPIS else code


def kpi_format(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    found = find_metric(code)
    if found is not None:
        return f"{value:.1f}%" if found[1].unit == "percent" else f"{value:.1f}"
    try:
        from zhiren.performance import kpis
    except ImportError:  # pragma: no cover
        return f"{value:g}"
    return kpis.format_value(code, value) if code in kpis.KPIS else f"{value:g}"


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
    histories = {code: dict(empty) for code in codes}
    histories.update(_metric_histories(agent, [c for c in codes if c not in kpis.KPIS], weeks, today))
    known_codes = [code for code in codes if code in kpis.KPIS]
    if not known_codes:
        return histories
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


def _metric_histories(agent, codes, weeks: int, today: date) -> dict[str, dict]:
    """``kpi_histories`` for registered metrics: each source measures all weeks of all its codes at once."""
    this_monday = today - timedelta(days=today.weekday())
    starts = [this_monday - timedelta(weeks=weeks - n) for n in range(weeks)]
    by_source: dict[int, tuple] = {}
    for code in codes:
        found = find_metric(code)
        if found is not None:
            by_source.setdefault(id(found[0]), (found[0], []))[1].append((code, found[1]))
    histories = {}
    for source, metrics in by_source.values():
        asks = [MetricAsk(code, "agent", agent.pk, start, start + timedelta(days=6))
                for code, _m in metrics for start in starts]
        values = iter(source.measure(asks))
        for code, metric in metrics:
            goal = metric.default_target
            result = []
            for start in starts:
                value = next(values).value
                result.append({"start": start, "value": value, "display": kpi_format(code, value),
                               "below": metric.meets(value, goal) is False})
            histories[code] = {
                "target": goal,
                "target_display": kpi_format(code, goal),
                "higher_is_better": metric.higher_is_better,
                "weeks": result,
                "known": sum(1 for w in result if w["value"] is not None),
                "below": sum(1 for w in result if w["below"]),
            }
    return histories
