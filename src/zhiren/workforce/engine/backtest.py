"""Backtesting the forecaster against a seasonal-naive baseline.

The last ``weeks`` whole weeks of history are held out; the model is fitted on
what comes before and forecasts the hold-out, which is compared with the
actuals per interval and per day.

Metrics (``A`` actual, ``F`` forecast, sums over the compared points):

* ``WAPE = Σ|F − A| / ΣA`` — the headline figure; robust to small intervals.
* ``MAPE = mean(|F − A| / A)`` over points with ``A > 0`` only (zeros would
  divide by zero; how many points were used is reported).
* ``bias = Σ(F − A) / ΣA`` — **positive means over-forecast**, negative
  under-forecast.
* ``aht_wape = Σ A_vol·|F_aht − A_aht| / Σ A_vol·A_aht`` per interval,
  weighted by actual volume (intervals with no contacts carry no AHT).

Seasonal naive: each held-out interval takes the value of the same interval
one week earlier, repeating the last observed week of the training data
(skipping back further weeks when that day has no data).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import HolidayCalendar
from .errors import EngineInputError
from .forecast import (
    Event,
    ForecastConfig,
    IntervalForecast,
    IntervalObservation,
    QueueHistory,
    build_histories,
    fit_histories,
)


def wape(actual: Sequence[float] | np.ndarray, forecast: Sequence[float] | np.ndarray) -> float:
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    total = float(a.sum())
    return float(np.abs(f - a).sum() / total) if total > 0 else math.nan


def mape(actual: Sequence[float] | np.ndarray, forecast: Sequence[float] | np.ndarray) -> float:
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    pos = a > 0
    return float(np.mean(np.abs(f[pos] - a[pos]) / a[pos])) if pos.any() else math.nan


def bias(actual: Sequence[float] | np.ndarray, forecast: Sequence[float] | np.ndarray) -> float:
    """Σ(F − A) / ΣA: positive = over-forecast."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    total = float(a.sum())
    return float((f - a).sum() / total) if total > 0 else math.nan


def aht_wape(actual_volume: np.ndarray, actual_aht: np.ndarray, forecast_aht: np.ndarray) -> float:
    v = np.asarray(actual_volume, float)
    a, f = np.asarray(actual_aht, float), np.asarray(forecast_aht, float)
    ok = (v > 0) & np.isfinite(a) & np.isfinite(f)
    denom = float((v[ok] * a[ok]).sum())
    return float((v[ok] * np.abs(f[ok] - a[ok])).sum() / denom) if denom > 0 else math.nan


@dataclass(frozen=True)
class BacktestRow:
    queue: str  # "*" = all queues together
    level: str  # "interval" or "day"
    method: str  # "model" or "seasonal_naive"
    wape: float
    mape: float
    bias: float
    aht_wape: float  # nan where not applicable (day level, no AHT)
    points: int
    mape_points: int
    actual_total: float


@dataclass(frozen=True)
class BacktestDay:
    date: dt.date
    queue: str
    actual: float
    forecast: float
    seasonal_naive: float


@dataclass
class BacktestReport:
    holdout_start: dt.date
    holdout_end: dt.date
    weeks: int
    interval_minutes: int
    rows: list[BacktestRow]
    days: list[BacktestDay]
    warnings: list[str] = field(default_factory=list)

    def row(self, queue: str, level: str, method: str) -> BacktestRow:
        for r in self.rows:
            if (r.queue, r.level, r.method) == (queue, level, method):
                return r
        raise KeyError((queue, level, method))

    def table(self) -> str:
        head = (
            f"backtest {self.holdout_start}..{self.holdout_end} ({self.weeks} week"
            f"{'s' if self.weeks > 1 else ''}, "
            f"{self.interval_minutes}-min intervals); bias > 0 = over-forecast"
        )
        lines = [
            head,
            f"{'queue':<16} {'level':<9} {'method':<15} {'WAPE':>7} {'MAPE':>7} {'bias':>7} "
            f"{'AHT WAPE':>8} {'points':>7}",
        ]

        def pct(x: float) -> str:
            return "-" if math.isnan(x) else f"{100 * x:.1f}%"

        for r in self.rows:
            lines.append(
                f"{r.queue:<16} {r.level:<9} {r.method:<15} {pct(r.wape):>7} {pct(r.mape):>7} "
                f"{pct(r.bias):>7} {pct(r.aht_wape):>8} {r.points:>7}"
            )
        return "\n".join(lines)


def seasonal_naive(hist: QueueHistory, start: dt.date, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Volume and AHT (nan where unknown) for ``days`` from ``start``: same slot, last week."""
    slots = hist.volume.shape[1]
    vol = np.zeros((days, slots))
    aht = np.full((days, slots), np.nan)
    for i in range(days):
        day = start + dt.timedelta(days=i)
        back = day
        while True:
            back -= dt.timedelta(days=7)
            if back < hist.first_day:
                break
            if back > hist.last_day:
                continue
            j = (back - hist.first_day).days
            if hist.observed[j]:
                vol[i] = hist.volume[j]
                with np.errstate(invalid="ignore", divide="ignore"):
                    aht[i] = np.where(
                        hist.aht_volume[j] > 0, hist.work_seconds[j] / hist.aht_volume[j], np.nan
                    )
                break
    return vol, aht


def _aggregate(a: np.ndarray, ratio: int) -> np.ndarray:
    totals: np.ndarray = a.reshape(a.shape[0], -1, ratio).sum(axis=2)
    return totals


def _metric_row(
    queue: str,
    level: str,
    method: str,
    actual: Sequence[float] | np.ndarray,
    forecast: Sequence[float] | np.ndarray,
    aw: float = math.nan,
) -> BacktestRow:
    a = np.asarray(actual, float).ravel()
    f = np.asarray(forecast, float).ravel()
    return BacktestRow(
        queue,
        level,
        method,
        wape(a, f),
        mape(a, f),
        bias(a, f),
        aw,
        a.size,
        int((a > 0).sum()),
        float(a.sum()),
    )


def backtest_histories(
    histories: dict[str, QueueHistory],
    *,
    weeks: int,
    events: Iterable[Event] = (),
    calendar: HolidayCalendar | None = None,
    config: ForecastConfig | None = None,
    interval_minutes: int | None = None,
) -> BacktestReport:
    if weeks < 1:
        raise EngineInputError("backtest weeks must be >= 1", column="backtest_weeks")
    calendar = calendar or HolidayCalendar()
    events = list(events)
    last = max(h.last_day for h in histories.values())
    holdout_days = 7 * weeks
    cut = last - dt.timedelta(days=holdout_days)
    h_min = next(iter(histories.values())).interval_minutes
    m = interval_minutes or h_min
    if m % h_min or 1440 % m:
        raise EngineInputError(
            f"interval_minutes {m} must be a multiple of the history interval ({h_min} min)",
            column="interval_minutes",
        )
    ratio = m // h_min
    train = {}
    for q, h in histories.items():
        if cut < h.first_day:
            raise EngineInputError(
                f"queue {q!r}: history too short for a {weeks}-week backtest",
                column="backtest_weeks",
            )
        train[q] = h.truncated(cut)
    model = fit_histories(train, events=events, calendar=calendar, config=config)
    start = cut + dt.timedelta(days=1)
    result = model.predict(start=start, days=holdout_days, granularity="interval")
    by_queue_f: dict[str, list[IntervalForecast]] = {q: [] for q in histories}
    for row in result.intervals:
        by_queue_f[row.queue].append(row)
    rows: list[BacktestRow] = []
    days_out: list[BacktestDay] = []
    pooled: dict[tuple[str, str], list[np.ndarray]] = {}
    for q in sorted(histories):
        h = histories[q]
        slots = h.volume.shape[1]
        f_vol = np.array([r.volume for r in by_queue_f[q]]).reshape(holdout_days, slots)
        f_aht = np.array(
            [math.nan if r.aht_seconds is None else r.aht_seconds for r in by_queue_f[q]]
        ).reshape(holdout_days, slots)
        n_vol, n_aht = seasonal_naive(train[q], start, holdout_days)
        # actuals on the hold-out grid
        a_vol = np.zeros((holdout_days, slots))
        a_work = np.zeros((holdout_days, slots))
        a_avol = np.zeros((holdout_days, slots))
        mask = np.zeros(holdout_days, dtype=bool)
        for i in range(holdout_days):
            day = start + dt.timedelta(days=i)
            j = (day - h.first_day).days
            if 0 <= j < h.days and h.observed[j]:
                mask[i] = True
                a_vol[i], a_work[i], a_avol[i] = h.volume[j], h.work_seconds[j], h.aht_volume[j]
        if not mask.any():
            continue
        agg = {
            "a_vol": _aggregate(a_vol[mask], ratio),
            "a_work": _aggregate(a_work[mask], ratio),
            "a_avol": _aggregate(a_avol[mask], ratio),
            "f_vol": _aggregate(f_vol[mask], ratio),
            "f_work": _aggregate(np.nan_to_num(f_vol[mask] * f_aht[mask]), ratio),
            "n_vol": _aggregate(n_vol[mask], ratio),
            "n_work": _aggregate(np.nan_to_num(n_vol[mask] * n_aht[mask]), ratio),
            "n_cnt": _aggregate(np.where(np.isnan(n_aht[mask]), 0.0, n_vol[mask]), ratio),
        }
        with np.errstate(invalid="ignore", divide="ignore"):
            a_aht = agg["a_work"] / agg["a_avol"]
            fm_aht = agg["f_work"] / agg["f_vol"]
            nm_aht = agg["n_work"] / agg["n_cnt"]
        has_aht = bool(np.any(agg["a_avol"] > 0)) and bool(np.any(np.isfinite(f_aht)))
        aw_model = aht_wape(agg["a_avol"], a_aht, fm_aht) if has_aht else math.nan
        aw_naive = aht_wape(agg["a_avol"], a_aht, nm_aht) if has_aht else math.nan
        rows.append(_metric_row(q, "interval", "model", agg["a_vol"], agg["f_vol"], aw_model))
        rows.append(
            _metric_row(q, "interval", "seasonal_naive", agg["a_vol"], agg["n_vol"], aw_naive)
        )
        a_day, f_day, n_day = a_vol[mask].sum(1), f_vol[mask].sum(1), n_vol[mask].sum(1)
        rows.append(_metric_row(q, "day", "model", a_day, f_day))
        rows.append(_metric_row(q, "day", "seasonal_naive", a_day, n_day))
        for key, arr in (
            ("a_int", agg["a_vol"]),
            ("f_int", agg["f_vol"]),
            ("n_int", agg["n_vol"]),
            ("a_day", a_day),
            ("f_day", f_day),
            ("n_day", n_day),
        ):
            pooled.setdefault((key, ""), []).append(arr.ravel())
        for i in np.flatnonzero(mask).tolist():
            days_out.append(
                BacktestDay(
                    start + dt.timedelta(days=int(i)),
                    q,
                    float(a_vol[i].sum()),
                    float(f_vol[i].sum()),
                    float(n_vol[i].sum()),
                )
            )
    if len(histories) > 1 and pooled:

        def cat(key: str) -> np.ndarray:
            return np.concatenate(pooled[(key, "")])

        rows.append(_metric_row("*", "interval", "model", cat("a_int"), cat("f_int")))
        rows.append(_metric_row("*", "interval", "seasonal_naive", cat("a_int"), cat("n_int")))
        rows.append(_metric_row("*", "day", "model", cat("a_day"), cat("f_day")))
        rows.append(_metric_row("*", "day", "seasonal_naive", cat("a_day"), cat("n_day")))
    return BacktestReport(
        start,
        last,
        weeks,
        m,
        rows,
        days_out,
        warnings=list(result.warnings),
    )


def backtest(
    history: Sequence[IntervalObservation],
    *,
    weeks: int,
    events: Iterable[Event] = (),
    calendar: HolidayCalendar | None = None,
    config: ForecastConfig | None = None,
    interval_minutes: int | None = None,
) -> BacktestReport:
    """Hold out the last ``weeks`` weeks, fit on the rest, score model and seasonal naive."""
    histories, _ = build_histories(history)
    return backtest_histories(
        histories,
        weeks=weeks,
        events=events,
        calendar=calendar,
        config=config,
        interval_minutes=interval_minutes,
    )
