"""Retention after the hire date by Kaplan–Meier (留存曲线): plain Python, no Django.

Each hire is ``(days, left)``: ``days`` from the hire date to the day they left (``left``
True) or to today for someone still employed (``left`` False: *censored*, we know only that
they stayed at least that long). Hires of last month count for the 30-day point but say
nothing yet about 90 or 180 days, which is why a plain "share still here" would flatter a
channel that hired recently.

At each day ``t`` on which someone left, ``S(t) = S(t−) × (1 − d / n)``: ``d`` left on
that day, ``n`` were still at risk (neither left nor censored before ``t``). Someone
censored on day ``t`` counts as at risk on that day (the usual convention: a leaver and
a censoring on the same day, the leaver goes first). Worked example: ``docs/recruiting.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    day: int
    at_risk: int
    left: int
    survival: float


def kaplan_meier(hires: Iterable[tuple[int, bool]]) -> list[Step]:
    """The steps of the curve: one per day on which someone left, in day order."""
    hires = [(int(days), bool(left)) for days, left in hires]
    if any(days < 0 for days, _ in hires):
        raise ValueError("a hire cannot leave before the hire date")
    leavers = Counter(days for days, left in hires if left)
    exits = Counter(days for days, _ in hires)
    at_risk = len(hires)
    survival = 1.0
    steps = []
    for day in sorted(exits):
        d = leavers.get(day, 0)
        if d:
            survival *= 1 - d / at_risk
            steps.append(Step(day, at_risk, d, survival))
        at_risk -= exits[day]
    return steps


@dataclass(frozen=True)
class Retention:
    """The share still employed ``day`` days after the hire, and how many were followed that long."""

    day: int
    value: float | None  # None: no one has been followed that long yet
    at_risk: int


def retention_at(
    hires: Sequence[tuple[int, bool]],
    days: Sequence[int] = (30, 90, 180),
    steps: Sequence[Step] | None = None,
) -> list[Retention]:
    """S(day) for each day asked; ``at_risk`` counts hires followed at least ``day`` days.

    Someone who left on the day itself counts as gone (``S`` is right-continuous). Past the
    longest follow-up the curve is not known (None), unless everyone has left by then (0).
    """
    if steps is None:
        steps = kaplan_meier(hires)
    longest = max((d for d, _ in hires), default=-1)
    out = []
    for day in days:
        at_risk = sum(1 for d, _ in hires if d >= day)
        if day > longest:
            ended = bool(steps) and steps[-1].survival == 0
            out.append(Retention(day, 0.0 if ended else None, 0))
            continue
        value = 1.0
        for step in steps:
            if step.day > day:
                break
            value = step.survival
        out.append(Retention(day, value, at_risk))
    return out


def curve(
    hires: Sequence[tuple[int, bool]], until: int, steps: Sequence[Step] | None = None
) -> list[tuple[int, float]]:
    """``(day, S)`` points for a step chart from day 0 to ``until`` (``steps``: the curve's
    ``kaplan_meier`` steps when already computed)."""
    points = [(0, 1.0)]
    for step in kaplan_meier(hires) if steps is None else steps:
        if step.day > until:
            break
        points.append((step.day, step.survival))
    longest = max((d for d, _ in hires), default=0)
    points.append((min(until, longest), points[-1][1]))
    return points
