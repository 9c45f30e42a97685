"""The supervision group's state machine, deadlines with escalation, and the monthly report."""

from datetime import date

import pytest

from zhiren.engagement.supervision import (
    ItemFacts,
    SupervisionError,
    check_move,
    in_term,
    monthly_report,
    overdue_days,
)


def test_moves_need_an_owner_and_due_date_or_a_reason():
    check_move("raised", "accepted", owner="u", due_on=date(2026, 3, 31))
    check_move("accepted", "done")
    check_move("raised", "dropped", reason="已有同类事项")
    for current, target, kwargs, code in [
        ("raised", "accepted", {"owner": "u"}, "owner_and_due"),
        ("raised", "accepted", {"due_on": date(2026, 3, 31)}, "owner_and_due"),
        ("accepted", "dropped", {"reason": " "}, "reason_required"),
        ("raised", "done", {}, "not_allowed"),
        ("done", "accepted", {"owner": "u", "due_on": date(2026, 3, 31)}, "not_allowed"),
        ("dropped", "raised", {}, "not_allowed"),
    ]:
        with pytest.raises(SupervisionError) as exc:
            check_move(current, target, **kwargs)
        assert exc.value.code == code


def test_an_accepted_item_past_its_due_date_is_overdue_and_escalated():
    today = date(2026, 3, 11)
    assert overdue_days("accepted", date(2026, 3, 8), today) == 3
    assert overdue_days("accepted", date(2026, 3, 11), today) == 0  # due today: not yet
    assert overdue_days("done", date(2026, 3, 1), today) == 0
    assert overdue_days("raised", None, today) == 0


def test_terms():
    assert in_term(date(2026, 1, 1), date(2026, 12, 31), date(2026, 3, 11))
    assert not in_term(date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 11))
    assert in_term(date(2026, 1, 1), None, date(2026, 3, 11))


def test_monthly_report():
    items = [
        ItemFacts(date(2026, 2, 20), "done", date(2026, 3, 5), date(2026, 3, 4)),  # done in March
        ItemFacts(date(2026, 3, 2), "accepted", date(2026, 3, 15), None),  # overdue at month end
        ItemFacts(date(2026, 3, 10), "raised", None, None),  # open
        ItemFacts(date(2026, 3, 12), "dropped", None, None),  # raised, then dropped
        ItemFacts(date(2026, 4, 2), "raised", None, None),  # next month
    ]
    assert monthly_report(items, 2026, 3) == {"raised": 3, "done": 1, "open": 2, "overdue": 1}
    assert monthly_report(items, 2026, 12)["raised"] == 0
