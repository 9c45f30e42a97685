"""Backtest metrics and the seasonal-naive baseline."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from zhiren.workforce.engine.backtest import (
    aht_wape,
    backtest,
    bias,
    mape,
    seasonal_naive,
    wape,
)
from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.forecast import IntervalObservation, QueueHistory
from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate

from .forecast_support import settings  # noqa: F401

D = dt.date


def test_metric_formulas_on_a_tiny_series():
    actual = [10, 0, 30]
    fc = [12, 1, 20]
    assert wape(actual, fc) == pytest.approx((2 + 1 + 10) / 40)
    assert mape(actual, fc) == pytest.approx((2 / 10 + 10 / 30) / 2)  # zero actual skipped
    assert bias(actual, fc) == pytest.approx((2 + 1 - 10) / 40)
    assert bias(actual, fc) < 0  # under-forecast is negative
    assert bias([10, 10], [11, 12]) == pytest.approx(0.15)  # over-forecast is positive
    assert wape([5, 5], [5, 5]) == 0.0


def test_metrics_with_no_actual_volume_are_nan():
    assert math.isnan(wape([0, 0], [1, 2]))
    assert math.isnan(mape([0, 0], [1, 2]))
    assert math.isnan(bias([0, 0], [1, 2]))


def test_aht_wape_is_weighted_by_actual_volume():
    vol = np.array([10.0, 0.0, 30.0])
    act = np.array([300.0, np.nan, 200.0])
    fc = np.array([330.0, 999.0, 180.0])
    expected = (10 * 30 + 30 * 20) / (10 * 300 + 30 * 200)
    assert aht_wape(vol, act, fc) == pytest.approx(expected)


def _hist(values: list[list[float]], observed: list[bool] | None = None) -> QueueHistory:
    vol = np.array(values, dtype=float)
    n = vol.shape[0]
    obs = np.array(observed if observed is not None else [True] * n)
    return QueueHistory("q", D(2025, 1, 6), 720, vol, vol * 100.0, vol.copy(), obs)


def test_seasonal_naive_repeats_the_last_observed_week():
    values = [[i, 10 * i] for i in range(14)]  # 14 days, two 12-hour slots
    hist = _hist(values)
    vol, aht = seasonal_naive(hist, hist.last_day + dt.timedelta(days=1), 10)
    for i in range(10):
        src = 7 + (i % 7)
        assert vol[i].tolist() == [src, 10 * src]
    assert aht[1].tolist() == [100.0, 100.0]
    # a missing day in the last week falls back to the week before
    observed = [True] * 14
    observed[9] = False
    hist = _hist(values, observed)
    vol, _ = seasonal_naive(hist, hist.last_day + dt.timedelta(days=1), 7)
    assert vol[2].tolist() == [2, 20]


def _periodic_history(weeks: int) -> list[IntervalObservation]:
    """A noise-free, identical week repeated: seasonal naive is perfect on it."""
    out = []
    day0 = D(2025, 3, 3)
    for d in range(7 * weeks):
        day = day0 + dt.timedelta(days=d)
        for s in range(24):
            v = float((day.weekday() + 1) * (5 + (s % 12)))
            out.append(IntervalObservation(dt.datetime.combine(day, dt.time(s)), "q", v, 200.0 + s))
    return out


def test_backtest_on_a_periodic_series():
    report = backtest(_periodic_history(12), weeks=2)
    naive = report.row("q", "interval", "seasonal_naive")
    model = report.row("q", "interval", "model")
    assert naive.wape == pytest.approx(0.0, abs=1e-12)
    assert naive.points == 14 * 24
    assert model.wape < 0.10
    assert report.row("q", "interval", "model").aht_wape < 0.02
    assert len(report.days) == 14
    assert report.holdout_end - report.holdout_start == dt.timedelta(days=13)
    # day-level WAPE from the report equals the formula applied to its own day rows
    days = report.days
    a = [d.actual for d in days]
    f = [d.forecast for d in days]
    assert report.row("q", "day", "model").wape == pytest.approx(wape(a, f))
    assert report.row("q", "day", "model").bias == pytest.approx(bias(a, f))


@pytest.fixture(scope="module")
def noisy():
    return generate(SyntheticSpec(start=D(2025, 1, 6), days=140, queues=("a", "b"), seed=5))


def test_model_beats_seasonal_naive_on_noisy_series(noisy):
    report = backtest(noisy.observations, weeks=4, interval_minutes=60)
    assert report.interval_minutes == 60
    for q in ("a", "b", "*"):
        m = report.row(q, "interval", "model")
        n = report.row(q, "interval", "seasonal_naive")
        assert m.wape < n.wape, q
        assert report.row(q, "day", "model").wape < report.row(q, "day", "seasonal_naive").wape
    assert report.row("a", "interval", "model").points == 28 * 24
    assert report.row("*", "interval", "model").points == 2 * 28 * 24
    table = report.table()
    assert "seasonal_naive" in table and "over-forecast" in table


def test_backtest_rejects_too_long_holdout(noisy):
    with pytest.raises(EngineInputError, match="too short"):
        backtest(noisy.observations, weeks=30)
    with pytest.raises(EngineInputError):
        backtest(noisy.observations, weeks=0)
