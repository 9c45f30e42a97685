"""The score formula on the worked cases of docs/quality.md (computed by hand there)."""

import pytest

from zhiren.quality.scoring import (
    NA,
    ONE_TO_FIVE,
    POINTS,
    Criterion,
    Scorecard,
    ScoringError,
    Section,
    score,
)

CARD = Scorecard([
    Section("open", [Criterion("greet", 5), Criterion("empathy", 10, ONE_TO_FIVE, na_allowed=True)]),
    Section("solve", [Criterion("accuracy", 20, POINTS, na_allowed=True),
                      Criterion("verify", 10, critical="section", na_allowed=True)]),
    Section("comply", [Criterion("privacy", 10, critical="total"), Criterion("close", 5, na_allowed=True)]),
    Section("bonus", [Criterion("wow", 5)], bonus=True),
])

FULL = {"greet": "yes", "empathy": 5, "accuracy": 20, "verify": "yes", "privacy": "yes", "close": "yes", "wow": "no"}


def answers(**changes):
    return {**FULL, **changes}


def test_all_best_answers_score_100_and_bonus_is_capped():
    assert score(CARD, FULL).score == 100.0
    assert score(CARD, answers(wow="yes")).score == 100.0


def test_na_leaves_the_denominator():
    # earned 5 + 7.5 + 12 + 10 + 10 = 44.5 of 55 (close is N/A) -> 80.909... -> 80.91
    result = score(CARD, answers(empathy=4, accuracy=12, close=NA))
    assert result.score == 80.91
    assert [s.possible for s in result.sections[:3]] == [15, 30, 10]


def test_bonus_adds_on_top_of_the_percentage():
    assert score(CARD, answers(empathy=4, accuracy=12, close=NA, wow="yes")).score == 85.91


def test_critical_section_failure_zeroes_the_section_and_overrides_na():
    # solve: verify failed, accuracy N/A -> counts 0 of its full 30 points.
    # 5 (greet) + 0 (empathy N/A) + 0 of 30 + 15 of 15 -> 20 / 50 = 40; the bonus is not added.
    result = score(CARD, answers(empathy=NA, accuracy=NA, verify="no", wow="yes"))
    assert result.score == 40.0
    assert result.critical_failed == "section"
    assert result.failed_criteria == ["verify"]
    solve = result.sections[1]
    assert (solve.result, solve.earned, solve.possible, solve.critical_failed) == (0.0, 0.0, 30.0, True)


def test_critical_total_failure_zeroes_the_score():
    result = score(CARD, answers(privacy="no", wow="yes"))
    assert result.score == 0.0
    assert result.critical_failed == "total"


def test_all_na_section_leaves_the_denominator():
    # solve all N/A: 5 + 5 (empathy 3 -> 0.5 x 10) + 10 + 0 = 20 of 30 -> 66.67
    result = score(CARD, answers(empathy=3, accuracy=NA, verify=NA, close="no"))
    assert result.score == 66.67
    assert result.sections[1].result is None


def test_everything_na_has_no_score():
    card = Scorecard([Section("s", [Criterion("a", na_allowed=True), Criterion("b", 2, na_allowed=True)])])
    assert score(card, {"a": NA, "b": NA}).score is None
    assert score(card, {}).score is None  # missing answers on N/A criteria count as N/A


def test_weighted_sections():
    card = Scorecard([
        Section("s1", [Criterion("a", 1), Criterion("b", 3)], weight=40),
        Section("s2", [Criterion("c", 2, ONE_TO_FIVE, na_allowed=True), Criterion("d", 2, na_allowed=True)], weight=60),
    ])
    # s1 = 1/4, s2 = (1 + 2) / 4 = 0.75 -> (40 x 0.25 + 60 x 0.75) / 100 = 55
    assert score(card, {"a": "yes", "b": "no", "c": 3, "d": "yes"}).score == 55.0
    # s2 all N/A: its weight leaves the denominator -> 25
    assert score(card, {"a": "yes", "b": "no", "c": NA, "d": NA}).score == 25.0


def test_rounding_is_half_up_on_exact_values():
    card = Scorecard([Section("s", [Criterion("p", 800, POINTS)])])
    assert score(card, {"p": 641}).score == 80.13  # 80.125 exactly


@pytest.mark.parametrize("bad", [
    {"greet": "maybe"}, {"empathy": 6}, {"empathy": 2.5}, {"accuracy": 21}, {"accuracy": -1},
    {"greet": NA}, {"nope": "yes"},
])
def test_bad_answers_are_refused(bad):
    with pytest.raises(ScoringError):
        score(CARD, answers(**bad))


def test_a_scorecard_must_weigh_all_sections_or_none():
    card = Scorecard([Section("a", [Criterion("x")], weight=1), Section("b", [Criterion("y")])])
    with pytest.raises(ValueError, match="weight"):
        score(card, {"x": "yes", "y": "yes"})
