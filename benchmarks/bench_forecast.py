"""Forecast accuracy against seasonal naive and the noise floor, on synthetic data.

    .venv/bin/python benchmarks/bench_forecast.py

A synthetic contact history with known rates (weekday and intraday
seasonality, +15%/year trend, Chinese holidays and make-up workdays, two
yearly promotions with their own intraday shape) plus Poisson noise is split
into ~21 months of history and an 8-week hold-out that contains National Day,
a make-up Saturday and 双11.  Printed per interval and per day:

* our forecast (fitted on the history only),
* the same model without the events table (what knowing 大促 dates is worth),
* seasonal naive (same interval one week earlier, last week repeated),
* the oracle: the true rates themselves, i.e. the Poisson noise floor.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from zhiren.workforce.engine.backtest import seasonal_naive, wape
from zhiren.workforce.engine.forecast import Event, build_histories, fit_histories
from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate

D = dt.date
QUEUES = ("general", "after_sales", "vip")
HOLDOUT_START = D(2025, 9, 29)
HOLDOUT_WEEKS = 8


def main() -> None:
    promos = [
        (D(2024, 6, 18), D(2024, 6, 18), 2.2),
        (D(2024, 11, 11), D(2024, 11, 11), 3.0),
        (D(2025, 6, 18), D(2025, 6, 18), 2.2),
        (D(2025, 11, 11), D(2025, 11, 11), 3.0),
    ]
    events = [Event("618", s, e) for s, e, _ in promos[::2]] + [
        Event("double 11", s, e) for s, e, _ in promos[1::2]
    ]
    days = (HOLDOUT_START - D(2024, 1, 1)).days + 7 * HOLDOUT_WEEKS
    spec = SyntheticSpec(
        start=D(2024, 1, 1),
        days=days,
        queues=QUEUES,
        interval_minutes=30,
        base_daily=3000.0,
        promotions=promos,
        seed=618,
    )
    t0 = time.perf_counter()
    series = generate(spec)
    t_gen = time.perf_counter() - t0
    n_hist = (HOLDOUT_START - spec.start).days
    n_out = 7 * HOLDOUT_WEEKS
    history = [o for o in series.observations if o.start.date() < HOLDOUT_START]

    t0 = time.perf_counter()
    histories, aware = build_histories(history)
    model = fit_histories(histories, events=events, aware=aware)
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = model.predict(start=HOLDOUT_START, days=n_out)
    t_pred = time.perf_counter() - t0
    no_events = fit_histories(histories, aware=aware).predict(start=HOLDOUT_START, days=n_out)

    slots = 1440 // spec.interval_minutes
    rows = {
        "model": [],
        "model, no events table": [],
        "seasonal naive": [],
        "oracle (true rates)": [],
    }
    actual_all = []
    for q in QUEUES:
        actual = series.counts[q][n_hist : n_hist + n_out]
        actual_all.append(actual)
        fc = np.array([r.volume for r in result.intervals if r.queue == q]).reshape(n_out, slots)
        fc_ne = np.array([r.volume for r in no_events.intervals if r.queue == q]).reshape(
            n_out, slots
        )
        naive, _ = seasonal_naive(histories[q], HOLDOUT_START, n_out)
        oracle = series.rates[q][n_hist : n_hist + n_out]
        for name, f in zip(rows, (fc, fc_ne, naive, oracle), strict=True):
            rows[name].append(f)
    actual = np.concatenate(actual_all)

    print(
        f"synthetic history: {len(QUEUES)} queues, {n_hist} days x {slots} intervals "
        f"({len(history)} rows), hold-out {HOLDOUT_START} + {HOLDOUT_WEEKS} weeks "
        f"(National Day, make-up Saturday 2025-10-11, double 11)"
    )
    print(f"{'method':<26} {'WAPE/interval':>14} {'WAPE/day':>9} {'WAPE/day, special days':>23}")
    special = []
    for i in range(n_out):
        day = HOLDOUT_START + dt.timedelta(days=i)
        info = model.calendar.classify(day)
        special.append(info.kind.value not in ("workday", "weekend") or day == D(2025, 11, 11))
    special_mask = np.tile(np.array(special), len(QUEUES))
    figures = {}
    for name, parts in rows.items():
        f = np.concatenate(parts)
        w_int = wape(actual, f)
        a_day, f_day = actual.sum(1), f.sum(1)
        w_day = wape(a_day, f_day)
        w_sp = wape(a_day[special_mask], f_day[special_mask])
        figures[name] = (w_int, w_day)
        print(f"{name:<26} {100 * w_int:>13.2f}% {100 * w_day:>8.2f}% {100 * w_sp:>22.2f}%")
    m, o, n = figures["model"], figures["oracle (true rates)"], figures["seasonal naive"]
    print(
        f"model / oracle WAPE ratio: {m[0] / o[0]:.3f} per interval, {m[1] / o[1]:.2f} per day; "
        f"model / seasonal naive: {m[0] / n[0]:.3f} per interval, {m[1] / n[1]:.3f} per day"
    )
    print(
        f"time: generate {t_gen:.2f}s, fit {t_fit:.2f}s ({len(QUEUES)} queues), "
        f"forecast {n_out} days x {slots} intervals {t_pred:.2f}s"
    )
    t0 = time.perf_counter()
    long_start = HOLDOUT_START + dt.timedelta(weeks=HOLDOUT_WEEKS)
    long = model.predict(start=long_start, horizon_weeks=64, granularity="interval")
    t_long = time.perf_counter() - t0
    print(
        f"64-week interval forecast from {long_start}: {len(long.intervals)} rows in {t_long:.2f}s; "
        f"provisional years: {long.provisional_years}"
    )


if __name__ == "__main__":
    main()
