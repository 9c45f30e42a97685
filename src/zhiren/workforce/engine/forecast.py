"""Contact volume and handle-time forecasting from interval history.

Model (per queue), documented in ``docs/wfm/forecast.md``:

* **Daily totals** follow a multiplicative model fitted as a robust,
  lightly ridge-penalised Poisson (log-link) regression::

      E[volume_d] = level × trend(d) × dayclass(d) × yearly(d) × Π event_uplift

  where ``dayclass`` is the weekday factor for ordinary days, the workday
  average × a make-up-workday factor for 调休 days, the weekend average × a
  holiday factor × a per-holiday factor for statutory holidays, and an extra
  factor for the first workday after a long break.  Factors with little or
  no history shrink to their fallback (the penalty is measured in
  "pseudo-days"), so a holiday never seen in the history is forecast like a
  weekend day.  Outlying days are down-weighted (Huber weights).
* **Intraday shape**: normalised interval profiles per weekday, for holidays
  and for each event, estimated with recency weights and shrunk toward their
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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import DayInfo, DayKind, HolidayCalendar
from .errors import EngineInputError
from .notes import Note

CN_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
MAX_HORIZON_WEEKS = 64
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class IntervalObservation:
    """One history row: contacts offered in the interval starting at ``start``."""

    start: dt.datetime
    queue: str
    volume: float
    aht_seconds: float | None = None


@dataclass(frozen=True)
class Event:
    """A user-defined event such as a promotion (大促: 618, 双11), inclusive dates.

    ``uplift`` is the multiplicative effect on daily volume (1.8 = +80%).  When
    ``None`` it is learned from past occurrences of events with the same name.
    """

    name: str
    start: dt.date
    end: dt.date
    uplift: float | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise EngineInputError("event name is empty", column="name")
        if self.end < self.start:
            raise EngineInputError(f"event {self.name!r} ends before it starts", column="end_date")
        if self.uplift is not None and not (self.uplift > 0 and math.isfinite(self.uplift)):
            raise EngineInputError(f"event {self.name!r}: uplift must be > 0", column="uplift")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class ForecastConfig:
    """Tuning knobs; the defaults suit typical contact-centre history."""

    trend: str = "damped"  # "linear", "damped" or "none"
    trend_damping_days: float = 365.0  # damped: trend flattens with this time constant
    min_trend_days: int = 56  # fewer days of history: no trend term
    yearly_min_days: int = 365  # fewer days of history: no yearly (Fourier) terms
    yearly_harmonics: int = 3
    profile_half_life_weeks: float = 8.0  # recency weighting of intraday profiles and AHT
    profile_prior_days: float = 2.0  # shrinkage of a profile toward its group, in days of volume
    special_profile_prior_days: float = 0.25  # the same for holiday and event profiles
    aht_prior_contacts: float = 30.0  # shrinkage of a slot's AHT toward its group, in contacts
    huber_c: float = 2.0  # robust down-weighting of outlying days
    min_history_days: int = 14

    def __post_init__(self) -> None:
        if self.trend not in ("linear", "damped", "none"):
            raise EngineInputError(f"trend must be linear, damped or none, got {self.trend!r}")


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
    event_uplifts: dict[str, float]  # learned or given
    event_uplift_learned: dict[str, bool]
    yearly: bool
    trend: str
    downweighted_days: int
    has_aht: bool

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
# history arrays


@dataclass
class QueueHistory:
    """History of one queue on a day × slot grid (local time)."""

    queue: str
    first_day: dt.date
    interval_minutes: int
    volume: np.ndarray  # (days, slots)
    work_seconds: np.ndarray  # (days, slots) Σ volume × aht over rows with a known AHT
    aht_volume: np.ndarray  # (days, slots) volume of rows with a known AHT
    observed: np.ndarray  # (days,) bool: the day has at least one row

    @property
    def days(self) -> int:
        return int(self.volume.shape[0])

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)

    def dates(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range(self.days)]

    def truncated(self, last_day: dt.date) -> QueueHistory:
        n = (last_day - self.first_day).days + 1
        return QueueHistory(
            self.queue,
            self.first_day,
            self.interval_minutes,
            self.volume[:n],
            self.work_seconds[:n],
            self.aht_volume[:n],
            self.observed[:n],
        )


def to_local(ts: dt.datetime) -> dt.datetime:
    """Naive local (Asia/Shanghai) datetime for ``ts``."""
    if ts.tzinfo is not None:
        return ts.astimezone(CN_TZ).replace(tzinfo=None)
    return ts


def infer_interval_minutes(history: Sequence[IntervalObservation]) -> int:
    g = 1440
    for obs in history:
        local = to_local(obs.start)
        g = math.gcd(g, local.hour * 60 + local.minute)
        if local.second or local.microsecond:
            raise EngineInputError(
                "interval starts must be on whole minutes", column="interval_start"
            )
        if g == 1:
            break
    return g


def build_histories(
    history: Sequence[IntervalObservation], interval_minutes: int | None = None
) -> tuple[dict[str, QueueHistory], bool]:
    """Arrange observations per queue; returns (histories, input_was_timezone_aware).

    Row numbers in errors are 1-based positions in ``history``.
    """
    if not history:
        raise EngineInputError("history is empty")
    aware = history[0].start.tzinfo is not None
    h = interval_minutes or infer_interval_minutes(history)
    if 1440 % h:
        raise EngineInputError(f"interval of {h} minutes does not divide a day")
    slots = 1440 // h
    by_queue: dict[str, list[tuple[int, IntervalObservation]]] = defaultdict(list)
    for i, obs in enumerate(history, start=1):
        if (obs.start.tzinfo is not None) != aware:
            raise EngineInputError(
                "mixes timezone-aware and naive timestamps", row=i, column="interval_start"
            )
        if not obs.queue:
            raise EngineInputError("queue is empty", row=i, column="queue")
        if not (obs.volume >= 0 and math.isfinite(obs.volume)):
            raise EngineInputError(f"volume must be >= 0, got {obs.volume}", row=i, column="volume")
        if obs.aht_seconds is not None and not (
            obs.aht_seconds >= 0 and math.isfinite(obs.aht_seconds)
        ):
            raise EngineInputError(
                f"aht_seconds must be >= 0, got {obs.aht_seconds}", row=i, column="aht_seconds"
            )
        by_queue[obs.queue].append((i, obs))
    out: dict[str, QueueHistory] = {}
    for queue, rows in by_queue.items():
        locals_ = [(i, to_local(o.start), o) for i, o in rows]
        first = min(t for _, t, _ in locals_).date()
        last = max(t for _, t, _ in locals_).date()
        n = (last - first).days + 1
        vol = np.zeros((n, slots))
        work = np.zeros((n, slots))
        aht_vol = np.zeros((n, slots))
        seen = np.zeros((n, slots), dtype=bool)
        for i, t, o in locals_:
            minute = t.hour * 60 + t.minute
            if minute % h or t.second or t.microsecond:
                raise EngineInputError(
                    f"{t.isoformat()} is not on the {h}-minute grid", row=i, column="interval_start"
                )
            d, s = (t.date() - first).days, minute // h
            if seen[d, s]:
                raise EngineInputError(
                    f"duplicate interval {t.isoformat()} for queue {queue!r}",
                    row=i,
                    column="interval_start",
                )
            seen[d, s] = True
            vol[d, s] = o.volume
            if o.aht_seconds is not None and o.volume > 0:
                work[d, s] = o.volume * o.aht_seconds
                aht_vol[d, s] = o.volume
        out[queue] = QueueHistory(queue, first, h, vol, work, aht_vol, np.asarray(seen.any(axis=1)))
    return out, aware


# ---------------------------------------------------------------------------
# daily model


@dataclass
class _DaySpec:
    """Which regression columns exist (fixed at fit time)."""

    holiday_names: list[str]
    learned_events: list[str]
    trend: bool
    yearly: int  # harmonics, 0 = none
    columns: list[str] = field(default_factory=list)
    penalty: list[float] = field(default_factory=list)


def _events_on(day: dt.date, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.covers(day)]


def _is_return_day(day: dt.date, info: DayInfo, calendar: HolidayCalendar) -> bool:
    """First working day after a break of 3+ days that contains a holiday."""
    if info.kind not in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY):
        return False
    off = 0
    saw_holiday = False
    d = day - dt.timedelta(days=1)
    while off < 10:
        prev = calendar.classify(d)
        if prev.kind not in (DayKind.HOLIDAY, DayKind.WEEKEND):
            break
        saw_holiday = saw_holiday or prev.kind == DayKind.HOLIDAY
        off += 1
        d -= dt.timedelta(days=1)
    return saw_holiday and off >= 3


def _design_rows(
    dates: Sequence[dt.date],
    t_years: np.ndarray,
    spec: _DaySpec,
    calendar: HolidayCalendar,
    events: Sequence[Event],
    event_uplift: dict[str, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix and log-offset (given uplifts) for ``dates``."""
    ncols = len(spec.columns)
    col = {name: j for j, name in enumerate(spec.columns)}
    x = np.zeros((len(dates), ncols))
    offset = np.zeros(len(dates))
    for i, day in enumerate(dates):
        info = calendar.classify(day)
        x[i, col["level"]] = 1.0
        if info.kind == DayKind.HOLIDAY:
            x[i, col["wd_Sat"]] = 0.5
            x[i, col["wd_Sun"]] = 0.5
            x[i, col["holiday"]] = 1.0
            hname = f"holiday_{info.name}"
            if hname in col:
                x[i, col[hname]] = 1.0
        elif info.kind == DayKind.MAKEUP_WORKDAY:
            for w in ("Tue", "Wed", "Thu", "Fri"):
                x[i, col[f"wd_{w}"]] = 0.2
            x[i, col["makeup"]] = 1.0
        else:
            wd = day.weekday()
            if wd:
                x[i, col[f"wd_{WEEKDAY_NAMES[wd]}"]] = 1.0
        if _is_return_day(day, info, calendar):
            x[i, col["return_day"]] = 1.0
        if spec.trend:
            x[i, col["trend"]] = t_years[i]
        if spec.yearly:
            angle = 2 * math.pi * (day.timetuple().tm_yday - 1) / 365.25
            for k in range(1, spec.yearly + 1):
                x[i, col[f"sin{k}"]] = math.sin(k * angle)
                x[i, col[f"cos{k}"]] = math.cos(k * angle)
        for ev in _events_on(day, events):
            if ev.uplift is not None:
                offset[i] += math.log(ev.uplift)
            elif f"event_{ev.name}" in col:
                x[i, col[f"event_{ev.name}"]] = 1.0
            elif ev.name in event_uplift:
                offset[i] += math.log(event_uplift[ev.name])
    return x, offset


def _robust_poisson_fit(
    x: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray,
    penalty: np.ndarray,
    huber_c: float,
    protected: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised Poisson IRLS with Huber weights; returns (beta, robust weights).

    ``penalty[j]`` is a ridge penalty in pseudo-days: it weighs like that many
    extra days, typical of the rows the column touches, whose effect is zero.
    ``protected`` days (holidays, events: known special days) are never
    down-weighted; robust weighting is for unexplained outliers.
    """
    n, p = x.shape
    support = np.abs(x) > 0
    counts = np.maximum(support.sum(axis=0), 1)
    beta = np.zeros(p)
    beta[0] = math.log(max(float(np.mean(y * np.exp(-offset))), 1e-3) + 1e-3)
    robust = np.ones(n)
    robust_phase = False
    for _ in range(200):
        eta = np.clip(x @ beta + offset, -20.0, 30.0)
        mu = np.exp(eta)
        if robust_phase:
            r = (y - mu) / np.sqrt(np.maximum(mu, 1.0))
            scale = 1.4826 * float(np.median(np.abs(r)))
            if scale > 0:
                u = np.abs(r) / scale
                robust = np.where(u <= huber_c, 1.0, huber_c / np.maximum(u, 1e-12))
                robust[protected] = 1.0
        z = eta - offset + (y - mu) / np.maximum(mu, 1e-9)
        w = mu * robust
        typical = np.where(support.any(axis=0), (w @ support) / counts, float(np.mean(w)))
        a = x.T @ (w[:, None] * x) + np.diag(penalty * np.maximum(typical, 1e-9))
        new = np.linalg.solve(a, x.T @ (w * z))
        converged = np.max(np.abs(new - beta)) < 1e-7
        beta = new
        if converged:
            if robust_phase or huber_c <= 0:
                break
            # the plain fit has converged: now down-weight outlying days
            robust_phase = True
    return beta, robust


# ---------------------------------------------------------------------------
# profiles and AHT


def _normalise(v: np.ndarray) -> np.ndarray:
    s = float(v.sum())
    return v / s if s > 0 else np.full(v.shape, 1.0 / v.size)


@dataclass
class _Shapes:
    profiles: dict[object, np.ndarray]  # class key -> normalised slot shares
    aht: dict[object, np.ndarray] | None  # class key -> slot AHT seconds


def _day_class(info: DayInfo, day: dt.date) -> object:
    if info.kind == DayKind.HOLIDAY:
        return "holiday"
    if info.kind == DayKind.MAKEUP_WORKDAY:
        return "workday"
    return day.weekday()


def _fit_shapes(
    hist: QueueHistory,
    calendar: HolidayCalendar,
    events: Sequence[Event],
    config: ForecastConfig,
) -> _Shapes:
    dates = hist.dates()
    age = np.array([(hist.last_day - d).days for d in dates], dtype=float)
    weight = 0.5 ** (age / (7.0 * config.profile_half_life_weeks)) * hist.observed
    slots = hist.volume.shape[1]
    vol_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))
    work_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))
    avol_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))

    def add(key: object, i: int, w: float | None = None) -> None:
        w = weight[i] if w is None else w
        vol_sum[key] += w * hist.volume[i]
        work_sum[key] += w * hist.work_seconds[i]
        avol_sum[key] += w * hist.aht_volume[i]

    for i, day in enumerate(dates):
        if not hist.observed[i]:
            continue
        info = calendar.classify(day)
        evs = _events_on(day, events)
        for ev in evs:
            add(("event", ev.name), i, 1.0)  # rare: every past occurrence counts fully
        add("all_events" if evs else "all", i)
        if evs:
            continue
        key = _day_class(info, day)
        if info.kind == DayKind.HOLIDAY:
            add(key, i, 1.0)  # rare too: no recency decay
            continue
        add(key, i)
        add("workday" if key == "workday" or key in range(5) else "weekend", i)

    observed_weight = float(weight.sum())
    total = float(sum(v.sum() for k, v in vol_sum.items() if k in ("all", "all_events")))
    daily = total / observed_weight if observed_weight > 0 else 0.0
    k_vol = config.profile_prior_days * max(daily, 1e-9)
    k_aht = config.aht_prior_contacts

    k_special = config.special_profile_prior_days * max(daily, 1e-9)

    def shrink(key: object, parent: np.ndarray, k: float = k_vol) -> np.ndarray:
        s = vol_sum.get(key)
        if s is None:
            return parent
        return (s + k * parent) / (float(s.sum()) + k)

    base_all = vol_sum["all"] if "all" in vol_sum else vol_sum["all_events"]
    global_p = _normalise(base_all + 1e-12)
    profiles: dict[object, np.ndarray] = {"all": global_p}
    profiles["workday"] = shrink("workday", global_p)
    profiles["weekend"] = shrink("weekend", global_p)
    for wd in range(7):
        profiles[wd] = shrink(wd, profiles["workday" if wd < 5 else "weekend"])
    profiles["holiday"] = shrink("holiday", profiles["weekend"], k_special)
    for key in list(vol_sum):
        if isinstance(key, tuple):
            profiles[key] = shrink(key, global_p, k_special)

    aht: dict[object, np.ndarray] | None = None
    total_avol = sum(float(v.sum()) for k, v in avol_sum.items() if k in ("all", "all_events"))
    if total_avol > 0:
        total_work = sum(float(v.sum()) for k, v in work_sum.items() if k in ("all", "all_events"))
        level = total_work / total_avol
        w_all = work_sum["all"] + work_sum["all_events"]
        v_all = avol_sum["all"] + avol_sum["all_events"]
        global_a = (w_all + k_aht * level) / (v_all + k_aht)

        def shrink_a(key: object, parent: np.ndarray) -> np.ndarray:
            if key not in avol_sum:
                return parent
            return (work_sum[key] + k_aht * parent) / (avol_sum[key] + k_aht)

        aht = {"all": global_a}
        aht["workday"] = shrink_a("workday", global_a)
        aht["weekend"] = shrink_a("weekend", global_a)
        for wd in range(7):
            aht[wd] = shrink_a(wd, aht["workday" if wd < 5 else "weekend"])
        aht["holiday"] = shrink_a("holiday", aht["weekend"])
        for key in list(avol_sum):
            if isinstance(key, tuple):
                aht[key] = shrink_a(key, global_a)
    return _Shapes(profiles, aht)


# ---------------------------------------------------------------------------
# fitted model


@dataclass
class _QueueFit:
    hist: QueueHistory
    spec: _DaySpec
    beta: np.ndarray
    event_uplift: dict[str, float]
    shapes: _Shapes
    description: QueueModel


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
            if (
                ev.uplift is None
                and ev.end >= start
                and ev.start <= end
                and not any(ev.name in f.event_uplift for f in self.fits.values())
            ):
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
            totals = self._daily_totals(fit, dates)
            for day, total in zip(dates, totals, strict=True):
                info = self.calendar.classify(day)
                evs = _events_on(day, self.events)
                profile, aht = self._shape_for(fit, info, day, evs)
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
                        tuple(e.name for e in evs),
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

    def _daily_totals(self, fit: _QueueFit, dates: Sequence[dt.date]) -> np.ndarray:
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
        x, offset = _design_rows(
            dates, np.array(t), fit.spec, self.calendar, self.events, fit.event_uplift
        )
        level: np.ndarray = np.exp(np.clip(x @ fit.beta + offset, -20.0, 30.0))
        return level

    def _shape_for(
        self, fit: _QueueFit, info: DayInfo, day: dt.date, evs: list[Event]
    ) -> tuple[np.ndarray, np.ndarray | None]:
        shapes = fit.shapes
        key = _day_class(info, day)
        for ev in evs:
            if ("event", ev.name) in shapes.profiles:
                key = ("event", ev.name)
                break
        aht = None
        if shapes.aht is not None:
            aht = shapes.aht.get(key, shapes.aht["all"])
        return shapes.profiles.get(key, shapes.profiles["all"]), aht


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
    learned = sorted({e.name for d in dates for e in _events_on(d, events) if e.uplift is None})
    use_trend = config.trend != "none" and span >= config.min_trend_days
    yearly = config.yearly_harmonics if span >= config.yearly_min_days else 0
    spec = _DaySpec(holiday_names, learned, use_trend, yearly)
    cols: list[tuple[str, float]] = [("level", 0.0)]
    cols += [(f"wd_{w}", 0.01) for w in WEEKDAY_NAMES[1:]]
    cols += [("makeup", 1.0), ("holiday", 1.0), ("return_day", 1.0)]
    cols += [(f"holiday_{n}", 2.0) for n in holiday_names]
    if use_trend:
        cols.append(("trend", 0.01))
    for k in range(1, yearly + 1):
        cols += [(f"sin{k}", 1.0), (f"cos{k}", 1.0)]
    cols += [(f"event_{n}", 0.02) for n in learned]
    spec.columns = [c for c, _ in cols]
    spec.penalty = [p for _, p in cols]
    t = np.array([(d - hist.last_day).days / 365.25 for d in dates])
    x, offset = _design_rows(dates, t, spec, calendar, events, {})
    protected = np.array(
        [i.kind != DayKind.WORKDAY and i.kind != DayKind.WEEKEND for i in infos]
    ) | np.array([bool(_events_on(d, events)) for d in dates])
    beta, robust = _robust_poisson_fit(
        x, y, offset, np.array(spec.penalty), config.huber_c, protected
    )
    col = {c: j for j, c in enumerate(spec.columns)}
    event_uplift = {n: float(math.exp(beta[col[f"event_{n}"]])) for n in learned}
    shapes = _fit_shapes(hist, calendar, events, config)

    wd_log = np.array([0.0] + [beta[col[f"wd_{w}"]] for w in WEEKDAY_NAMES[1:]])
    wd_mean = float(wd_log.mean())
    given = {e.name: e.uplift for e in events if e.uplift is not None}
    uplifts = {**{k: float(v) for k, v in given.items()}, **event_uplift}
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
        event_uplift_learned={k: k in event_uplift for k in uplifts},
        yearly=bool(yearly),
        trend=config.trend if use_trend else "none",
        downweighted_days=int((robust < 0.999).sum()),
        has_aht=shapes.aht is not None,
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
    return _QueueFit(hist, spec, beta, event_uplift, shapes, description)


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
