"""Early-warning rules on one person's recent moods. Plain data in, plain data out; no Django.

Four rules, each from seed 002:

- ``VERY_LOW``: the latest check-in is the lowest face (≤ ``very_low_score``): one such
  day is enough to ask how the person is, and it is evaluated the moment it is given.
- ``SUSTAINED_LOW``: the last ``streak`` check-ins are all low (≤ ``low_score``)
  and fall within ``streak_span_days`` calendar days (a weekend does not break
  a streak, a fortnight's silence does).
- ``SHARP_DROP``: the latest check-in is at least ``max(drop_min, drop_sd·sd)``
  below the person's own baseline (mean of the previous ``baseline_days``,
  at least ``baseline_min`` check-ins, the latest few excluded).
- ``LOW_ON_HARD_QUEUE``: a low check-in on a day the person works a complaint
  or angry-customer queue (the caller says which days those are).

Rules only look at check-ins no older than ``fresh_days`` before ``today``:
an alert is about now, not about last month.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

VERY_LOW = "very_low"
SUSTAINED_LOW = "sustained_low"
SHARP_DROP = "sharp_drop"
LOW_ON_HARD_QUEUE = "low_on_hard_queue"

# Suggested actions (the lead records which one they took).
ONE_TO_ONE = "one_to_one"
LIGHTER_QUEUE = "lighter_queue"
BUDDY = "buddy"
LONGER_MEETING = "longer_meeting"

# Cause tags (see models.Cause) that point at a particular action.
_CAUSE_ACTIONS = {
    "workload": LIGHTER_QUEUE,
    "customer": LIGHTER_QUEUE,
    "difficulty": BUDDY,
    "not_valued": ONE_TO_ONE,
    "unfair_comparison": ONE_TO_ONE,
    "leader": ONE_TO_ONE,
    "personal": ONE_TO_ONE,
    "health": ONE_TO_ONE,
}


@dataclass(frozen=True)
class DayMood:
    day: date
    score: int
    causes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlertSettings:
    low_score: int = 2
    very_low_score: int = 1
    streak: int = 3
    streak_span_days: int = 7
    baseline_days: int = 42
    baseline_min: int = 10
    baseline_skip: int = 1  # latest check-ins left out of the baseline
    drop_min: float = 1.5
    drop_sd: float = 2.0
    fresh_days: int = 2  # the latest check-in must be this recent (0: today)


DEFAULTS = AlertSettings()


@dataclass(frozen=True)
class Alert:
    kind: str
    day: date  # the check-in that triggered it
    actions: tuple[str, ...]
    evidence: dict = field(default_factory=dict)


def suggest_actions(kind: str, causes: Sequence[str]) -> tuple[str, ...]:
    """The rule's own suggestion first, then what the stated causes point to."""
    base = {
        VERY_LOW: (ONE_TO_ONE,),
        SUSTAINED_LOW: (ONE_TO_ONE, BUDDY),
        SHARP_DROP: (ONE_TO_ONE,),
        LOW_ON_HARD_QUEUE: (LIGHTER_QUEUE, ONE_TO_ONE),
    }[kind]
    result = list(base)
    for cause in causes:
        action = _CAUSE_ACTIONS.get(cause)
        if action and action not in result:
            result.append(action)
    return tuple(result)


def evaluate(
    moods: Sequence[DayMood],
    today: date,
    on_hard_queue: Callable[[date], bool] | None = None,
    settings: AlertSettings = DEFAULTS,
) -> list[Alert]:
    """Alerts for one person. ``moods`` is one entry per day, oldest first."""
    if not moods:
        return []
    latest = moods[-1]
    if latest.day > today or (today - latest.day).days > settings.fresh_days:
        return []
    alerts = []
    if latest.score <= settings.very_low_score:
        alerts.append(Alert(VERY_LOW, latest.day, suggest_actions(VERY_LOW, latest.causes),
                            {"days": [latest.day.isoformat()], "scores": [latest.score]}))
    for rule in (_sustained_low, _sharp_drop):
        alert = rule(moods, settings)
        if alert:
            alerts.append(alert)
    if on_hard_queue is not None and latest.score <= settings.low_score and on_hard_queue(latest.day):
        alerts.append(
            Alert(
                LOW_ON_HARD_QUEUE,
                latest.day,
                suggest_actions(LOW_ON_HARD_QUEUE, latest.causes),
                {"days": [latest.day.isoformat()], "scores": [latest.score]},
            )
        )
    return alerts


def _sustained_low(moods: Sequence[DayMood], s: AlertSettings) -> Alert | None:
    if len(moods) < s.streak:
        return None
    run = moods[-s.streak:]
    if any(m.score > s.low_score for m in run):
        return None
    if (run[-1].day - run[0].day).days > s.streak_span_days:
        return None
    # Count the whole streak, not only the last ``streak`` days.
    length = s.streak
    for m in reversed(moods[: -s.streak]):
        if m.score > s.low_score or (run[0].day - m.day).days > s.streak_span_days * length:
            break
        length += 1
    causes = [c for m in run for c in m.causes]
    return Alert(
        SUSTAINED_LOW,
        run[-1].day,
        suggest_actions(SUSTAINED_LOW, causes),
        {
            "days": [m.day.isoformat() for m in run],
            "scores": [m.score for m in run],
            "streak": length,
        },
    )


def _sharp_drop(moods: Sequence[DayMood], s: AlertSettings) -> Alert | None:
    latest = moods[-1]
    start = latest.day - timedelta(days=s.baseline_days)
    history = moods[: len(moods) - s.baseline_skip]
    base = [m.score for m in history if m.day >= start and m.day < latest.day]
    if len(base) < s.baseline_min:
        return None
    mean = statistics.fmean(base)
    sd = statistics.pstdev(base)
    threshold = max(s.drop_min, s.drop_sd * sd)
    drop = mean - latest.score
    if drop < threshold:
        return None
    return Alert(
        SHARP_DROP,
        latest.day,
        suggest_actions(SHARP_DROP, latest.causes),
        {
            "days": [latest.day.isoformat()],
            "scores": [latest.score],
            "baseline_mean": round(mean, 2),
            "baseline_sd": round(sd, 2),
            "baseline_n": len(base),
            "drop": round(drop, 2),
            "threshold": round(threshold, 2),
        },
    )


def team_meeting_suggestion(report) -> list:
    """Team-level low weekdays (from ``cycles.detect`` on the team's daily means)."""
    from .cycles import WEEKDAY

    return [p for p in report.patterns if p.kind == WEEKDAY and p.is_low]
