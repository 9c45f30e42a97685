"""Agreement statistics against values computed by hand (docs/quality.md, "Calibration")."""

import pytest

from zhiren.quality.agreement import alignment, alpha, icc, level_for_scale, percent_agreement


def test_alpha_nominal_two_raters():
    # Coincidences: o11 = 4, o22 = 2, o12 = o21 = 1; n1 = 5, n2 = 3, n = 8.
    # Do = 2/8, De = 2 x 5 x 3 / (8 x 7) = 30/56; alpha = 1 - (1/4)/(30/56) = 8/15.
    assert alpha([[1, 1, 2, 2], [1, 1, 2, 1]], "nominal") == pytest.approx(8 / 15)


def test_alpha_ordinal_and_nominal_differ_on_the_same_data():
    ratings = [[1, 2, 3, 3], [1, 3, 3, 2]]
    # n1 = 2, n2 = 2, n3 = 4; ordinal d2(2,3) = 9, d2(1,2) = 4, d2(1,3) = 25.
    # Do = 4 x 9 / 8 = 4.5; De = 2 (4 x 4 + 8 x 25 + 8 x 9) / 56 = 576/56; alpha = 1 - 4.5 x 56/576 = 9/16.
    assert alpha(ratings, "ordinal") == pytest.approx(9 / 16)
    # nominal: Do = 4/8, De = (64 - 24)/56; alpha = 1 - 0.5 x 56/40 = 0.3
    assert alpha(ratings, "nominal") == pytest.approx(0.3)


def test_alpha_with_missing_ratings_and_undefined_cases():
    # the third rater's gap and the unit only one rater scored change nothing pairable:
    assert alpha([[1, 1, 2, 2, 1], [1, 1, 2, 1, None], [None] * 5], "nominal") == pytest.approx(8 / 15)
    assert alpha([[1, 1], [1, 1]], "nominal") is None  # one value only: undefined
    assert alpha([[1, None], [None, 2]], "nominal") is None  # nothing pairable
    assert alpha([[1, 2]], "nominal") is None


def test_level_for_scale():
    assert [level_for_scale(s) for s in ("yes_no", "one_to_five", "points")] == ["nominal", "ordinal", "interval"]


def test_icc_two_way_by_hand():
    # MSR = 37/6, MSC = 2/3, MSE = 1/6 (n = 3 contacts, k = 2 inspectors)
    # ICC(2,1) = (37/6 - 1/6) / (37/6 + 1/6 + 2 (2/3 - 1/6) / 3) = 6 / (40/6) = 0.9
    # ICC(3,1) = 6 / (38/6) = 18/19
    scores = [[1, 2], [3, 4], [5, 5]]
    assert icc(scores) == pytest.approx(0.9)
    assert icc(scores, "3,1") == pytest.approx(18 / 19)
    assert icc([*scores, [4, None]]) == pytest.approx(0.9)  # an incomplete contact is left out
    assert icc([[1, 2]]) is None


def test_icc_perfect_agreement_is_one():
    assert icc([[80, 80], [90, 90], [70, 70]]) == pytest.approx(1.0)


def test_percent_agreement():
    # unit 1: 3 pairs, all agree; unit 2: (yes, no), (yes, yes), (no, yes) -> 1 of 3 agree
    assert percent_agreement([["yes", "yes", "yes"], ["yes", "no", "yes"]]) == pytest.approx(4 / 6)
    assert percent_agreement([["yes", None]]) is None


def test_alignment_weighted_by_points():
    criteria = {"greet": ("yes_no", 5), "empathy": ("one_to_five", 10), "accuracy": ("points", 20)}
    # 1, 1 - 2/4, 1 - 5/20 -> (5 + 5 + 15) / 35
    got = alignment({"greet": "yes", "empathy": 4, "accuracy": 15},
                    {"greet": "yes", "empathy": 2, "accuracy": 20}, criteria)
    assert got == pytest.approx(25 / 35)
    # N/A against an answer aligns nothing; both N/A is left out
    assert alignment({"greet": "na", "empathy": "na"}, {"greet": "yes", "empathy": "na"},
                     {"greet": ("yes_no", 5), "empathy": ("one_to_five", 10)}) == 0.0
    assert alignment({"greet": "no"}, {"greet": "yes"}, {"greet": ("yes_no", 5)}) == 0.0
