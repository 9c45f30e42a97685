"""Forecasting on synthetic series with known rates."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.forecast import (
    CN_TZ,
    Event,
    ForecastConfig,
    IntervalObservation,
    fit_forecast_model,
    forecast,
)
from zhiren.workforce.engine.forecast_synthetic import (
    DEFAULT_WEEKDAY_FACTORS,
    SyntheticSpec,
    generate,
    intraday_shapes,
)

from .forecast_support import settings  # noqa: F401

D = dt.date


@pytest.fixture(scope="module")
def half_year():
    """26 weeks of 30-min history for two queues, +15%/year, no events."""
    return generate(SyntheticSpec(start=D(2025, 3, 3), days=182, queues=("a", "b"), seed=7))


def _rate_days(series, queue, dates):
    idx = {d: i for i, d in enumerate(series.dates)}
    return np.array([series.rates[queue][idx[d]].sum() for d in dates])


def test_weekday_factors_are_recovered(half_year):
    model = fit_forecast_model(half_year.observations)
    factors = model.fits["a"].description.weekday_factors
    true = np.array(DEFAULT_WEEKDAY_FACTORS)
    true = true / math.exp(np.log(true).mean())
    got = np.array(list(factors.values()))
    assert np.max(np.abs(got / true - 1)) < 0.03


def test_intraday_profile_is_recovered(half_year):
    result = forecast(half_year.observations, horizon_weeks=1, start=D(2025, 9, 3))  # a Wednesday
    rows = [r for r in result.intervals if r.queue == "a" and r.start.date() == D(2025, 9, 3)]
    assert len(rows) == 48
    vol = np.array([r.volume for r in rows])
    share = vol / vol.sum()
    true = intraday_shapes(30)["workday"]
    assert np.abs(share - true).sum() < 0.05  # total variation distance
    assert int(np.argmax(share)) == int(np.argmax(true))
    sunday = [
        r.volume for r in result.intervals if r.queue == "a" and r.start.date() == D(2025, 9, 7)
    ]
    sshare = np.array(sunday) / sum(sunday)
    assert np.abs(sshare - intraday_shapes(30)["weekend"]).sum() < 0.06


def test_daily_forecast_tracks_true_rates_and_queues_are_separate(half_year):
    history = [o for o in half_year.observations if o.start.date() < D(2025, 8, 4)]
    result = forecast(history, horizon_weeks=4, granularity="day")
    assert result.intervals == []
    for q, scale in (("a", 1.0), ("b", 0.4)):
        days = [d for d in result.daily if d.queue == q]
        assert len(days) == 28
        fc = np.array([d.volume for d in days])
        true = _rate_days(half_year, q, [d.date for d in days])
        assert np.abs(fc - true).sum() / true.sum() < 0.04, q
        assert fc.mean() == pytest.approx(2000 * scale * 1.1, rel=0.15)


def test_trend_is_recovered():
    series = generate(SyntheticSpec(start=D(2024, 9, 2), days=280, annual_growth=0.40, seed=3))
    cut = D(2025, 5, 11)
    history = [o for o in series.observations if o.start.date() <= cut]
    model = fit_forecast_model(history, config=ForecastConfig(trend="linear"))
    growth = model.fits["general"].description.annual_growth
    assert 0.30 < growth < 0.50
    result = model.predict(horizon_weeks=4, granularity="day")
    fc = np.array([d.volume for d in result.daily])
    true = _rate_days(series, "general", [d.date for d in result.daily])
    assert abs(fc.sum() / true.sum() - 1) < 0.03
    flat = fit_forecast_model(history, config=ForecastConfig(trend="none")).predict(
        horizon_weeks=4, granularity="day"
    )
    flat_total = sum(d.volume for d in flat.daily)
    assert flat_total < fc.sum()  # ignoring the growth under-forecasts


@pytest.fixture(scope="module")
def promo_series():
    promos = [
        (D(2024, 6, 18), D(2024, 6, 18), 2.2),
        (D(2024, 11, 11), D(2024, 11, 11), 2.2),
        (D(2025, 3, 8), D(2025, 3, 8), 2.2),
        (D(2025, 6, 18), D(2025, 6, 18), 2.2),
    ]
    return generate(SyntheticSpec(start=D(2024, 3, 4), days=620, promotions=promos, seed=11))


def test_promotion_uplift_is_learned_and_applied(promo_series):
    events = [
        Event("big sale", D(2024, 6, 18), D(2024, 6, 18)),
        Event("big sale", D(2024, 11, 11), D(2024, 11, 11)),
        Event("big sale", D(2025, 3, 8), D(2025, 3, 8)),
        Event("big sale", D(2025, 6, 18), D(2025, 6, 18)),  # in the horizon: uplift learned
    ]
    history = [o for o in promo_series.observations if o.start.date() < D(2025, 6, 2)]
    model = fit_forecast_model(history, events=events)
    desc = model.fits["general"].description
    assert desc.event_uplift_learned["big sale"]
    assert desc.event_uplifts["big sale"] == pytest.approx(2.2, rel=0.12)
    result = model.predict(start=D(2025, 6, 2), horizon_weeks=4)
    day = next(d for d in result.daily if d.date == D(2025, 6, 18))
    assert day.events == ("big sale",)
    true = _rate_days(promo_series, "general", [D(2025, 6, 18)])[0]
    assert day.volume == pytest.approx(true, rel=0.12)
    # the promotion's own intraday shape (evening peak) is learned too
    rows = [r for r in result.intervals if r.start.date() == D(2025, 6, 18)]
    peak = max(rows, key=lambda r: r.volume)
    assert peak.start.hour >= 20
    ordinary = [r for r in result.intervals if r.start.date() == D(2025, 6, 25)]
    assert max(ordinary, key=lambda r: r.volume).start.hour < 12


def test_given_uplift_is_applied_exactly(half_year):
    history = half_year.observations
    base = forecast(history, horizon_weeks=2, granularity="day")
    ev = Event("live stream", D(2025, 9, 3), D(2025, 9, 4), uplift=1.5)
    boosted = forecast(history, horizon_weeks=2, granularity="day", events=[ev])
    for b, u in zip(base.daily, boosted.daily, strict=True):
        expected = 1.5 if ev.covers(b.date) else 1.0
        assert u.volume == pytest.approx(b.volume * expected, rel=1e-9)


def test_event_without_history_or_uplift_warns(half_year):
    ev = Event("new campaign", D(2025, 9, 3), D(2025, 9, 3))
    result = forecast(half_year.observations, horizon_weeks=1, events=[ev])
    assert any("new campaign" in w for w in result.warnings)


def test_holidays_and_makeup_days_in_the_horizon(promo_series):
    """History to Aug 2025 includes 2024's National Day; 2025's is forecast."""
    history = [o for o in promo_series.observations if o.start.date() < D(2025, 9, 22)]
    result = forecast(history, horizon_weeks=4, granularity="day")
    by_day = {d.date: d for d in result.daily}
    national = [D(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)]
    fc = np.array([by_day[d].volume for d in national])
    true = _rate_days(promo_series, "general", national)
    assert np.abs(fc / true - 1).max() < 0.15
    assert all(by_day[d].day_kind == "holiday" for d in national)
    # 2025-09-28 is a Sunday make-up workday: forecast like a workday, not a Sunday
    makeup = by_day[D(2025, 9, 28)]
    assert makeup.day_kind == "makeup_workday"
    assert makeup.volume > 1.15 * by_day[D(2025, 10, 12)].volume  # an ordinary Sunday
    true_makeup = _rate_days(promo_series, "general", [D(2025, 9, 28)])[0]
    assert makeup.volume == pytest.approx(true_makeup, rel=0.12)


def test_aht_per_interval_is_recovered(half_year):
    result = forecast(half_year.observations, horizon_weeks=1, start=D(2025, 9, 3))
    rows = [r for r in result.intervals if r.queue == "a" and r.start.date() == D(2025, 9, 3)]
    true = half_year.aht["a"][0]
    for i in range(16, 44):  # 08:00-22:00, where there is volume
        assert rows[i].aht_seconds == pytest.approx(true[i], rel=0.05)
    daily = next(d for d in result.daily if d.queue == "a" and d.date == D(2025, 9, 3))
    assert 0.8 * true.mean() < daily.aht_seconds < 1.2 * true.mean()


def test_unlabelled_outlier_day_is_downweighted(half_year):
    history = [o for o in half_year.observations if o.queue == "a"]
    spiked = [
        IntervalObservation(o.start, o.queue, o.volume * 6, o.aht_seconds)
        if o.start.date() == D(2025, 8, 20)
        else o
        for o in history
    ]
    base = forecast(history, horizon_weeks=1, granularity="day")
    robust = forecast(spiked, horizon_weeks=1, granularity="day")
    ratio = sum(d.volume for d in robust.daily) / sum(d.volume for d in base.daily)
    assert abs(ratio - 1) < 0.02
    assert robust.models["a"].downweighted_days >= 1


def test_interval_aggregation_and_bad_interval(half_year):
    result = forecast(half_year.observations, horizon_weeks=1, interval_minutes=60)
    rows = [r for r in result.intervals if r.queue == "a" and r.start.date() == result.start]
    assert len(rows) == 24
    assert [r.start.minute for r in rows] == [0] * 24
    daily = next(d for d in result.daily if d.queue == "a" and d.date == result.start)
    assert sum(r.volume for r in rows) == pytest.approx(daily.volume)
    with pytest.raises(EngineInputError, match="multiple"):
        forecast(half_year.observations, horizon_weeks=1, interval_minutes=45)


def test_horizon_limits(half_year):
    long = forecast(half_year.observations, horizon_weeks=64, granularity="day")
    assert len(long.daily) == 2 * 64 * 7
    assert long.end - long.start == dt.timedelta(days=64 * 7 - 1)
    assert all(d.volume > 0 and math.isfinite(d.volume) for d in long.daily)
    with pytest.raises(EngineInputError, match="horizon"):
        forecast(half_year.observations, horizon_weeks=65)
    with pytest.raises(EngineInputError, match="horizon"):
        forecast(half_year.observations, horizon_weeks=0)


def test_aware_timestamps_give_the_same_forecast(half_year):
    naive = [o for o in half_year.observations if o.queue == "b"]
    utc = [
        IntervalObservation(
            o.start.replace(tzinfo=CN_TZ).astimezone(dt.UTC), o.queue, o.volume, o.aht_seconds
        )
        for o in naive
    ]
    a = forecast(naive, horizon_weeks=1)
    b = forecast(utc, horizon_weeks=1)
    assert a.start == b.start
    assert b.intervals[0].start.utcoffset() == dt.timedelta(hours=8)
    assert a.intervals[0].start.tzinfo is None
    assert [r.volume for r in a.intervals] == pytest.approx([r.volume for r in b.intervals])


def test_bad_history_rows_are_located():
    t0 = dt.datetime(2025, 1, 6, 9, 0)
    rows = [IntervalObservation(t0 + dt.timedelta(days=i), "q", 10.0) for i in range(20)]
    mixed = [*rows, IntervalObservation(dt.datetime(2025, 2, 1, 9, tzinfo=CN_TZ), "q", 1.0)]
    with pytest.raises(EngineInputError) as exc:
        fit_forecast_model(mixed)
    assert exc.value.row == 21 and exc.value.column == "interval_start"
    negative = [*rows[:5], IntervalObservation(t0, "r", -1.0), *rows[5:]]
    with pytest.raises(EngineInputError) as exc:
        fit_forecast_model(negative)
    assert exc.value.row == 6 and exc.value.column == "volume"
    dup = [*rows, rows[3]]
    with pytest.raises(EngineInputError, match="duplicate") as exc:
        fit_forecast_model(dup)
    assert exc.value.row == 21
    with pytest.raises(EngineInputError, match="at least"):
        fit_forecast_model(rows[:10])


def test_missing_days_are_not_zeros(half_year):
    gap = (D(2025, 7, 7), D(2025, 7, 20))
    history = [
        o
        for o in half_year.observations
        if o.queue == "a" and not gap[0] <= o.start.date() <= gap[1]
    ]
    full = forecast(
        [o for o in half_year.observations if o.queue == "a"], horizon_weeks=2, granularity="day"
    )
    holed = forecast(history, horizon_weeks=2, granularity="day")
    assert holed.models["a"].missing_days == 14
    assert any("missing" in w for w in holed.warnings)
    ratio = sum(d.volume for d in holed.daily) / sum(d.volume for d in full.daily)
    assert abs(ratio - 1) < 0.03


def test_model_description_mentions_the_parts(promo_series):
    model = fit_forecast_model(
        [o for o in promo_series.observations if o.start.date() < D(2025, 5, 1)],
        events=[Event("big sale", D(2024, 6, 18), D(2024, 6, 18))],
    )
    text = model.predict(horizon_weeks=1).model_description
    assert "yearly seasonality" in text and "no yearly" not in text
    assert "big sale" in text and "learned" in text
    assert "Spring Festival" in text
