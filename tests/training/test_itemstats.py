"""Item analysis against values worked out by hand."""

import math

import pytest

from zhiren.training import itemstats


def test_difficulty_is_the_share_correct():
    assert itemstats.difficulty([1, 1, 1, 0, 0]) == 0.6
    assert itemstats.difficulty([]) is None


def test_point_biserial_by_hand():
    # totals 10 8 6 4 2: mean 6, population sd √8 = 2.8284; right M1 = 8, wrong M0 = 3;
    # p = .6, √(pq) = √.24 = .4899 → r = 5 / 2.8284 × .4899 = .8660
    r = itemstats.point_biserial([1, 1, 1, 0, 0], [10, 8, 6, 4, 2])
    assert r == pytest.approx(math.sqrt(3) / 2, abs=1e-4)
    # right M1 = (8 + 4) / 2 = 6, wrong M0 = (10 + 6 + 2) / 3 = 6 → r = 0
    assert itemstats.point_biserial([0, 1, 0, 1, 0], [10, 8, 6, 4, 2]) == pytest.approx(0)
    # a reversed item discriminates negatively
    assert itemstats.point_biserial([0, 0, 1, 1, 1], [10, 8, 6, 4, 2]) == pytest.approx(
        -math.sqrt(3) / 2, abs=1e-4
    )


def test_undefined_figures_are_none_not_zero():
    assert itemstats.point_biserial([1, 1, 1], [3, 2, 1]) is None  # everyone right
    assert itemstats.point_biserial([1, 0, 1], [2, 2, 2]) is None  # no spread
    assert itemstats.point_biserial([1], [1]) is None
    assert itemstats.upper_lower([1], [1]) is None


def test_upper_lower_index_by_hand():
    # ten attempts, 27 % → groups of 3: top three (totals 10, 9, 8) have the item 1, 1, 0;
    # bottom three (3, 2, 1) have 0, 1, 0 → D = 2/3 − 1/3 = 1/3
    item = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0]
    totals = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert itemstats.upper_lower(item, totals) == pytest.approx(1 / 3)
    assert itemstats.upper_lower([1, 1, 1, 0, 0], [10, 8, 6, 4, 2]) == 1.0


def test_analyse_uses_the_rest_score():
    matrix = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]
    stats = itemstats.analyse(matrix)
    assert [s.difficulty for s in stats] == [0.75, 0.5, 0.25]
    # item 0: rest scores 2, 1, 0, 0 (mean .75, population sd √(.6875) = .8292);
    # right mean 1, wrong mean 0, √(.75 × .25) = .4330 → r = 1 / .8292 × .4330 = .5222
    assert stats[0].point_biserial == pytest.approx(0.5222, abs=1e-4)
    assert stats[0].n == 4
