"""The pure rules: when huddles are, reading order, the TV view, carry-over, the timer, the quadrants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from zhiren.leadership import agenda, quadrants

T0 = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


@dataclass
class P:
    section: str
    name: str
    focus: bool = False
    private: bool = False


def test_shift_starts_close_together_share_a_huddle():
    starts = [
        T0,
        T0 + timedelta(minutes=30),
        T0 + timedelta(hours=2),
        T0 + timedelta(hours=2, minutes=1),
    ]
    assert agenda.huddle_starts(starts) == [T0, T0 + timedelta(hours=2, minutes=1)]
    assert agenda.huddle_starts([]) == []


def test_reading_order_puts_the_one_number_first_in_its_section():
    points = [
        P("follow_ups", "f"),
        P("praise", "p"),
        P("numbers", "aht"),
        P("numbers", "sl", focus=True),
        P("odd", "x"),
        P("rules", "r"),
    ]
    assert [p.name for p in agenda.ordered(points)] == ["sl", "aht", "p", "r", "f", "x"]


def test_shared_screen_drops_private_points():
    assert [p.name for p in agenda.shared([P("today", "a", private=True), P("today", "b")])] == [
        "b"
    ]


def test_only_the_leads_unresolved_points_carry_over():
    assert agenda.carried("topics", resolved=False)
    assert agenda.carried("follow_ups", resolved=False)
    assert not agenda.carried("follow_ups", resolved=True)
    assert not agenda.carried("numbers", resolved=False)


def test_timer_counts_whole_minutes_and_goes_negative():
    assert agenda.minutes_left(T0, T0, 15) == 15
    assert agenda.minutes_left(T0, T0 + timedelta(seconds=61), 15) == 14
    assert agenda.minutes_left(T0, T0 + timedelta(minutes=16), 15) == -1


def test_quadrants_by_deadline_window_and_importance():
    today = date(2026, 12, 31)
    assert quadrants.place(today + timedelta(days=2), True, today, 2) == quadrants.DO
    assert quadrants.place(today + timedelta(days=3), True, today, 2) == quadrants.PLAN
    assert quadrants.place(today - timedelta(days=5), False, today, 2) == quadrants.DELEGATE
    assert quadrants.place(None, False, today, 2) == quadrants.DROP
    assert quadrants.place(None, True, today, 30) == quadrants.PLAN
    assert quadrants.place(today, True, today, 0) == quadrants.DO
    assert quadrants.overdue(today - timedelta(days=1), today) and not quadrants.overdue(
        today, today
    )
    assert sorted([(2, None), (1, today), (2, today)], key=lambda c: quadrants.sort_key(*c))[0] == (
        1,
        today,
    )
