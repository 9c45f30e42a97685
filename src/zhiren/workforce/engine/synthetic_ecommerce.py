"""Synthetic e-commerce contact history built like real ones, with known rates.

What the simple generator in :mod:`forecast_synthetic` leaves out, and a shop's
customer service sees around every 大促:

* **multi-day promotions**: an evening pre-sale launch (定金 at 20:00) some days
  before the peak, a build-up towards it, the peak day itself with a **midnight
  launch** (the first hour of 双11 is its busiest), and an after-sales tail
  (logistics, returns) that decays over the following days; each queue reacts
  to each phase in its own way (pre-sales peaks on the day, after-sales in the tail);
* year-to-year variation of a promotion's size (the same 双11 is not the same
  twice), which no model can know in advance;
* Chinese statutory holidays and make-up workdays (调休) from :mod:`calendar_cn`,
  with a per-holiday level (Spring Festival is quieter than National Day) and a
  backlog on the first working day back;
* a **trend break**: a level step and a change of growth rate on one day (a
  channel moved, a competitor opened), plus smooth yearly seasonality.

The true expected volume of every interval is returned with the Poisson draws,
so a forecast can be compared with the noise floor. The parameter sets are
plain data: the benchmark keeps its own, not the one the model was developed on
(:func:`development_spec`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import DayKind, HolidayCalendar
from .forecast_events import Event
from .forecast_history import IntervalObservation
from .forecast_synthetic import SyntheticSeries


@dataclass(frozen=True)
class PromotionSpec:
    """One promotion family and how its days behave around each peak in ``peaks``."""

    family: str
    peaks: tuple[dt.date, ...]
    peak_uplift: float  # × the calendar's volume on the peak day
    presale_lead_days: int = 10  # the pre-sale opens this many days before the peak
    presale_uplift: float = 1.6  # on the pre-sale launch day
    presale_launch_hour: float = 20.0
    buildup_days: int = 3  # rising volume over these days before the peak
    buildup_uplift: float = 1.5  # on the day before the peak
    tail_days: int = 5  # after-sales tail
    tail_uplift: float = 1.5  # on the day after the peak, decaying
    launch_hour: float = 0.0  # the peak day's launch (midnight for 双11)
    year_sd: float = 0.04  # log-sd of an occurrence's size around the family's

    def day_uplift(self, offset: int, size: float) -> tuple[float, str]:
        """(uplift, phase) ``offset`` days from a peak, the excess scaled by ``size``."""

        def scaled(u: float) -> float:
            return 1.0 + (u - 1.0) * size

        lead, build = self.presale_lead_days, self.buildup_days
        if offset == 0:
            return scaled(self.peak_uplift), "peak"
        if 0 < offset <= self.tail_days:
            decay = math.exp(-(offset - 1) / max(self.tail_days / 3.0, 0.5))
            return scaled(1.0 + (self.tail_uplift - 1.0) * decay), "tail"
        if -lead <= offset < 0:
            presale = 0.0
            if offset == -lead:
                presale = self.presale_uplift - 1.0
            else:
                presale = (self.presale_uplift - 1.0) * 0.35 * 0.75 ** (offset + lead - 1)
            rise = 0.0
            if offset >= -build:
                rise = (self.buildup_uplift - 1.0) * ((offset + build + 1) / build) ** 2
            phase = (
                "presale" if offset == -lead else ("buildup" if rise > presale else "presale_tail")
            )
            return scaled(1.0 + max(presale, rise)), phase
        return 1.0, ""


@dataclass
class EcommerceSpec:
    start: dt.date
    days: int
    queues: Sequence[str] = ("presales", "after_sales")
    queue_scale: Sequence[float] = (1.0, 0.5)
    # per queue, how strongly it reacts to (pre-sale and build-up, peak, tail)
    queue_response: Sequence[tuple[float, float, float]] = ((1.0, 1.0, 0.6), (0.5, 0.6, 1.6))
    interval_minutes: int = 15
    base_daily: float = 3000.0
    weekday_factors: Sequence[float] = (1.15, 1.08, 1.04, 1.00, 1.02, 0.86, 0.85)
    holiday_factor: float = 0.55  # × the weekend mean
    holiday_factors: dict[str, float] = field(default_factory=lambda: {"Spring Festival": 0.6})
    makeup_factor: float = 0.92  # × the workday mean
    return_day_factor: float = 1.15
    yearly_amplitude: float = 0.05
    yearly_peak_day: int = 340  # day of the year with the highest seasonal level
    annual_growth: float = 0.20
    trend_break: dt.date | None = None
    break_step: float = 0.90  # level × this from the break on
    growth_after_break: float = 0.05
    promotions: Sequence[PromotionSpec] = ()
    aht_base: float = 300.0
    seed: int = 1


def development_spec(start: dt.date, days: int, seed: int = 20240618) -> EcommerceSpec:
    """The parameter set the model was developed on (the benchmark uses another)."""
    years = range(start.year, (start + dt.timedelta(days=days)).year + 1)
    D = dt.date
    return EcommerceSpec(
        start=start,
        days=days,
        trend_break=D(start.year + 1, 3, 1),
        promotions=(
            PromotionSpec("618", tuple(D(y, 6, 18) for y in years), 2.4, 12, 1.7, 20.0, 3, 1.5, 4),
            PromotionSpec(
                "双11", tuple(D(y, 11, 11) for y in years), 3.2, 11, 1.9, 20.0, 4, 1.7, 6, 1.8
            ),
            PromotionSpec(
                "双12", tuple(D(y, 12, 12) for y in years), 1.8, 5, 1.3, 20.0, 2, 1.3, 3, 1.3
            ),
        ),
        seed=seed,
    )


def _bump(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def _from(hours: np.ndarray, start: float, decay_hours: float) -> np.ndarray:
    """A launch: zero before ``start``, then highest and decaying."""
    return np.where(hours >= start, np.exp(-(hours - start) / decay_hours), 0.0)


def _shapes(interval_minutes: int) -> dict[str, np.ndarray]:
    slots = 1440 // interval_minutes
    hours = (np.arange(slots) + 0.5) * interval_minutes / 60.0
    night = 0.03
    shapes = {
        "workday": night
        + _bump(hours, 10.5, 1.6)
        + 0.85 * _bump(hours, 15.0, 2.0)
        + 0.45 * _bump(hours, 20.5, 1.5),
        "weekend": night + 0.7 * _bump(hours, 11.5, 2.5) + 0.75 * _bump(hours, 20.0, 2.0),
        "holiday": night + 0.6 * _bump(hours, 12.0, 3.0) + 0.6 * _bump(hours, 20.0, 2.5),
    }
    out = {k: v / v.sum() for k, v in shapes.items()}
    out["hours"] = hours
    return out


def _excess_shape(phase: str, hours: np.ndarray, promo: PromotionSpec) -> np.ndarray:
    """Where in the day a phase's extra contacts arrive."""
    if phase == "peak":
        launch = promo.launch_hour
        v = _from(hours, launch, 1.2) * 2.0 + 0.8 * _bump(hours, 10.5, 2.0)
        v += 0.6 * _bump(hours, 21.0, 1.5)
    elif phase == "presale":
        v = _from(hours, promo.presale_launch_hour, 1.5) + 0.1 * _bump(hours, 11.0, 2.0)
    elif phase in ("buildup", "presale_tail"):
        v = 0.6 * _bump(hours, 21.0, 1.5) + 0.4 * _bump(hours, 11.0, 2.0)
        if phase == "buildup":
            v += 0.5 * _bump(hours, 23.5, 0.6)  # waiting for the midnight launch
    else:  # tail: after-sales in office hours
        v = _bump(hours, 10.5, 1.8) + 0.8 * _bump(hours, 15.0, 2.0)
    s: np.ndarray = v / v.sum()
    return s


def _calendar_rate(
    spec: EcommerceSpec, day: dt.date, calendar: HolidayCalendar
) -> tuple[float, str]:
    wf = spec.weekday_factors
    years = (day - spec.start).days / 365.25
    level = spec.base_daily * (1 + spec.annual_growth) ** years
    if spec.trend_break is not None and day >= spec.trend_break:
        at_break = (spec.trend_break - spec.start).days / 365.25
        after = (day - spec.trend_break).days / 365.25
        level = (
            spec.base_daily
            * (1 + spec.annual_growth) ** at_break
            * spec.break_step
            * (1 + spec.growth_after_break) ** after
        )
    doy = day.timetuple().tm_yday
    level *= 1 + spec.yearly_amplitude * math.cos(
        2 * math.pi * (doy - spec.yearly_peak_day) / 365.25
    )
    info = calendar.classify(day)
    if info.kind == DayKind.HOLIDAY:
        named = spec.holiday_factors.get(info.name or "", 1.0)
        return level * spec.holiday_factor * named * (wf[5] + wf[6]) / 2, "holiday"
    if info.kind == DayKind.MAKEUP_WORKDAY:
        factor, shape = spec.makeup_factor * sum(wf[:5]) / 5, "workday"
    else:
        factor, shape = wf[day.weekday()], "workday" if day.weekday() < 5 else "weekend"
    if _first_day_back(day, calendar):
        factor *= spec.return_day_factor
    return level * factor, shape


def _first_day_back(day: dt.date, calendar: HolidayCalendar) -> bool:
    if calendar.classify(day).is_off:
        return False
    off, saw_holiday = 0, False
    d = day - dt.timedelta(days=1)
    while calendar.classify(d).is_off and off < 10:
        saw_holiday = saw_holiday or calendar.classify(d).kind == DayKind.HOLIDAY
        off += 1
        d -= dt.timedelta(days=1)
    return saw_holiday and off >= 3


def peak_events(spec: EcommerceSpec) -> list[Event]:
    """The events file a user would write: each promotion's peak day, nothing else."""
    return [
        Event(p.family, peak, peak, family=p.family, peak=peak)
        for p in spec.promotions
        for peak in p.peaks
    ]


def generate_ecommerce(
    spec: EcommerceSpec, calendar: HolidayCalendar | None = None
) -> SyntheticSeries:
    calendar = calendar or HolidayCalendar()
    rng = np.random.default_rng(spec.seed)
    shapes = _shapes(spec.interval_minutes)
    hours = shapes["hours"]
    slots = hours.size
    aht_shape = 1.0 + 0.15 * np.cos(2 * math.pi * (hours - 3.0) / 24.0)
    dates = [spec.start + dt.timedelta(days=i) for i in range(spec.days)]
    sizes = {
        (p.family, peak): math.exp(rng.normal(0.0, p.year_sd))
        for p in spec.promotions
        for peak in p.peaks
    }
    base = [_calendar_rate(spec, d, calendar) for d in dates]
    obs: list[IntervalObservation] = []
    rates: dict[str, np.ndarray] = {}
    ahts: dict[str, np.ndarray] = {}
    counts: dict[str, np.ndarray] = {}
    for qi, queue in enumerate(spec.queues):
        scale = spec.queue_scale[qi % len(spec.queue_scale)]
        pre_r, peak_r, tail_r = spec.queue_response[qi % len(spec.queue_response)]
        rate = np.zeros((spec.days, slots))
        for i, day in enumerate(dates):
            level, cls = base[i]
            shape = shapes[cls]
            total = level * scale
            vol = total * shape
            for promo in spec.promotions:
                for peak in promo.peaks:
                    offset = (day - peak).days
                    uplift, phase = promo.day_uplift(offset, sizes[(promo.family, peak)])
                    if not phase:
                        continue
                    response = {"peak": peak_r, "tail": tail_r}.get(phase, pre_r)
                    extra = total * (uplift - 1.0) * response
                    vol = vol + extra * _excess_shape(phase, hours, promo)
            rate[i] = vol
        aht = np.tile(spec.aht_base * (1 + 0.1 * qi) * aht_shape, (spec.days, 1))
        drawn = rng.poisson(rate).astype(float)
        rates[queue], ahts[queue], counts[queue] = rate, aht, drawn
        step = dt.timedelta(minutes=spec.interval_minutes)
        for d_i, day in enumerate(dates):
            t = dt.datetime.combine(day, dt.time())
            for s in range(slots):
                v = drawn[d_i, s]
                a = None
                if v > 0:
                    a = round(float(rng.gamma(v * 4.0, aht[d_i, s] / (v * 4.0))), 1)
                obs.append(IntervalObservation(t, queue, v, a))
                t += step
    return SyntheticSeries(obs, dates, rates, ahts, counts)
