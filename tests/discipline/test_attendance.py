"""Attendance against the schedule: late, early leave, absence, missing punches, overtime, night shifts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zhiren.discipline.attendance import (
    ABSENCE,
    EARLY_LEAVE,
    IN,
    LATE,
    MISSING_PUNCH,
    OUT,
    PUNCH,
    Policy,
    Punch,
    Shift,
    attendance_rate,
    evaluate,
)

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=TZ)


def shift(day: int, start: int = 9, end: int = 18, agent: int = 1, leave=()) -> Shift:
    end_day = day + 1 if end <= start else day
    return Shift(agent, date(2025, 3, day), at(day, start), at(end_day, end), tuple(leave))


DEFAULT = Policy()


def one(shifts, punches, policy=DEFAULT):
    result = evaluate(shifts, punches, policy)
    return result.results


def test_on_time_and_within_grace():
    (r,) = one([shift(3)], [Punch(1, at(3, 9, 4, 59), IN), Punch(1, at(3, 17, 56), OUT)])
    assert r.findings == [] and r.arrived == at(3, 9, 4, 59)


def test_late_just_past_grace_counts_minutes_from_the_start():
    (r,) = one([shift(3)], [Punch(1, at(3, 9, 5, 1), IN), Punch(1, at(3, 18), OUT)])
    assert r.findings == [(LATE, 5)]
    (r,) = one([shift(3)], [Punch(1, at(3, 9, 17), IN), Punch(1, at(3, 18), OUT)])
    assert r.findings == [(LATE, 17)]


def test_grace_is_per_policy():
    punches = [Punch(1, at(3, 9, 8), IN), Punch(1, at(3, 18), OUT)]
    assert one([shift(3)], punches, Policy(late_grace=10))[0].findings == []
    assert one([shift(3)], punches, {1: Policy(late_grace=0)})[0].findings == [(LATE, 8)]


def test_early_leave_and_overtime():
    (r,) = one([shift(3)], [Punch(1, at(3, 9), IN), Punch(1, at(3, 17, 30), OUT)])
    assert r.findings == [(EARLY_LEAVE, 30)]
    (r,) = one([shift(3)], [Punch(1, at(3, 9), IN), Punch(1, at(3, 19, 10), OUT)])
    assert r.findings == [] and r.overtime_minutes == 70
    (r,) = one([shift(3)], [Punch(1, at(3, 9), IN), Punch(1, at(3, 18, 20), OUT)])
    assert r.overtime_minutes == 0  # under the 30-minute minimum


def test_absence_and_missing_punches():
    (r,) = one([shift(3)], [])
    assert r.findings == [(ABSENCE, 0)]
    (r,) = one([shift(3)], [Punch(1, at(3, 18), OUT)])
    assert r.findings == [(MISSING_PUNCH, 0)] and r.missing_in and not r.missing_out
    (r,) = one([shift(3)], [Punch(1, at(3, 8, 55), IN)])
    assert r.findings == [(MISSING_PUNCH, 0)] and r.missing_out


def test_very_late_counts_as_absence_when_the_site_says_so():
    punches = [Punch(1, at(3, 10, 30), IN), Punch(1, at(3, 18), OUT)]
    assert one([shift(3)], punches)[0].findings == [(LATE, 90)]
    assert one([shift(3)], punches, Policy(late_as_absence=60))[0].findings == [(ABSENCE, 90)]


def test_night_shift_crossing_midnight():
    night = shift(3, 22, 7)
    punches = [Punch(1, at(3, 22, 12), IN), Punch(1, at(4, 6, 58), OUT)]
    (r,) = one([night], punches)
    assert r.findings == [(LATE, 12)] and r.left == at(4, 6, 58)


def test_night_clock_out_is_not_the_next_days_clock_in():
    """A 22:00–07:00 shift, then a day shift at 09:00 the next day, both with undirected punches."""
    shifts = [shift(3, 22, 7), shift(4, 9, 18)]
    punches = [Punch(1, at(3, 21, 55)), Punch(1, at(4, 7, 2)), Punch(1, at(4, 9, 20)), Punch(1, at(4, 18, 1))]
    night, day = one(shifts, punches)
    assert night.findings == [] and night.left == at(4, 7, 2)
    assert day.findings == [(LATE, 20)] and day.arrived == at(4, 9, 20)


def test_night_shift_absent_next_morning_punch_belongs_to_the_day_shift():
    shifts = [shift(3, 22, 7), shift(4, 9, 18)]
    (night, day) = one(shifts, [Punch(1, at(4, 8, 59), IN), Punch(1, at(4, 18), OUT)])
    assert night.findings == [(ABSENCE, 0)]
    assert day.findings == []


def test_undirected_punches_pair_first_and_last():
    (r,) = one([shift(3)], [Punch(1, at(3, 8, 50), PUNCH), Punch(1, at(3, 12), PUNCH), Punch(1, at(3, 18, 2))])
    assert r.findings == [] and r.arrived == at(3, 8, 50) and r.left == at(3, 18, 2)


def test_leave_excuses_the_whole_or_part_of_a_shift():
    whole = shift(3, leave=[(at(3, 9), at(3, 18))])
    assert one([whole], [])[0].excused and one([whole], [])[0].findings == []
    morning_off = shift(3, leave=[(at(3, 9), at(3, 13))])
    (r,) = one([morning_off], [Punch(1, at(3, 13, 2), IN), Punch(1, at(3, 18), OUT)])
    assert r.findings == []


def test_far_punches_are_unmatched_and_agents_are_independent():
    result = evaluate([shift(3), shift(3, agent=2)], [
        Punch(1, at(3, 9), IN), Punch(1, at(3, 18), OUT), Punch(1, at(5, 12), IN),
        Punch(2, at(3, 9, 30), IN), Punch(2, at(3, 18), OUT),
    ])
    assert [p.at for p in result.unmatched] == [at(5, 12)]
    assert {(r.agent_id, k) for r, k, _ in result.findings} == {(2, LATE)}
    assert attendance_rate(result.results) == 50.0


def test_two_shifts_a_day_split_the_punches():
    shifts = [shift(3, 8, 12), shift(3, 16, 20)]
    punches = [Punch(1, at(3, 8), IN), Punch(1, at(3, 12), OUT), Punch(1, at(3, 16, 15), IN), Punch(1, at(3, 20), OUT)]
    first, second = one(shifts, punches)
    assert first.findings == [] and second.findings == [(LATE, 15)]


def test_linear_pairing_matches_brute_force_on_a_month():
    """Every punch lands on the shift nearest to it (checked by brute force)."""
    import random

    rng = random.Random(7)
    shifts = []
    punches = []
    for day in range(1, 29):
        if day % 7 in (0, 6):
            continue
        start = rng.choice([7, 9, 13, 22])
        s = shift(day, start, (start + 9) % 24, agent=1)
        shifts.append(s)
        for t in (s.start, s.end):
            punches.append(Punch(1, t + timedelta(minutes=rng.randint(-20, 20))))
    result = evaluate(shifts, punches)
    assert not result.unmatched
    assert sum(r.punches for r in result.results) == len(punches)
