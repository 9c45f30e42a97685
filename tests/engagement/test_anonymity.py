"""The differencing-attack suite, on the guard itself (the pages' and the API's turn is in
``test_attacks.py``): each attack is tried and no answer of fewer than the minimum people
may be derivable from what was shown."""

from __future__ import annotations

import pytest

from zhiren.engagement.anonymity import (
    AnonymityError,
    Cell,
    Minimums,
    Reason,
    exposed_group,
    guard,
    shown_sets,
    waves_change,
)


def people(start: int, count: int) -> frozenset[int]:
    return frozenset(range(start, start + count))


def assert_nothing_recoverable(shown, minimum=5):
    assert exposed_group(list(shown), minimum) is None


def test_minimums_default_to_five_and_ten_and_never_go_below_three():
    assert (Minimums().scores, Minimums().comments) == (5, 10)
    Minimums(3, 3)
    with pytest.raises(AnonymityError):
        Minimums(2, 10)
    with pytest.raises(AnonymityError):
        Minimums(5, 1)
    with pytest.raises(AnonymityError):
        guard([], 2)


def test_a_cell_below_the_minimum_is_refused():
    verdicts = guard([Cell("team", people(0, 4))], 5)
    assert verdicts["team"] == verdicts["team"].__class__("team", 4, False, Reason.BELOW_MINIMUM)
    assert guard([Cell("team", people(0, 5))], 5)["team"].shown


def test_siblings_remainder_suppresses_the_next_smallest_team():
    """Site = 8 + 6 + 2: showing the site, the 8 and the 6 would give the 2 away."""
    t1, t2, t3 = people(0, 8), people(8, 6), people(14, 2)
    cells = [Cell("site", t1 | t2 | t3), Cell("t1", t1), Cell("t2", t2), Cell("t3", t3)]
    verdicts = guard(cells, 5)
    assert verdicts["site"].shown and verdicts["t1"].shown
    assert verdicts["t3"].reason == Reason.BELOW_MINIMUM
    assert verdicts["t2"].reason == Reason.REMAINDER  # the next-smallest, suppressed
    assert_nothing_recoverable(shown_sets(cells, verdicts))


def test_parent_minus_children_across_levels():
    """Centre = site A (teams 7, 6) + site B (9): centre − site B − team 7 = team 6 is fine
    (6 ≥ 5), but with team 6 at 3 the guard must hide enough to keep it."""
    a1, a2, b = people(0, 7), people(7, 3), people(10, 9)
    cells = [
        Cell("centre", a1 | a2 | b),
        Cell("site_a", a1 | a2),
        Cell("site_b", b),
        Cell("a1", a1),
        Cell("a2", a2),
    ]
    verdicts = guard(cells, 5)
    assert not verdicts["a2"].shown
    assert not verdicts["a1"].shown  # site A − a1 would be a2
    assert_nothing_recoverable(shown_sets(cells, verdicts))


def test_overall_minus_a_filter_is_refused_with_its_reason():
    """Team of 9, of which 6 joined in the last six months: 9 − 6 = 3 longer-serving."""
    team = people(0, 9)
    new = people(0, 6)
    verdicts = guard([Cell("team", team), Cell("team:new", new, kind="filter")], 5)
    assert verdicts["team"].shown
    assert verdicts["team:new"].reason == Reason.FILTER_REMAINDER
    ok = guard([Cell("team", people(0, 12)), Cell("team:new", new, kind="filter")], 5)
    assert ok["team:new"].shown


def test_repeated_queries_after_one_more_answer_are_refused():
    """The lead looks at 6 answers, waits for the 7th and looks again."""
    history = [people(0, 6)]
    verdicts = guard([Cell("team", people(0, 7))], 5, history)
    assert verdicts["team"].reason == Reason.RECENT_QUERIES
    assert guard([Cell("team", people(0, 7))], 5)["team"].shown  # a viewer who never looked before
    later = guard([Cell("team", people(0, 11))], 5, history)  # five more: a group of 5 is allowed
    assert later["team"].shown
    assert_nothing_recoverable([*history, people(0, 11)])


def test_the_same_people_sliced_two_ways_across_queries():
    """First the team's new hires (5), then its voice agents (the same 5 and one more)."""
    team = people(0, 12)
    history = [team, people(0, 5)]
    cells = [Cell("team", team), Cell("team:voice", people(0, 6), kind="filter")]
    verdicts = guard(cells, 5, history)
    assert verdicts["team"].shown
    assert verdicts["team:voice"].reason == Reason.RECENT_QUERIES
    assert_nothing_recoverable([*history, *shown_sets(cells, verdicts)])


def test_consecutive_waves_with_one_joiner_or_leaver_are_refused():
    last_week, this_week = people(0, 8), people(0, 9)
    joined, left = waves_change(last_week, this_week)
    assert (joined, left) == (1, 0)
    verdicts = guard([Cell("team", this_week, joined=joined, left=left)], 5)
    assert verdicts["team"].reason == Reason.CONSECUTIVE_WAVES
    assert (
        guard([Cell("team", people(1, 7), joined=0, left=1)], 5)["team"].reason
        == Reason.CONSECUTIVE_WAVES
    )
    assert guard([Cell("team", this_week, joined=0, left=0)], 5)["team"].shown
    assert guard([Cell("team", people(0, 13), joined=5, left=0)], 5)["team"].shown


def test_a_union_of_small_blocks_is_as_protected_as_one():
    """Two filters crossing inside a team: each block is small, their union too."""
    team = people(0, 10)
    a = people(0, 6)
    b = people(2, 6)  # a∩b = 4, a only = 2, b only = 2, neither = 2
    cells = [Cell("team", team), Cell("a", a, kind="filter"), Cell("b", b, kind="filter")]
    verdicts = guard(cells, 5)
    assert_nothing_recoverable(shown_sets(cells, verdicts))
    assert not verdicts["a"].shown  # team − a = 4


def test_brute_force_no_view_ever_leaks():
    """Random hierarchies and filters: whatever the guard lets through, no group smaller than
    the minimum has a derivable sum (checked independently by exact elimination)."""
    import random
    from fractions import Fraction

    rng = random.Random(7)
    for _ in range(60):
        minimum = rng.choice([3, 5])
        members = list(range(rng.randint(8, 30)))
        teams = [frozenset(m for m in members if m % rng.randint(2, 4) == r) for r in range(2)]
        cells = [Cell("site", frozenset(members))] + [Cell(f"t{i}", t) for i, t in enumerate(teams)]
        cells += [
            Cell(
                f"f{i}", frozenset(rng.sample(members, rng.randint(1, len(members)))), kind="filter"
            )
            for i in range(3)
        ]
        earlier = [
            Cell(
                f"e{i}", frozenset(rng.sample(members, rng.randint(1, len(members)))), kind="filter"
            )
            for i in range(2)
        ]
        past = shown_sets(earlier, guard(earlier, minimum)) if rng.random() < 0.5 else []
        verdicts = guard(cells, minimum, past)
        shown = [*past, *shown_sets(cells, verdicts)] if past else shown_sets(cells, verdicts)
        # independent check (plain rank test): no single person's answer is derivable
        for person in members:
            assert not _derivable(shown, frozenset([person]), Fraction), (minimum, person)


def _derivable(sets, target, Fraction):
    universe = sorted(set().union(*sets, target)) if sets else sorted(target)
    rows = [[Fraction(1 if m in s else 0) for m in universe] for s in sets]
    goal = [Fraction(1 if m in target else 0) for m in universe]

    def rank(matrix):
        matrix = [row[:] for row in matrix]
        r = 0
        for col in range(len(universe)):
            pivot = next((i for i in range(r, len(matrix)) if matrix[i][col]), None)
            if pivot is None:
                continue
            matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
            for i in range(len(matrix)):
                if i != r and matrix[i][col]:
                    f = matrix[i][col] / matrix[r][col]
                    matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
            r += 1
        return r

    return rank(rows + [goal]) == rank(rows) if rows else False
