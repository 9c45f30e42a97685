"""Goal progress: how far a SMART goal is, and whether it is at risk before its period ends.

Plain rules over a goal, its actual value so far and today's date. A goal measures a KPI
or a metric another app registers (``metrics``: the QA score …); both read alike here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from .metrics import describe, format_value

AT_RISK_AFTER = 0.25  # share of the period elapsed before a shortfall counts as a risk
COUNT_SLACK = 0.9  # a count goal is at risk below 90 % of its pro-rata target

STATUS_LABELS = {
    "no_data": _("No data yet"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "achieved": _("Achieved"),
    "missed": _("Missed"),
    "not_started": _("Not started"),
}


def elapsed_share(start: date, end: date, today: date) -> float:
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


def progress_percent(code: str, actual: float | None, target: float) -> float | None:
    """Actual against target, 100 = met: actual/target, or target/actual where lower is better."""
    if actual is None:
        return None
    kpi = describe(code)
    if kpi.higher_is_better:
        return 100.0 * actual / target if target else None
    return 100.0 * target / actual if actual else 100.0


def status(code: str, actual: float | None, target: float, share: float) -> str:
    kpi = describe(code)
    if share == 0:
        return "not_started"
    if actual is None:
        return "no_data"
    if kpi.unit == "count":
        expected = target * share
        met_so_far = actual >= target
        if share >= 1:
            return "achieved" if met_so_far else "missed"
        if met_so_far or actual >= expected * COUNT_SLACK or share < AT_RISK_AFTER:
            return "on_track"
        return "at_risk"
    meets = kpi.meets(actual, target)
    if share >= 1:
        return "achieved" if meets else "missed"
    if meets or share < AT_RISK_AFTER:
        return "on_track"
    return "at_risk"


def assess(goal, actual: float | None, today: date) -> dict[str, Any]:
    share = elapsed_share(goal.start, goal.end, today)
    state = status(goal.kpi, actual, goal.target, share)
    pct = progress_percent(goal.kpi, actual, goal.target)
    if goal.agent_id:
        subject = goal.agent.name
    elif goal.team_id:
        subject = goal.team.name
    else:
        subject = goal.site.name if goal.site_id else ""
    return {
        "goal": goal,
        "subject": subject,
        "actual": actual,
        "kpi_label": describe(goal.kpi).label,
        "actual_display": format_value(goal.kpi, actual),
        "target_display": format_value(goal.kpi, goal.target),
        "progress": pct,
        "bar": None if pct is None else max(0, min(100, round(pct))),
        "elapsed": round(share * 100),
        "status": state,
        "status_label": STATUS_LABELS[state],
    }


def cascade_sum(code: str, parent_target: float, children: list[tuple[float, float]]) -> dict[str, Any]:
    """How the children's targets add up to the parent's; ``children`` are ``(target, volume)`` pairs.

    Counts add up (the children's sum against the parent's target). For a rate or
    an average the parent's value is the children's values weighted by their
    volume (the KPI's denominator: handled contacts for AHT, rated contacts for
    CSAT …), so the targets combine the same way: ``Σ volume·target / Σ volume``.
    Without any volume yet (a goal that has not started) the plain mean stands in,
    and says so.
    """
    kpi = describe(code)
    if not children:
        return {"combined": None, "covers": None, "method": ""}
    targets = [t for t, _volume in children]
    if kpi.unit == "count":
        combined = sum(targets)
        method = _("sum of the targets")
    else:
        volume = sum(max(0.0, v or 0.0) for _t, v in children)
        if volume > 0:
            combined = sum(t * max(0.0, v or 0.0) for t, v in children) / volume
            method = _("targets weighted by contact volume")
        else:
            combined = sum(targets) / len(targets)
            method = _("average of the targets (no contacts yet to weigh them)")
    return {
        "combined": combined,
        "combined_display": format_value(code, combined),
        "covers": kpi.meets(combined, parent_target),
        "method": method,
    }
