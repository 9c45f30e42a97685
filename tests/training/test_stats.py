"""Estimates and intervals against values worked out by hand (t and z from tables)."""

import pytest

from zhiren.training import stats


def test_mean_with_t_interval():
    # mean 3, s = √2.5 = 1.5811, se = .7071, t(.975, 4) = 2.7764 → ± 1.9632
    e = stats.mean_ci([1, 2, 3, 4, 5])
    assert e.value == 3 and e.n == 5
    assert e.low == pytest.approx(1.0368, abs=1e-3)
    assert e.high == pytest.approx(4.9632, abs=1e-3)


def test_too_little_data_has_no_interval_and_none_is_missing():
    one = stats.mean_ci([4.0])
    assert one.value == 4.0 and not one.has_interval
    none = stats.mean_ci([])
    assert none.value is None and none.n == 0


def test_paired_change():
    # differences 1, 2, 3: mean 2, s = 1, se = .5774, t(.975, 2) = 4.3027 → ± 2.4842
    e = stats.paired_change([10, 10, 10], [11, 12, 13])
    assert e.value == 2
    assert e.low == pytest.approx(-0.4842, abs=1e-3)
    assert e.high == pytest.approx(4.4842, abs=1e-3)
    assert not e.significant


def test_welch_difference():
    # a: mean 2, var 1, n 3; b: mean 5.5, var 1.6667, n 4 → se = √(.3333 + .4167) = .8660,
    # df = .75² / (.3333²/2 + .4167²/3) = 4.959, t(.975, 4.959) ≈ 2.5771 → ± 2.2317
    a, b = [1, 2, 3], [4, 5, 6, 7]
    assert stats.welch_df(a, b) == pytest.approx(4.959, abs=1e-3)
    e = stats.difference(a, b)
    assert e.value == pytest.approx(-3.5)
    assert e.low == pytest.approx(-5.7317, abs=1e-3)
    assert e.high == pytest.approx(-1.2683, abs=1e-3)
    assert e.significant and e.n == 3 and e.n_other == 4


def test_wilson_interval():
    # 8 of 10 at 95 %: (0.4902, 0.9433)
    e = stats.proportion(8, 10)
    assert e.value == 0.8
    assert e.low == pytest.approx(0.4902, abs=1e-3)
    assert e.high == pytest.approx(0.9433, abs=1e-3)
    assert stats.proportion(0, 0).value is None
