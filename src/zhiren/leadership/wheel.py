"""The lead's growth self-check on plain values: the seven abilities of a first-line lead
(seed 004, 一、基层主管应具备的能力), the behavioural evidence turned into a 0–5 reading, and the
balance wheel's geometry. No Django here."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Seed 004's seven abilities, in its order.
TIME, EMOTION, INITIATIVE, LEARNING, EFFECTIVENESS, EXECUTION, INTEGRITY = (
    "time",
    "emotion",
    "initiative",
    "learning",
    "effectiveness",
    "execution",
    "integrity",
)
ABILITIES = (TIME, EMOTION, INITIATIVE, LEARNING, EFFECTIVENESS, EXECUTION, INTEGRITY)
TOP = 5

# Praise to correction: three to one reads as full marks (praise in public, correct in private).
PRAISE_RATIO_FULL = 3.0
# Delegations in the period that read as full marks.
DELEGATIONS_FULL = 5
# Share of decided cards in quadrant II that reads as full marks.
PLAN_SHARE_FULL = 0.5


def clamp(value: float) -> float:
    return round(max(0.0, min(float(TOP), value)), 1)


def share_reading(part: int, whole: int, full: float = 1.0) -> float | None:
    """``part / whole`` against the share that reads as full marks; None without any case."""
    if whole <= 0:
        return None
    return clamp(TOP * (part / whole) / full)


def ratio_reading(praise: int, corrections: int) -> float | None:
    if praise + corrections == 0:
        return None
    if corrections == 0:
        return float(TOP)
    return clamp(TOP * (praise / corrections) / PRAISE_RATIO_FULL)


def count_reading(count: int, full: int = DELEGATIONS_FULL) -> float:
    return clamp(TOP * count / full)


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def polygon(values: dict[str, float | None], radius: float, centre: float) -> list[Point]:
    """The wheel's polygon: one spoke per ability, clockwise from the top; a missing value sits
    at the centre."""
    points = []
    for n, code in enumerate(ABILITIES):
        angle = -math.pi / 2 + 2 * math.pi * n / len(ABILITIES)
        r = radius * (values.get(code) or 0) / TOP
        points.append(
            Point(round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1))
        )
    return points


def spokes(radius: float, centre: float) -> list[tuple[str, Point]]:
    """Each ability's spoke end (where its label goes)."""
    return list(
        zip(ABILITIES, polygon(dict.fromkeys(ABILITIES, float(TOP)), radius, centre), strict=True)
    )


def balance(values: dict[str, float | None]) -> float | None:
    """How even the wheel is: the gap between the highest and the lowest reading (0: balanced)."""
    known = [v for v in values.values() if v is not None]
    return round(max(known) - min(known), 1) if known else None
