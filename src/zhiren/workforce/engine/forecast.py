"""Contact volume and handle-time forecasting from interval history.

Model (per queue), documented in ``docs/wfm/forecast.md``:

* **Daily totals** follow a multiplicative model fitted as a robust,
  lightly ridge-penalised Poisson (log-link) regression::

      E[volume_d] = level × trend(d) × dayclass(d) × yearly(d) × recent(d)
                    × Π span_event_uplift × promotion_profile(d)

  where ``dayclass`` is the weekday factor for ordinary days, the workday
  average × a make-up-workday factor for 调休 days, the weekend average × a
  holiday factor × a per-holiday factor for statutory holidays, and an extra
  factor for the first workday after a long break.  Factors with little or
  no history shrink to their fallback (the penalty is measured in
  "pseudo-days"), so a holiday never seen in the history is forecast like a
  weekend day.  Outlying days are down-weighted (Huber weights).  ``recent``
  is the level of actual over fitted on the last ordinary days
  (a break in the trend).
* **Promotion profiles** (``event_profiles``): for events listed by their
  peak day, a daily effect per day around the peak and an intraday shape per
  day, learned per family from past occurrences with empirical-Bayes
  shrinkage; the days near a peak are left out of the calendar model.
* **Intraday shape**: normalised interval profiles per weekday, for holidays
  and for each span event, estimated with recency weights and shrunk toward their
  group (workday / weekend) and the global profile.
* **AHT** per interval: recency-weighted, volume-weighted mean AHT per slot
  and day class, shrunk toward its group; no trend.

Timestamps are local Asia/Shanghai time (UTC+8, no DST since 1991).  Naive
timestamps are taken as local; aware ones are converted.  Results use the
same style as the input.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import DayInfo, DayKind, HolidayCalendar
from .errors import EngineInputError
from .event_profiles import (
    EffectSample,
    EventProfiles,
    Occurrence,
    ShapeSums,
    day_shape,
    learn_effects,
    nearest_occurrence,
    occurrences,
)
from .forecast_config import ForecastConfig
from .forecast_daily import WEEKDAY_NAMES, DaySpec, design_rows, robust_poisson_fit
from .forecast_events import Event, events_on, span_events
from .forecast_history import (
    CN_TZ,
    IntervalObservation,
    QueueHistory,
    build_histories,
    infer_interval_minutes,
    to_local,
)
from .forecast_intraday import Shapes, day_class, fit_shapes
from .notes import Note

__all__ = [
    "CN_TZ",
    "MAX_HORIZON_WEEKS",
    "DailyForecast",
    "Event",
    "ForecastConfig",
    "ForecastModel",
    "ForecastResult",
    "IntervalForecast",
    "IntervalObservation",
    "QueueHistory",
    "QueueModel",
    "build_histories",
    "fit_forecast_model",
    "fit_histories",
    "forecast",
    "infer_interval_minutes",
    "to_local",
]

MAX_HORIZON_WEEKS = 64


@dataclass(frozen=True)
class IntervalForecast:
    start: dt.datetime
    queue: str
    volume: float
    aht_seconds: float | None


@dataclass(frozen=True)
class DailyForecast:
    date: dt.date
    queue: str
    volume: float
    aht_seconds: float | None
    day_kind: str
    holiday: str | None
    events: tuple[str, ...]
    provisional: bool


@dataclass
class QueueModel:
    """What was fitted for one queue (for display and for tests)."""

    queue: str
    history_days: int
    missing_days: int
    history_interval_minutes: int
    level: float  # expected Monday volume at the end of history (no events)
    annual_growth: float  # fitted trend, as a yearly growth rate (0.10 = +10%/year)
    weekday_factors: dict[str, float]  # relative to the weekday mean
    makeup_workday_factor: float  # relative to the workday mean
    holiday_factor: float  # relative to the weekend mean
    holiday_name_factors: dict[str, float]
    return_day_factor: float
    event_uplifts: dict[str, float]  # learned or given (profiled events: the peak day's)
    event_uplift_learned: dict[str, bool]
    yearly: bool
    trend: str
    downweighted_days: int
    has_aht: bool
    # profiled event families: (first, last) day of the learned window around the peak,
    # the number of past occurrences learned from
    event_windows: dict[str, tuple[int, int]] = field(default_factory=dict)
    event_occurrences: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        wd = ", ".join(f"{k} {v:.2f}" for k, v in self.weekday_factors.items())
        parts = [
            f"queue {self.queue}: {self.history_days} days of {self.history_interval_minutes}-min history"
            + (f" ({self.missing_days} missing)" if self.missing_days else ""),
            f"  level {self.level:.1f}/day, "
            + (
                f"trend {self.trend} {self.annual_growth:+.1%}/year"
                if self.trend != "none"
                else "no trend"
            )
            + (", yearly seasonality" if self.yearly else ", no yearly seasonality"),
            f"  weekday factors: {wd}",
            f"  make-up workday x{self.makeup_workday_factor:.2f} (vs workday), holiday "
            f"x{self.holiday_factor:.2f} (vs weekend), first day back x{self.return_day_factor:.2f}",
        ]
        if self.holiday_name_factors:
            parts.append(
                "  holidays: "
                + ", ".join(f"{k} x{v:.2f}" for k, v in sorted(self.holiday_name_factors.items()))
            )
        if self.event_uplifts:
            parts.append(
                "  events: "
                + ", ".join(
                    f"{k} x{v:.2f} ({'learned' if self.event_uplift_learned[k] else 'given'})"
                    for k, v in sorted(self.event_uplifts.items())
                )
            )
        for family, (first, last) in sorted(self.event_windows.items()):
            n = self.event_occurrences.get(family, 0)
            parts.append(
                f"  event family {family}: days {first:+d}..{last:+d} around the peak, "
                f"learned from {n} past occurrence{'s' if n != 1 else ''}"
            )
        if self.downweighted_days:
            parts.append(f"  {self.downweighted_days} outlying day(s) down-weighted")
        return "\n".join(parts)


@dataclass
class ForecastResult:
    intervals: list[IntervalForecast]  # empty when granularity is "day"
    daily: list[DailyForecast]
    interval_minutes: int
    granularity: str
    start: dt.date
    end: dt.date  # inclusive
    provisional_years: list[int]
    warnings: list[str]
    models: dict[str, QueueModel] = field(default_factory=dict)

    @property
    def model_description(self) -> str:
        return "\n".join(m.describe() for m in self.models.values())


# ---------------------------------------------------------------------------
# fitted model


@dataclass
class _QueueFit:
    hist: QueueHistory
    spec: DaySpec
    beta: np.ndarray
    event_uplift: dict[str, float]  # learned span events
    shapes: Shapes
    description: QueueModel
    profiles: EventProfiles
    recent_level: float  # log of actual over fitted on the last ordinary days


def _near_peaks(
    dates: Sequence[dt.date], occs: Sequence[Occurrence], before: int, after: int
) -> list[tuple[Occurrence, int] | None]:
    window = (-before, after)
    windows = {o.family: window for o in occs}
    return [nearest_occurrence(d, occs, windows) for d in dates]


class ForecastModel:
    """A fitted forecaster for one or more queues; call :meth:`predict`."""

    def __init__(
        self,
        fits: dict[str, _QueueFit],
        calendar: HolidayCalendar,
        events: Sequence[Event],
        config: ForecastConfig,
        aware: bool,
        warnings: list[str],
    ):
        self.fits = fits
        self.calendar = calendar
        self.events = list(events)
        self.span_events = span_events(self.events)
        self.occurrences = occurrences(self.events)
        self.config = config
        self.aware = aware
        self.fit_warnings = warnings

    @property
    def queues(self) -> list[str]:
        return sorted(self.fits)

    @property
    def last_history_day(self) -> dt.date:
        return max(f.hist.last_day for f in self.fits.values())

    @property
    def history_interval_minutes(self) -> int:
        return next(iter(self.fits.values())).hist.interval_minutes

    def predict(
        self,
        *,
        start: dt.date | None = None,
        horizon_weeks: int | None = None,
        days: int | None = None,
        interval_minutes: int | None = None,
        granularity: str = "interval",
    ) -> ForecastResult:
        if granularity not in ("interval", "day"):
            raise EngineInputError(f"granularity must be 'interval' or 'day', got {granularity!r}")
        if days is None:
            weeks = 8 if horizon_weeks is None else horizon_weeks
            if not 1 <= weeks <= MAX_HORIZON_WEEKS:
                raise EngineInputError(
                    f"horizon must be 1 to {MAX_HORIZON_WEEKS} weeks, got {weeks}",
                    column="horizon_weeks",
                )
            days = 7 * weeks
        if not 1 <= days <= 7 * MAX_HORIZON_WEEKS:
            raise EngineInputError(f"horizon must be 1 to {7 * MAX_HORIZON_WEEKS} days, got {days}")
        h = self.history_interval_minutes
        m = interval_minutes or h
        if granularity == "interval" and (m % h or 1440 % m):
            raise EngineInputError(
                f"interval_minutes {m} must be a multiple of the history interval ({h} min) "
                "and divide a day",
                column="interval_minutes",
            )
        start = start or (self.last_history_day + dt.timedelta(days=1))
        end = start + dt.timedelta(days=days - 1)
        dates = [start + dt.timedelta(days=i) for i in range(days)]
        warnings = list(self.fit_warnings)
        provisional = self.calendar.provisional_years(start, end)
        note = self.calendar.provisional_note(provisional)
        if note:
            warnings.append(note)
        for ev in self.events:
            learned = any(
                ev.name in f.event_uplift or ev.family_name in f.profiles.families
                for f in self.fits.values()
            )
            if ev.uplift is None and ev.end >= start and ev.start <= end and not learned:
                warnings.append(
                    Note(
                        "event_without_uplift",
                        f"event {ev.name!r} has no uplift and no past occurrence to learn from; "
                        "forecast without uplift",
                        event=ev.name,
                    )
                )
        intervals: list[IntervalForecast] = []
        daily: list[DailyForecast] = []
        ratio = m // h if granularity == "interval" else 1
        for queue in self.queues:
            fit = self.fits[queue]
            totals, calendar_totals = self._daily_totals(fit, dates)
            windows = fit.profiles.windows
            for day, total, cal in zip(dates, totals, calendar_totals, strict=True):
                info = self.calendar.classify(day)
                evs = events_on(day, self.span_events)
                near = nearest_occurrence(day, self.occurrences, windows)
                profile, aht = self._shape_for(fit, info, day, evs, near, float(cal), float(total))
                labels = [e.name for e in evs]
                if near is not None:
                    occ, k = near
                    labels.append(occ.name if k == 0 else f"{occ.name} {k:+d}")
                vol = total * profile
                day_aht = None
                if aht is not None:
                    s = float(vol.sum())
                    day_aht = float((vol * aht).sum() / s) if s > 0 else float(aht.mean())
                daily.append(
                    DailyForecast(
                        day,
                        queue,
                        float(total),
                        day_aht,
                        info.kind.value,
                        info.name if info.kind == DayKind.HOLIDAY else None,
                        tuple(labels),
                        info.provisional,
                    )
                )
                if granularity == "interval":
                    v = vol.reshape(-1, ratio).sum(axis=1)
                    a = None
                    if aht is not None:
                        wsum = (vol * aht).reshape(-1, ratio).sum(axis=1)
                        plain = aht.reshape(-1, ratio).mean(axis=1)
                        a = np.where(v > 0, wsum / np.maximum(v, 1e-300), plain)
                    midnight = dt.datetime.combine(day, dt.time())
                    for s_i in range(v.size):
                        ts = midnight + dt.timedelta(minutes=s_i * m)
                        if self.aware:
                            ts = ts.replace(tzinfo=CN_TZ)
                        intervals.append(
                            IntervalForecast(
                                ts, queue, float(v[s_i]), None if a is None else float(a[s_i])
                            )
                        )
        return ForecastResult(
            intervals=intervals,
            daily=daily,
            interval_minutes=m if granularity == "interval" else 1440,
            granularity=granularity,
            start=start,
            end=end,
            provisional_years=provisional,
            warnings=warnings,
            models={q: self.fits[q].description for q in self.queues},
        )

    def _daily_totals(
        self, fit: _QueueFit, dates: Sequence[dt.date]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each day's total, and what the calendar alone (no promotion profile) expects."""
        last = fit.hist.last_day
        cfg = self.config
        t = []
        for d in dates:
            ahead = (d - last).days
            if ahead > 0 and cfg.trend == "damped":
                tau = cfg.trend_damping_days
                ahead_eff = tau * (1 - math.exp(-ahead / tau))
            else:
                ahead_eff = ahead
            t.append(ahead_eff / 365.25)
        x, offset = design_rows(
            dates, np.array(t), fit.spec, self.calendar, self.span_events, fit.event_uplift
        )
        base = x @ fit.beta + offset + fit.recent_level
        effect = np.zeros(len(dates))
        windows = fit.profiles.windows
        for i, day in enumerate(dates):
            near = nearest_occurrence(day, self.occurrences, windows)
            if near is not None:
                effect[i] = fit.profiles.log_effect(*near)
        calendar_total = np.exp(np.clip(base, -20.0, 30.0))
        return np.exp(np.clip(base + effect, -20.0, 30.0)), calendar_total

    def _shape_for(
        self,
        fit: _QueueFit,
        info: DayInfo,
        day: dt.date,
        evs: list[Event],
        near: tuple[Occurrence, int] | None,
        calendar_total: float,
        total: float,
    ) -> tuple[np.ndarray, np.ndarray | None]:
        shapes = fit.shapes
        key = day_class(info, day)
        for ev in evs:
            if ("event", ev.name) in shapes.profiles:
                key = ("event", ev.name)
                break
        aht = None
        if shapes.aht is not None:
            aht = shapes.aht.get(key, shapes.aht["all"])
        profile = shapes.profiles.get(key, shapes.profiles["all"])
        if near is not None:
            occ, k = near
            shape = fit.profiles.families[occ.family].shape.get(k)
            if shape is not None:
                profile = shape.spread(profile, calendar_total, total)
        return profile, aht


def _fit_queue(
    hist: QueueHistory,
    calendar: HolidayCalendar,
    events: Sequence[Event],
    config: ForecastConfig,
    warnings: list[str],
) -> _QueueFit:
    all_dates = hist.dates()
    obs_idx = np.flatnonzero(hist.observed)
    dates = [all_dates[i] for i in obs_idx]
    y = hist.volume[obs_idx].sum(axis=1)
    span = hist.days
    if len(dates) < config.min_history_days:
        raise EngineInputError(
            f"queue {hist.queue!r} has {len(dates)} days of history; "
            f"at least {config.min_history_days} are needed"
        )
    infos = [calendar.classify(d) for d in dates]
    holiday_names = sorted({i.name for i in infos if i.kind == DayKind.HOLIDAY and i.name})
    spans = span_events(events)
    occs = occurrences(events)
    near = _near_peaks(dates, occs, config.event_days_before, config.event_days_after)
    learned = sorted({e.name for d in dates for e in events_on(d, spans) if e.uplift is None})
    # one free column per (family, day from the peak) seen in the history: the calendar
    # model is fitted as if those days were not there, then the profiles are learned
    peak_cols = sorted({(n[0].family, n[1]) for n in near if n is not None})
    use_trend = config.trend != "none" and span >= config.min_trend_days
    yearly = config.yearly_harmonics if span >= config.yearly_min_days else 0
    spec = DaySpec(holiday_names, learned, use_trend, yearly)
    cols: list[tuple[str, float]] = [("level", 0.0)]
    cols += [(f"wd_{w}", 0.01) for w in WEEKDAY_NAMES[1:]]
    cols += [("makeup", 1.0), ("holiday", 1.0), ("return_day", 1.0)]
    cols += [(f"holiday_{n}", 2.0) for n in holiday_names]
    if use_trend:
        cols.append(("trend", 0.01))
    for k in range(1, yearly + 1):
        cols += [(f"sin{k}", 1.0), (f"cos{k}", 1.0)]
    cols += [(f"event_{n}", 0.02) for n in learned]
    cols += [(f"peak_{f}_{k}", 0.02) for f, k in peak_cols]
    spec.columns = [c for c, _ in cols]
    spec.penalty = [p for _, p in cols]
    t = np.array([(d - hist.last_day).days / 365.25 for d in dates])
    x, offset = design_rows(dates, t, spec, calendar, spans, {})
    col = {c: j for j, c in enumerate(spec.columns)}
    for i, n in enumerate(near):
        if n is not None:
            x[i, col[f"peak_{n[0].family}_{n[1]}"]] = 1.0
    protected = (
        np.array([i.kind != DayKind.WORKDAY and i.kind != DayKind.WEEKEND for i in infos])
        | np.array([bool(events_on(d, spans)) for d in dates])
        | np.array([n is not None for n in near])
    )
    beta, robust = robust_poisson_fit(
        x, y, offset, np.array(spec.penalty), config.huber_c, protected
    )
    event_uplift = {n: float(math.exp(beta[col[f"event_{n}"]])) for n in learned}
    recent_level = _recent_level(dates, y, x @ beta + offset, protected, config)
    skip = frozenset(int(obs_idx[i]) for i, n in enumerate(near) if n is not None)
    shapes = fit_shapes(hist, calendar, spans, config, skip)
    profiles = _learn_profiles(
        hist, obs_idx, dates, infos, near, x, beta, offset, spec, shapes, config
    )

    wd_log = np.array([0.0] + [beta[col[f"wd_{w}"]] for w in WEEKDAY_NAMES[1:]])
    wd_mean = float(wd_log.mean())
    given = {e.name: e.uplift for e in events if e.uplift is not None}
    profiled = {o.name: u for o in occs if (u := profiles.uplift(o.name, o.family)) is not None}
    uplifts = {**{k: float(v) for k, v in given.items()}, **event_uplift, **profiled}
    description = QueueModel(
        queue=hist.queue,
        history_days=int(hist.observed.sum()),
        missing_days=int((~hist.observed).sum()),
        history_interval_minutes=hist.interval_minutes,
        level=float(math.exp(beta[0])),
        annual_growth=float(math.exp(beta[col["trend"]]) - 1) if use_trend else 0.0,
        weekday_factors={WEEKDAY_NAMES[i]: float(math.exp(wd_log[i] - wd_mean)) for i in range(7)},
        makeup_workday_factor=float(math.exp(beta[col["makeup"]])),
        holiday_factor=float(math.exp(beta[col["holiday"]])),
        holiday_name_factors={n: float(math.exp(beta[col[f"holiday_{n}"]])) for n in holiday_names},
        return_day_factor=float(math.exp(beta[col["return_day"]])),
        event_uplifts=uplifts,
        event_uplift_learned={k: k in event_uplift or k in profiled for k in uplifts},
        yearly=bool(yearly),
        trend=config.trend if use_trend else "none",
        downweighted_days=int((robust < 0.999).sum()),
        has_aht=shapes.aht is not None,
        event_windows=profiles.windows,
        event_occurrences={f: p.occurrences for f, p in profiles.families.items()},
    )
    if description.missing_days:
        warnings.append(
            Note(
                "missing_days",
                f"queue {hist.queue!r}: {description.missing_days} day(s) without any rows were "
                "treated as missing, not as zero volume",
                queue=hist.queue,
                days=description.missing_days,
            )
        )
    if shapes.aht is None:
        warnings.append(
            Note(
                "no_aht",
                f"queue {hist.queue!r}: no handle time in history; AHT not forecast",
                queue=hist.queue,
            )
        )
    return _QueueFit(hist, spec, beta, event_uplift, shapes, description, profiles, recent_level)


def _recent_level(
    dates: Sequence[dt.date],
    y: np.ndarray,
    eta: np.ndarray,
    protected: np.ndarray,
    config: ForecastConfig,
) -> float:
    """Log of actual over fitted volume on the last ordinary days.

    A log-linear trend and yearly terms over two years confuse a break in the trend (a
    level step, a new growth rate) with the season: the fitted curve then runs off the
    data at the end of the history. The recency- and Poisson-weighted mean log ratio of
    the last ordinary days says by how much. (A drift extrapolated from the same days was
    tried and dropped: on the development series it helped one and hurt another.)
    """
    last = dates[-1]
    age = np.array([(last - d).days for d in dates], dtype=float)
    use = (age < config.recent_level_days) & ~protected
    # the fit's Huber weights would drop exactly the days that drifted away from it:
    # an outlier here is one far from the other recent days instead
    r_all = np.log((y + 0.5) / (np.exp(np.clip(eta, -20.0, 30.0)) + 0.5))
    if use.any():
        centre = float(np.median(r_all[use]))
        spread = 1.4826 * float(np.median(np.abs(r_all[use] - centre)))
        use &= np.abs(r_all - centre) <= 4.0 * max(spread, 0.01)
    if int(use.sum()) < 7:
        return 0.0
    mu = np.exp(np.clip(eta[use], -20.0, 30.0))
    w = 0.5 ** (age[use] / config.recent_level_half_life_days) * mu
    r = r_all[use]
    return float((w * r).sum() / w.sum())


def _learn_profiles(
    hist: QueueHistory,
    obs_idx: np.ndarray,
    dates: Sequence[dt.date],
    infos: Sequence[DayInfo],
    near: Sequence[tuple[Occurrence, int] | None],
    x: np.ndarray,
    beta: np.ndarray,
    offset: np.ndarray,
    spec: DaySpec,
    shapes: Shapes,
    config: ForecastConfig,
) -> EventProfiles:
    """Each family's daily effects and intraday shapes, against the calendar model."""
    # an occurrence is learned from once its peak day is in the history; the days before
    # an upcoming peak are left out of the calendar model but not learned from
    seen = set(dates)
    calendar_only = np.array([not c.startswith("peak_") for c in spec.columns])
    samples: list[EffectSample] = []
    sums: dict[tuple[str, int], ShapeSums] = {}
    slots = hist.volume.shape[1]
    for i, n in enumerate(near):
        if n is None or n[0].peak not in seen:
            continue
        occ, k = n
        mu = float(np.exp(np.clip(x[i, calendar_only] @ beta[calendar_only] + offset[i], -20, 30)))
        vol = hist.volume[obs_idx[i]]
        total = float(vol.sum())
        samples.append(EffectSample(occ, k, math.log((total + 0.5) / (mu + 0.5)), 1.0 / (mu + 0.5)))
        base = shapes.profiles.get(day_class(infos[i], dates[i]), shapes.profiles["all"])
        key = (occ.family, k)
        if key not in sums:
            sums[key] = ShapeSums(np.zeros(slots), np.zeros(slots), np.zeros(slots))
        sums[key].add(vol, base, mu)
    profiles = learn_effects(
        samples,
        occurrence_sd=config.event_occurrence_sd,
        name_sd=config.event_name_sd,
        min_effect=config.event_min_effect,
    )
    for (family, k), day_sums in sums.items():
        profile = profiles.families[family]
        if profile.window[0] <= k <= profile.window[1]:
            profile.shape[k] = day_shape(day_sums, config.event_min_excess_share)
    return profiles


def fit_histories(
    histories: dict[str, QueueHistory],
    *,
    events: Iterable[Event] = (),
    calendar: HolidayCalendar | None = None,
    config: ForecastConfig | None = None,
    aware: bool = False,
) -> ForecastModel:
    """Fit a model per queue on prepared :class:`QueueHistory` arrays."""
    calendar = calendar or HolidayCalendar()
    config = config or ForecastConfig()
    events = list(events)
    warnings: list[str] = []
    fits = {
        q: _fit_queue(h, calendar, events, config, warnings) for q, h in sorted(histories.items())
    }
    span_days = max(h.days for h in histories.values())
    if span_days < config.yearly_min_days:
        warnings.append(
            Note(
                "no_yearly",
                f"history covers {span_days} days (< {config.yearly_min_days}); "
                "yearly seasonality is not modelled",
                days=span_days,
                minimum=config.yearly_min_days,
            )
        )
    if config.trend != "none" and span_days < config.min_trend_days:
        warnings.append(
            Note(
                "no_trend",
                f"history covers {span_days} days (< {config.min_trend_days}); no trend",
                days=span_days,
                minimum=config.min_trend_days,
            )
        )
    first = min(h.first_day for h in histories.values())
    last = max(h.last_day for h in histories.values())
    hist_prov = calendar.provisional_years(first, last)
    if hist_prov:
        warnings.append(
            Note(
                "history_provisional",
                "history includes years without official holiday data: "
                + ", ".join(str(y) for y in hist_prov),
                years=list(hist_prov),
            )
        )
    return ForecastModel(fits, calendar, events, config, aware, warnings)


def fit_forecast_model(
    history: Sequence[IntervalObservation],
    *,
    events: Iterable[Event] = (),
    calendar: HolidayCalendar | None = None,
    config: ForecastConfig | None = None,
    history_interval_minutes: int | None = None,
) -> ForecastModel:
    """Fit a forecaster on interval history (all queues found in it)."""
    histories, aware = build_histories(history, history_interval_minutes)
    return fit_histories(histories, events=events, calendar=calendar, config=config, aware=aware)


def forecast(
    history: Sequence[IntervalObservation],
    *,
    horizon_weeks: int = 8,
    start: dt.date | None = None,
    interval_minutes: int | None = None,
    granularity: str = "interval",
    events: Iterable[Event] = (),
    calendar: HolidayCalendar | None = None,
    config: ForecastConfig | None = None,
) -> ForecastResult:
    """Fit on ``history`` and forecast ``horizon_weeks`` (1–64) from ``start``.

    ``start`` defaults to the day after the last history day.  ``granularity``
    ``"interval"`` gives interval rows (and daily totals); ``"day"`` only daily
    totals, the usual choice for long-range planning.
    """
    model = fit_forecast_model(history, events=events, calendar=calendar, config=config)
    return model.predict(
        start=start,
        horizon_weeks=horizon_weeks,
        interval_minutes=interval_minutes,
        granularity=granularity,
    )
