"""Early-warning rules on constructed histories (pure; no database)."""

from __future__ import annotations

from datetime import date, timedelta

from zhiren.wellbeing import alerts as rules
from zhiren.wellbeing.alerts import DayMood

TODAY = date(2025, 3, 14)  # a Friday


def history(scores, end=TODAY, causes=None):
    """Weekday moods ending on ``end``, oldest first."""
    days, day = [], end
    while len(days) < len(scores):
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    days.reverse()
    causes = causes or {}
    return [DayMood(d, s, tuple(causes.get(i, ()))) for i, (d, s) in enumerate(zip(days, scores, strict=True))]


def kinds(found):
    return {a.kind for a in found}


def test_three_low_days_in_a_row():
    found = rules.evaluate(history([4, 3, 2, 2, 1]), TODAY)
    low = [a for a in found if a.kind == rules.SUSTAINED_LOW]
    assert low and low[0].evidence["scores"] == [2, 2, 1] and low[0].evidence["streak"] == 3
    assert low[0].actions[:2] == (rules.ONE_TO_ONE, rules.BUDDY)


def test_two_low_days_are_not_a_streak():
    assert rules.SUSTAINED_LOW not in kinds(rules.evaluate(history([4, 4, 3, 2, 2]), TODAY))


def test_a_weekend_does_not_break_the_streak_but_a_long_gap_does():
    # Thu, Fri, Mon: spans a weekend.
    moods = [DayMood(date(2025, 3, 13), 2), DayMood(date(2025, 3, 14), 2), DayMood(date(2025, 3, 17), 1)]
    assert rules.SUSTAINED_LOW in kinds(rules.evaluate(moods, date(2025, 3, 17)))
    gap = [DayMood(date(2025, 2, 20), 2), DayMood(date(2025, 3, 13), 2), DayMood(date(2025, 3, 14), 2)]
    assert rules.SUSTAINED_LOW not in kinds(rules.evaluate(gap, TODAY))


def test_sharp_drop_from_own_baseline():
    found = rules.evaluate(history([4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 4, 1]), TODAY)
    drop = [a for a in found if a.kind == rules.SHARP_DROP]
    assert drop
    assert drop[0].evidence["baseline_n"] == 11 and drop[0].evidence["drop"] >= 3


def test_no_sharp_drop_for_someone_usually_variable():
    # Baseline swings between 1 and 5: a 2 is within their usual range.
    found = rules.evaluate(history([1, 5, 2, 5, 1, 4, 5, 1, 5, 2, 5, 2]), TODAY)
    assert rules.SHARP_DROP not in kinds(found)


def test_no_sharp_drop_without_a_baseline():
    assert rules.SHARP_DROP not in kinds(rules.evaluate(history([5, 5, 5, 1]), TODAY))


def test_low_on_the_complaint_queue():
    moods = history([4, 4, 2], causes={2: ("customer",)})
    found = rules.evaluate(moods, TODAY, on_hard_queue=lambda d: d == TODAY)
    hard = [a for a in found if a.kind == rules.LOW_ON_HARD_QUEUE]
    assert hard and hard[0].actions[0] == rules.LIGHTER_QUEUE
    assert not [a for a in rules.evaluate(moods, TODAY, on_hard_queue=lambda d: False)
                if a.kind == rules.LOW_ON_HARD_QUEUE]
    assert not rules.evaluate(history([4, 4, 4]), TODAY, on_hard_queue=lambda d: True)


def test_stale_moods_raise_nothing():
    moods = history([2, 2, 1], end=TODAY - timedelta(days=7))
    assert rules.evaluate(moods, TODAY) == []
    assert rules.evaluate([], TODAY) == []


def test_causes_add_suggestions():
    assert rules.suggest_actions(rules.SHARP_DROP, ["workload", "difficulty"]) == (
        rules.ONE_TO_ONE, rules.LIGHTER_QUEUE, rules.BUDDY,
    )
