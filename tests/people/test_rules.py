"""Pure rules: upcoming dates, talk cadence and groupings, ledger arithmetic and nudges."""

from __future__ import annotations

import datetime as dt

from zhiren.people import cadence, ledger, reminders

D = dt.date


def test_birthdays_and_anniversaries_within_the_horizon():
    today = D(2024, 12, 28)
    people = [
        (1, D(1995, 1, 2), D(2020, 3, 1)),  # birthday across the new year, 5 days away
        (2, D(1990, 6, 1), D(2021, 12, 30)),  # 3rd work anniversary in 2 days
        (3, D(1990, 12, 28), D(2024, 12, 30)),  # birthday today; hired this year: no anniversary
        (4, D(1990, 1, 10), None),  # too far
    ]
    result = reminders.upcoming_dates(people, today, 7, [(4, "wedding", D(2019, 12, 31), True)])
    assert [(r.kind, r.agent_id, r.days_away) for r in result] == [
        ("birthday", 3, 0), ("anniversary", 2, 2), ("important_date", 4, 3), ("birthday", 1, 5),
    ]
    assert result[1].years == 3


def test_leap_day_birthday_falls_on_28_february():
    assert reminders.next_occurrence(D(2000, 2, 29), D(2023, 2, 1)) == D(2023, 2, 28)
    assert reminders.next_occurrence(D(2000, 2, 29), D(2024, 2, 1)) == D(2024, 2, 29)


def test_talk_due_after_cadence_or_after_hiring():
    today = D(2024, 6, 1)
    talked = cadence.talk_status(1, D(2024, 4, 1), D(2020, 1, 1), 8, today)
    assert talked.due_on == D(2024, 5, 27) and talked.is_overdue and talked.days_overdue == 5
    newcomer = cadence.talk_status(2, None, D(2024, 5, 1), 8, today)
    assert not newcomer.is_overdue and newcomer.due_on == D(2024, 6, 26)
    unknown = cadence.talk_status(3, None, None, 8, today)
    assert unknown.due_on == today and not unknown.is_overdue


def test_suggested_groups_take_longest_waiting_and_mix_tenure():
    today = D(2024, 6, 1)
    candidates = [
        (1, None, D(2016, 1, 1)), (2, None, D(2024, 1, 1)), (3, D(2024, 1, 1), D(2017, 1, 1)),
        (4, D(2024, 2, 1), D(2023, 6, 1)), (5, D(2024, 5, 30), D(2015, 1, 1)),
    ]
    groups = cadence.suggest_groups(candidates, today, group_size=2, limit=4)
    assert sorted(i for g in groups for i in g) == [1, 2, 3, 4]  # 5 was talked to just now
    assert len(groups) == 2
    tenure = {1: 0, 3: 1, 4: 2, 2: 3}  # rank, longest tenure first
    for g in groups:  # snake order: each group has one of the two most senior and one of the newest
        assert sorted(tenure[i] for i in g) in ([0, 3], [1, 2])


def test_ledger_balance_trend_and_nudges():
    today = D(2024, 6, 30)
    entries = [
        (1, D(2024, 1, 10), 3), (1, D(2024, 6, 20), -2), (1, D(2024, 6, 25), 2),
        (2, D(2024, 6, 1), 2), (2, D(2024, 6, 10), -5),
        (3, D(2024, 7, 5), 9),  # future: ignored
    ]
    s = ledger.summarize(entries, today)
    assert (s[1].balance, s[1].trend, s[1].last_deposit) == (3, 0, D(2024, 6, 25))
    assert s[1].nudges(today) == []
    assert s[2].balance == -3
    assert s[2].nudges(today) == ["negative_balance", "no_deposit"]  # 29 days since the deposit
    assert 3 not in s
    empty = ledger.AccountSummary(9, 0, None, 0)
    assert empty.nudges(today, since=D(2024, 6, 20)) == []  # joined 10 days ago
    assert empty.nudges(today, since=D(2024, 6, 16)) == ["no_deposit"]
    assert ledger.running_balance([(D(2024, 1, 2), -1), (D(2024, 1, 1), 2), (D(2024, 1, 2), 3)]) == [
        (D(2024, 1, 1), 2), (D(2024, 1, 2), 4),
    ]
