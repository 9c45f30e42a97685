"""The consistency report on a constructed history (plain inputs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zhiren.discipline.consistency import Fact, report

NOW = datetime(2025, 3, 31, 12, tzinfo=UTC)


def fact(pk, agent, group="A", *, days_ago=10, responded_after=None, exempt=False, unit=1, consequence="reminder",
         needs=True, rule=1):
    recorded = NOW - timedelta(days=days_ago)
    responded = recorded + timedelta(hours=responded_after) if responded_after is not None else None
    return Fact(pk, agent, group, rule, unit, consequence, needs, recorded, responded, exempt)


def test_broken_windows_pending_and_time_to_response():
    facts = [
        fact(1, 10, responded_after=2), fact(2, 10, responded_after=10), fact(3, 11, responded_after=30),
        fact(4, 11),  # unanswered for 10 days: a broken window
        fact(5, 12, days_ago=1),  # unanswered, not yet due
        fact(6, 12, needs=False, consequence="free"),  # nothing to answer
        fact(7, 13, group="B", responded_after=1),
    ]
    a, b = report(facts, now=NOW)
    assert a.group == "A" and a.broken_windows == [4] and a.pending == 1
    assert (a.violations, a.needing_response, a.responded) == (6, 5, 3)
    assert a.median_response_hours == 10.0 and a.p90_response_hours == 30.0
    assert a.response_rate == 60.0
    assert b.broken_window_count == 0 and b.median_response_hours == 1.0


def test_due_days_are_respected():
    (rep,) = report([fact(1, 10, days_ago=4)], now=NOW, due=timedelta(days=5))
    assert rep.broken_window_count == 0 and rep.pending == 1


def test_leniency_that_follows_one_agent_is_flagged():
    facts = [fact(1, 10, exempt=True), fact(2, 10, exempt=True), fact(3, 10)]  # the favourite
    facts += [fact(10 + i, 20 + i, responded_after=3) for i in range(8)]  # everyone else answered
    facts += [fact(30, 21, exempt=True)]  # one exception elsewhere is not a pattern
    (rep,) = report(facts, now=NOW)
    rows = {row.agent_id: row for row in rep.leniency}
    assert rows[10].flagged and rows[10].exceptions == 2 and rows[10].unanswered == 1
    assert not rows[21].flagged
    assert rep.exceptions == 3 and rep.exception_rate == round(100 * 3 / 12, 1)


def test_even_leniency_is_not_flagged():
    facts = [fact(i, i % 4, exempt=i < 4) for i in range(12)]
    (rep,) = report(facts, now=NOW)
    assert not any(row.flagged for row in rep.leniency)


def test_same_count_different_consequence_is_reported():
    facts = [fact(1, 10, unit=2, consequence="talk"), fact(2, 11, unit=2, consequence="reminder"),
             fact(3, 12, unit=1, consequence="reminder"), fact(4, 13, unit=1, consequence="reminder")]
    (rep,) = report(facts, now=NOW)
    assert rep.inconsistent == [(1, 2, ("reminder", "talk"))]
