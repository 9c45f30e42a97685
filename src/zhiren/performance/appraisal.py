"""Appraisal scorecards: component values and scores for a cycle, in a fixed number of queries.

A component without data (no contacts for a KPI, no QA score yet, no lead
rating) is *missing*: it shows as missing and is left out of the weighted
score (whose coverage says how much weight had data), never counted as zero.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet, Sum

from . import kpis
from .kpis import KPIS, SUM_FIELDS
from .models import Appraisal, AppraisalComponent, ComponentKind, DailyStat
from .selectors import APPRAISAL_ROLES


def visible_appraisals(user) -> QuerySet[Appraisal]:
    """Appraisals of covered teams (the team at the time), and the user's own."""
    qs = Appraisal.objects.select_related("cycle", "cycle__template", "agent", "team")
    return qs.visible_to(user, APPRAISAL_ROLES, via="team", own=True, own_via="agent")


def component_value(component: AppraisalComponent, appraisal: Appraisal, sums: dict | None) -> float | None:
    if component.kind == ComponentKind.KPI:
        return KPIS[component.kpi].value(sums) if sums and component.kpi else None
    if component.kind == ComponentKind.BEHAVIOUR:
        return None if appraisal.behaviour_rating is None else appraisal.behaviour_rating * 20.0
    value = (appraisal.inputs or {}).get(component.kind)
    return None if value is None else float(value)


def component_score(component: AppraisalComponent, value: float | None) -> float | None:
    if value is None:
        return None
    if component.kind == ComponentKind.KPI and component.bands:
        return kpis.band_score(value, component.bands, KPIS[component.kpi].higher_is_better)
    return max(0.0, min(100.0, value))


def score_appraisals(appraisals: list[Appraisal]) -> list[dict[str, Any]]:
    """Scorecards of several appraisals: two queries (components, daily sums by agent and cycle)."""
    if not appraisals:
        return []
    template_ids = {a.cycle.template_id for a in appraisals}
    components: dict[int, list[AppraisalComponent]] = defaultdict(list)
    for component in AppraisalComponent.objects.filter(template_id__in=template_ids):
        components[component.template_id].append(component)
    cycles = {a.cycle_id: a.cycle for a in appraisals}
    cond = Q()
    for cycle in cycles.values():
        agent_ids = [a.agent_id for a in appraisals if a.cycle_id == cycle.pk]
        cond |= Q(agent_id__in=agent_ids, day__gte=cycle.start, day__lte=cycle.end)
    sums: dict[tuple[int, int], dict | None] = {}
    rows = DailyStat.objects.filter(cond).order_by().values("agent", "day").annotate(
        **{f: Sum(f) for f in SUM_FIELDS}
    )
    per_agent_days: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        per_agent_days[row["agent"]].append(row)
    result = []
    for appraisal in appraisals:
        cycle = appraisal.cycle
        key = (appraisal.agent_id, cycle.pk)
        if key not in sums:
            mine = [r for r in per_agent_days.get(appraisal.agent_id, []) if cycle.start <= r["day"] <= cycle.end]
            sums[key] = kpis.add_sums(mine) if mine else None
        parts = []
        lines = []
        missing = []
        for component in components[cycle.template_id]:
            value = component_value(component, appraisal, sums[key])
            score = component_score(component, value)
            if score is None:
                missing.append(component.label)
            parts.append((score, component.weight))
            lines.append(
                {
                    "component": component,
                    "value": value,
                    "value_display": "" if value is None else (
                        kpis.format_value(component.kpi, value) if component.kind == ComponentKind.KPI
                        else f"{value:.1f}"
                    ),
                    "score": score,
                }
            )
        total, coverage = kpis.weighted_score(parts)
        result.append({"appraisal": appraisal, "components": lines, "score": total, "coverage": coverage,
                       "missing": missing})
    return result


def appraisal_rows(user, *, cycle_id=None, team_id=None) -> list[dict[str, Any]]:
    qs = visible_appraisals(user) if user is not None else Appraisal.objects.select_related(
        "cycle", "cycle__template", "agent", "team"
    )
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    if team_id:
        qs = qs.filter(team_id=team_id)
    return score_appraisals(list(qs.order_by("cycle_id", "team_id", "agent__employee_no")))


def distribution(rows: list[dict[str, Any]], step: int = 10) -> dict[str, list]:
    """Calibration view: how the team's scores spread over bands of ``step`` points."""
    labels = [f"{lo}–{lo + step}" for lo in range(0, 100, step)]
    counts = [0] * len(labels)
    missing = 0
    for row in rows:
        if row["score"] is None:
            missing += 1
            continue
        counts[min(len(labels) - 1, int(row["score"] // step))] += 1
    return {"labels": labels, "counts": counts, "missing": missing}
