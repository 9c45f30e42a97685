"""Cronbach's alpha against a hand-computed case, factor scores, eNPS."""

import pytest

from zhiren.engagement.reliability import cronbach_alpha, enps, factor_scores, lowest


def test_cronbach_alpha_by_hand():
    # items: (1,2,3) variance 1; (2,3,3) variance 1/3; totals (3,5,6) variance 7/3
    # alpha = 2/1 * (1 - (1 + 1/3) / (7/3)) = 2 * 3/7 = 6/7
    assert cronbach_alpha([[1, 2], [2, 3], [3, 3]]) == pytest.approx(6 / 7)


def test_cronbach_alpha_three_items_by_hand():
    # items (5,4,3,2): var 5/3; (4,4,2,2): var 4/3; (5,3,3,1): var 8/3; totals (14,11,8,5): var 15
    # alpha = 3/2 * (1 - (5/3 + 4/3 + 8/3) / 15) = 3/2 * (1 - 17/45) = 3/2 * 28/45 = 14/15
    assert cronbach_alpha([[5, 4, 5], [4, 4, 3], [3, 2, 3], [2, 2, 1]]) == pytest.approx(14 / 15)


def test_alpha_needs_two_items_two_rows_and_varying_totals():
    assert cronbach_alpha([[1, 2]]) is None
    assert cronbach_alpha([[1], [2]]) is None
    assert cronbach_alpha([[3, 3], [3, 3]]) is None


def test_factor_scores_and_lowest():
    answers = [
        {"a1": 5, "a2": 4, "b1": 2},
        {"a1": 4, "a2": 4, "b1": 1},
        {"a1": 3, "a2": 2, "b1": None},
    ]
    scores = factor_scores(answers, {"a": ["a1", "a2"], "b": ["b1"]})
    assert scores["a"]["mean"] == pytest.approx((4 + 10 / 3) / 2)
    assert scores["a"]["favourable"] == pytest.approx(4 / 6)
    assert scores["b"] == {"mean": 1.5, "favourable": 0.0, "alpha": None}
    assert lowest(scores, 1) == ["b"]


def test_enps():
    assert enps([10, 9, 8, 7, 6, 0]) == pytest.approx(100 * (2 - 2) / 6)
    assert enps([10, 10, 5]) == pytest.approx(100 / 3)
    assert enps([None]) is None


def test_comments_are_scrubbed_of_names_phones_and_emails():
    from zhiren.engagement.scrub import MASK, scrub

    text = "陈丽华组长排班不公平，有事打我 138 1234 5678 或 0571-88886666，邮箱 a.b@example.com"
    assert (
        scrub(text, ["陈丽华", "王"])
        == f"{MASK}组长排班不公平，有事打我 {MASK} 或 {MASK}，邮箱 {MASK}"
    )
