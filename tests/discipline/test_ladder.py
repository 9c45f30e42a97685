"""Consequence ladders: grace, windows, "first N free", "N lates = one absence", identical treatment."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiren.discipline import ladder
from zhiren.discipline.ladder import (
    ESCALATION,
    EXCUSED,
    FREE,
    REMINDER,
    TALK,
    TALLY,
    WARNING,
    WRITTEN_WARNING,
    Occurrence,
    Terms,
    decide,
    naive_decide,
)

LADDER = (REMINDER, TALK, WRITTEN_WARNING, ESCALATION)
ON = date(2025, 3, 1)


def occ(day: date, kind: str = "late", key=None, exempt: bool = False) -> Occurrence:
    return Occurrence(key or (day, kind), day, kind, exempt=exempt)


def consequences(terms, occurrences):
    return [d.consequence for d in decide(terms, occurrences)]


def test_no_consequence_during_grace_then_the_ladder():
    terms = Terms(ladder=LADDER, announced_on=ON, grace_days=7)
    days = [ON + timedelta(days=d) for d in (1, 6, 7, 8, 9, 10, 11)]
    assert consequences(terms, [occ(d) for d in days]) == [
        WARNING, WARNING, REMINDER, TALK, WRITTEN_WARNING, ESCALATION, ESCALATION,
    ]
    assert terms.enforced_from == date(2025, 3, 8)


def test_before_announcement_and_after_retirement_nothing_counts():
    terms = Terms(ladder=LADDER, announced_on=ON, grace_days=0, retired_on=date(2025, 3, 20))
    result = decide(terms, [occ(date(2025, 2, 27)), occ(date(2025, 3, 5)), occ(date(2025, 3, 21))])
    assert [(d.phase, d.consequence) for d in result] == [
        (ladder.NOT_IN_FORCE, "none"), (ladder.ENFORCED, REMINDER), (ladder.RETIRED, "none"),
    ]


def test_month_window_starts_over():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1))
    days = [date(2025, 3, 10), date(2025, 3, 20), date(2025, 4, 2), date(2025, 4, 3)]
    assert consequences(terms, [occ(d) for d in days]) == [REMINDER, TALK, REMINDER, TALK]


def test_rolling_window_counts_trailing_days():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1), window=ladder.ROLLING, window_days=30)
    days = [date(2025, 3, 1), date(2025, 3, 20), date(2025, 3, 30), date(2025, 4, 1)]
    # On 1 April the 1 March occurrence is 31 days back: out of the window.
    assert [d.unit for d in decide(terms, [occ(d) for d in days])] == [1, 2, 3, 3]


def test_quarter_window():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1), window=ladder.QUARTER)
    days = [date(2025, 1, 5), date(2025, 3, 30), date(2025, 4, 1)]
    assert consequences(terms, [occ(d) for d in days]) == [REMINDER, TALK, REMINDER]


def test_first_n_free_per_month():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1), free_per_window=2)
    days = [date(2025, 3, d) for d in (3, 4, 5, 6)] + [date(2025, 4, 1)]
    assert consequences(terms, [occ(d) for d in days]) == [FREE, FREE, REMINDER, TALK, FREE]


def test_n_lates_count_as_one_absence():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1), lates_per_absence=3)
    history = [occ(date(2025, 3, d)) for d in (3, 4, 5, 6, 7, 10)] + [occ(date(2025, 3, 11), "absence")]
    result = decide(terms, history)
    assert [d.consequence for d in result] == [TALLY, TALLY, REMINDER, TALLY, TALLY, TALK, WRITTEN_WARNING]
    assert [d.lates for d in result][:3] == [1, 2, 3]


def test_free_and_lates_together():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1), lates_per_absence=2, free_per_window=1)
    history = [occ(date(2025, 3, d)) for d in (3, 4, 5, 6)]
    assert consequences(terms, history) == [TALLY, FREE, TALLY, REMINDER]


def test_an_exception_is_not_counted():
    terms = Terms(ladder=LADDER, announced_on=date(2025, 1, 1))
    history = [occ(date(2025, 3, 3)), occ(date(2025, 3, 4), exempt=True), occ(date(2025, 3, 5))]
    assert consequences(terms, history) == [REMINDER, EXCUSED, TALK]


# --- property: identical histories, identical consequences ---------------------------------------

KINDS = st.sampled_from(["late", "absence", "early_leave", "manual"])
HISTORY = st.lists(st.tuples(st.integers(0, 120), KINDS, st.booleans()), max_size=40)
TERMS = st.builds(
    Terms,
    ladder=st.lists(st.sampled_from(ladder.LADDER_STEPS), min_size=1, max_size=5).map(tuple),
    window=st.sampled_from([ladder.MONTH, ladder.QUARTER, ladder.ROLLING]),
    window_days=st.integers(1, 60),
    free_per_window=st.integers(0, 3),
    lates_per_absence=st.integers(0, 4),
    announced_on=st.just(date(2025, 1, 10)),
    grace_days=st.integers(0, 14),
    retired_on=st.one_of(st.none(), st.just(date(2025, 4, 20))),
)
BASE = date(2025, 1, 1)


def _history(agent: int, rows, with_exceptions: bool):
    return [
        Occurrence((agent, i), BASE + timedelta(days=d), kind, order=i, exempt=with_exceptions and ex)
        for i, (d, kind, ex) in enumerate(rows)
    ]


@settings(max_examples=200, deadline=None)
@given(TERMS, HISTORY)
def test_identical_histories_get_identical_consequences(terms, rows):
    """Two agents, same rule, same history → the same consequence at every step."""
    a = decide(terms, _history(1, rows, with_exceptions=False))
    b = decide(terms, _history(2, rows, with_exceptions=False))
    assert [(d.phase, d.consequence, d.unit) for d in a] == [(d.phase, d.consequence, d.unit) for d in b]


@settings(max_examples=200, deadline=None)
@given(TERMS, HISTORY)
def test_only_an_exception_makes_a_difference(terms, rows):
    """With exceptions on one side, every difference traces back to an excused occurrence:
    the same history without the excused ones gives the other agent's consequences."""
    exempted = decide(terms, _history(1, rows, with_exceptions=True))
    kept_rows = [r for r in rows if not r[2]]
    reference = decide(terms, _history(2, kept_rows, with_exceptions=False))
    not_excused = [(d.phase, d.consequence, d.unit) for d in exempted if d.consequence != EXCUSED]
    assert not_excused == [(d.phase, d.consequence, d.unit) for d in reference]
    if any(ex for _, _, ex in rows) and exempted != decide(terms, _history(1, rows, with_exceptions=False)):
        assert any(d.consequence == EXCUSED for d in exempted)


@settings(max_examples=200, deadline=None)
@given(TERMS, HISTORY)
def test_linear_counting_agrees_with_recounting(terms, rows):
    history = _history(1, rows, with_exceptions=True)
    assert decide(terms, history) == naive_decide(terms, history)


@settings(max_examples=400, deadline=None)
@given(
    window=st.sampled_from([ladder.MONTH, ladder.QUARTER, ladder.ROLLING]),
    window_days=st.integers(1, 30),
    days=st.lists(st.integers(0, 200), min_size=1, max_size=25),
    cut=st.integers(0, 260),
    late_every=st.integers(0, 3),
)
def test_removing_settled_occurrences_changes_no_kept_decision(window, window_days, days, cut, late_every):
    """What a retention period removes (``settled``) leaves every remaining consequence as it was,
    and nothing whose window is still open at ``today`` is removed."""
    start = date(2026, 1, 1)
    today = start + timedelta(days=cut)
    terms = ladder.Terms(window=window, window_days=window_days, announced_on=date(2025, 1, 1),
                         lates_per_absence=late_every, free_per_window=1,
                         ladder=(ladder.REMINDER, ladder.TALK, ladder.WRITTEN_WARNING))
    occurrences = [ladder.Occurrence(i, start + timedelta(days=d), "late" if i % 2 else "absence")
                   for i, d in enumerate(days)]
    gone = set(ladder.settled(terms, [(o.key, o.day) for o in occurrences], today))
    before = {d.key: d for d in ladder.decide(terms, occurrences)}
    after = {d.key: d for d in ladder.decide(terms, [o for o in occurrences if o.key not in gone])}
    for key, decision in after.items():
        assert (decision.consequence, decision.unit, decision.lates) == (
            before[key].consequence, before[key].unit, before[key].lates)
    for o in occurrences:
        if o.key in gone:
            assert o.day < today and ladder.window_start(terms, today) > o.day
