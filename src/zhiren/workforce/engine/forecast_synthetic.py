"""Deterministic synthetic contact history with known rates.

Used by the tests, the benchmark and the example files in ``docs/wfm/``.
The true expected volume of every interval is returned alongside the Poisson
draws, so a forecast can be compared with the noise floor (the "oracle").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import DayKind, HolidayCalendar
from .forecast import IntervalObservation

DEFAULT_WEEKDAY_FACTORS = (1.20, 1.10, 1.05, 1.00, 1.05, 0.80, 0.70)


def _bump(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def intraday_shapes(interval_minutes: int) -> dict[str, np.ndarray]:
    """Normalised true shapes: workday (two peaks), weekend/holiday, promotion (evening)."""
    slots = 1440 // interval_minutes
    hours = (np.arange(slots) + 0.5) * interval_minutes / 60.0
    night = 0.03
    workday = (
        night
        + _bump(hours, 10.5, 1.6)
        + 0.8 * _bump(hours, 15.0, 2.0)
        + 0.3 * _bump(hours, 20.5, 1.5)
    )
    weekend = night + 0.7 * _bump(hours, 11.5, 2.5) + 0.6 * _bump(hours, 19.5, 2.5)
    promo = (
        night
        + 0.5 * _bump(hours, 10.5, 2.0)
        + 1.2 * _bump(hours, 21.0, 1.5)
        + 0.6 * _bump(hours, 0.3, 0.6)
    )
    return {
        k: v / v.sum() for k, v in (("workday", workday), ("weekend", weekend), ("promo", promo))
    }


@dataclass
class SyntheticSpec:
    start: dt.date
    days: int
    queues: Sequence[str] = ("general",)
    interval_minutes: int = 30
    base_daily: float = 2000.0  # expected volume of an average weekday at ``start``
    annual_growth: float = 0.15
    weekday_factors: Sequence[float] = DEFAULT_WEEKDAY_FACTORS
    holiday_factor: float = 0.45  # × weekend average
    makeup_factor: float = 0.90  # × workday average
    promotions: Sequence[tuple[dt.date, dt.date, float]] = ()  # (start, end, true uplift)
    queue_scale: Sequence[float] = (1.0, 0.4, 0.25)
    aht_base: float = 320.0
    seed: int = 20250618
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class SyntheticSeries:
    observations: list[IntervalObservation]
    dates: list[dt.date]
    rates: dict[str, np.ndarray]  # queue -> (days, slots) true expected volume
    aht: dict[str, np.ndarray]  # queue -> (days, slots) true mean AHT
    counts: dict[str, np.ndarray]  # queue -> (days, slots) drawn volume


def true_daily_rate(
    spec: SyntheticSpec, day: dt.date, calendar: HolidayCalendar
) -> tuple[float, str]:
    wf = spec.weekday_factors
    years = (day - spec.start).days / 365.25
    level = spec.base_daily * (1 + spec.annual_growth) ** years
    info = calendar.classify(day)
    if info.kind == DayKind.HOLIDAY:
        factor, shape = spec.holiday_factor * (wf[5] + wf[6]) / 2, "weekend"
    elif info.kind == DayKind.MAKEUP_WORKDAY:
        factor, shape = spec.makeup_factor * sum(wf[:5]) / 5, "workday"
    else:
        factor, shape = wf[day.weekday()], "workday" if day.weekday() < 5 else "weekend"
    rate = level * factor
    for p_start, p_end, uplift in spec.promotions:
        if p_start <= day <= p_end:
            rate *= uplift
            shape = "promo"
    return rate, shape


def generate(spec: SyntheticSpec, calendar: HolidayCalendar | None = None) -> SyntheticSeries:
    calendar = calendar or HolidayCalendar()
    rng = np.random.default_rng(spec.seed)
    shapes = intraday_shapes(spec.interval_minutes)
    slots = 1440 // spec.interval_minutes
    hours = (np.arange(slots) + 0.5) * spec.interval_minutes / 60.0
    aht_shape = 1.0 + 0.15 * np.cos(2 * math.pi * (hours - 3.0) / 24.0)  # longer at night
    dates = [spec.start + dt.timedelta(days=i) for i in range(spec.days)]
    daily = [true_daily_rate(spec, d, calendar) for d in dates]
    obs: list[IntervalObservation] = []
    rates: dict[str, np.ndarray] = {}
    ahts: dict[str, np.ndarray] = {}
    counts: dict[str, np.ndarray] = {}
    for qi, queue in enumerate(spec.queues):
        scale = spec.queue_scale[qi % len(spec.queue_scale)]
        rate = np.array([r * scale * shapes[s] for r, s in daily])
        aht = np.tile(spec.aht_base * (1 + 0.1 * qi) * aht_shape, (spec.days, 1))
        drawn = rng.poisson(rate).astype(float)
        rates[queue], ahts[queue], counts[queue] = rate, aht, drawn
        for d_i, day in enumerate(dates):
            midnight = dt.datetime.combine(day, dt.time())
            for s in range(slots):
                v = drawn[d_i, s]
                a = None
                if v > 0:
                    a = round(float(rng.gamma(v * 4.0, aht[d_i, s] / (v * 4.0))), 1)
                obs.append(
                    IntervalObservation(
                        midnight + dt.timedelta(minutes=s * spec.interval_minutes), queue, v, a
                    )
                )
    return SyntheticSeries(obs, dates, rates, ahts, counts)
