"""Forecast accuracy around promotions, against the noise floor and baselines.

    .venv/bin/python benchmarks/bench_forecast.py

1. **Multi-day promotions** (the goal of issue #20): two years of 15-minute
   history for two queues (pre-sales, after-sales) from
   ``synthetic_ecommerce``: Chinese holidays and 调休, a trend break, and
   618, 双11, 双12, 年货节 and a shop's own anniversary sale, each with an evening
   pre-sale launch, a build-up, a midnight launch on the peak day and an
   after-sales tail, and each occurrence bigger or smaller than its family's
   by chance. The parameter set and seed below are **not** the ones the model
   was developed on (``synthetic_ecommerce.development_spec``). The events
   table lists each promotion's peak day only, nothing else. Hold-out: the
   two weeks around 双11 2025. Printed per interval and per day: the model,
   the model without the events table, seasonal naive, Holt-Winters
   (statsmodels, when installed) and the oracle (the true rates: the Poisson
   noise floor), with the goals: interval WAPE <= 1.2x and daily WAPE <= 2x
   the floor.
2. **Single-day promotions** (the earlier figure, kept for comparison): 30-min
   history with two one-day promotions a year and an 8-week hold-out.
3. **A public real series**, when a package installed here ships one.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import numpy as np

from zhiren.workforce.engine.backtest import seasonal_naive, wape
from zhiren.workforce.engine.forecast import Event, QueueHistory, build_histories, fit_histories
from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate
from zhiren.workforce.engine.synthetic_ecommerce import (
    EcommerceSpec,
    PromotionSpec,
    generate_ecommerce,
    peak_events,
)

D = dt.date
INTERVAL_GOAL = 1.2
DAILY_GOAL = 2.0
FIT_RUNS = 3
BENCH_SEED = 20251111


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def held_out_spec(start: D, days: int) -> EcommerceSpec:
    """The benchmark's own parameter set: the model was not tuned on it."""
    years = range(start.year, (start + dt.timedelta(days=days)).year + 1)
    return EcommerceSpec(
        start=start,
        days=days,
        base_daily=2600.0,
        weekday_factors=(1.18, 1.06, 1.02, 0.99, 1.04, 0.88, 0.83),
        holiday_factor=0.5,
        makeup_factor=0.95,
        return_day_factor=1.2,
        yearly_amplitude=0.07,
        yearly_peak_day=20,
        annual_growth=0.25,
        trend_break=D(2024, 9, 16),
        break_step=1.10,
        growth_after_break=0.08,
        queue_response=((1.0, 1.0, 0.5), (0.4, 0.5, 1.8)),
        promotions=(
            PromotionSpec("618", tuple(D(y, 6, 18) for y in years), 2.0, 13, 1.5, 20.0, 4, 1.4, 5),
            PromotionSpec(
                "双11",
                tuple(D(y, 11, 11) for y in years),
                3.6,
                presale_lead_days=13,
                presale_uplift=2.1,
                buildup_days=5,
                buildup_uplift=1.9,
                tail_days=7,
                tail_uplift=2.0,
                year_sd=0.05,
            ),
            PromotionSpec(
                "双12", tuple(D(y, 12, 12) for y in years), 1.6, 6, 1.25, 20.0, 2, 1.2, 3
            ),
            PromotionSpec(
                "年货节",
                (D(2024, 1, 18), D(2025, 1, 9), D(2026, 1, 29)),
                1.5,
                8,
                1.2,
                20.0,
                3,
                1.2,
                2,
            ),
            PromotionSpec(
                "anniversary sale",
                tuple(D(y, 9, 9) for y in years),
                2.2,
                presale_lead_days=3,
                presale_uplift=1.3,
                buildup_days=1,
                buildup_uplift=1.3,
                tail_days=3,
                tail_uplift=1.4,
                launch_hour=10.0,
            ),
        ),
        seed=BENCH_SEED,
    )


def holt_winters_daily(
    hist: QueueHistory, start: D, days: int
) -> tuple[np.ndarray, np.ndarray] | str:
    """statsmodels Holt-Winters on daily totals (damped additive trend, weekly multiplicative
    season), spread over the day by the last eight weeks' mean shape of the same weekday."""
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing
    except ImportError as exc:
        return f"skipped: statsmodels is not importable ({exc})"
    totals = hist.volume.sum(axis=1)
    model = ExponentialSmoothing(
        totals,
        trend="add",
        damped_trend=True,
        seasonal="mul",
        seasonal_periods=7,
        initialization_method="estimated",
    ).fit()
    daily = np.asarray(model.forecast(days), dtype=float)
    slots = hist.volume.shape[1]
    out = np.zeros((days, slots))
    for i in range(days):
        day = start + dt.timedelta(days=i)
        shares = []
        for w in range(1, 9):
            back = (day - dt.timedelta(weeks=w) - hist.first_day).days
            if 0 <= back < hist.days and totals[back] > 0:
                shares.append(hist.volume[back] / totals[back])
        shape = np.mean(shares, axis=0) if shares else np.full(slots, 1.0 / slots)
        out[i] = daily[i] * shape
    return out, daily


def multi_day_promotions() -> dict[str, bool]:
    holdout = D(2025, 11, 3)
    n_out = 14
    start = D(2023, 11, 6)
    n_hist = (holdout - start).days
    spec = held_out_spec(start, n_hist + n_out)
    series = generate_ecommerce(spec)
    events = peak_events(spec)
    history = [o for o in series.observations if o.start.date() < holdout]
    histories, aware = build_histories(history)
    slots = 1440 // spec.interval_minutes
    print(
        f"== 1. multi-day promotions: {len(spec.queues)} queues, {n_hist} days x {slots} "
        f"intervals ({len(history)} rows) of history, hold-out {holdout} + {n_out} days "
        f"(双11 on 2025-11-11)"
    )
    print(
        f"   generator: synthetic_ecommerce with the benchmark's own parameter set and seed "
        f"{BENCH_SEED} (the model was developed on development_spec, another set and seed); "
        f"events table: {len(events)} rows, peak days only"
    )
    times = []
    for _ in range(FIT_RUNS):
        t0 = time.perf_counter()
        model = fit_histories(histories, events=events, aware=aware)
        result = model.predict(start=holdout, days=n_out)
        times.append(time.perf_counter() - t0)
    no_events = fit_histories(histories, aware=aware).predict(start=holdout, days=n_out)
    rows: dict[str, list[np.ndarray]] = {
        "model": [],
        "model, no events table": [],
        "seasonal naive": [],
        "Holt-Winters (statsmodels)": [],
        "oracle (noise floor)": [],
    }
    skipped = ""
    actual_parts = []
    for q in spec.queues:
        actual_parts.append(series.counts[q][n_hist : n_hist + n_out])
        fc = np.array([r.volume for r in result.intervals if r.queue == q]).reshape(n_out, slots)
        fc_ne = np.array([r.volume for r in no_events.intervals if r.queue == q]).reshape(
            n_out, slots
        )
        naive, _ = seasonal_naive(histories[q], holdout, n_out)
        rows["model"].append(fc)
        rows["model, no events table"].append(fc_ne)
        rows["seasonal naive"].append(naive)
        hw = holt_winters_daily(histories[q], holdout, n_out)
        if isinstance(hw, str):
            skipped = hw
        else:
            rows["Holt-Winters (statsmodels)"].append(hw[0])
        rows["oracle (noise floor)"].append(series.rates[q][n_hist : n_hist + n_out])
    actual = np.concatenate(actual_parts)
    print(
        f"   {'method':<28} {'WAPE/interval':>14} {'WAPE/day':>9} {'x floor/int':>12} {'x floor/day':>12}"
    )
    floor = rows["oracle (noise floor)"]
    f_int = wape(actual, np.concatenate(floor))
    f_day = wape(actual.sum(1), np.concatenate(floor).sum(1))
    figures = {}
    for name, parts in rows.items():
        if not parts:
            print(f"   {name:<28} {skipped}")
            continue
        f = np.concatenate(parts)
        w_int, w_day = wape(actual, f), wape(actual.sum(1), f.sum(1))
        figures[name] = (w_int, w_day)
        print(
            f"   {name:<28} {100 * w_int:>13.2f}% {100 * w_day:>8.2f}% "
            f"{w_int / f_int:>12.2f} {w_day / f_day:>12.2f}"
        )
    m = figures["model"]
    naive_f = figures["seasonal naive"]
    print(
        f"   model / seasonal naive: {m[0] / naive_f[0]:.2f} per interval, "
        f"{m[1] / naive_f[1]:.2f} per day"
    )
    if "Holt-Winters (statsmodels)" in figures:
        hw_f = figures["Holt-Winters (statsmodels)"]
        print(
            f"   model / Holt-Winters: {m[0] / hw_f[0]:.2f} per interval, "
            f"{m[1] / hw_f[1]:.2f} per day"
        )
    print("   per day, both queues together (actual, model, true rate):")
    model_all = np.concatenate(rows["model"])
    floor_all = np.concatenate(floor)
    n_q = len(spec.queues)
    for i in range(n_out):
        day = holdout + dt.timedelta(days=i)
        idx = [i + n_out * q for q in range(n_q)]
        a, f, o = (float(x[idx].sum()) for x in (actual, model_all, floor_all))
        print(
            f"     {day} {day:%a}  {a:>7.0f} {f:>7.0f} {o:>7.0f}  model {f / o - 1:+.1%} of the true rate"
        )
    desc = model.fits["presales"].description
    for family, (first, last) in sorted(desc.event_windows.items()):
        print(
            f"   learned window of {family}: days {first:+d}..{last:+d}, peak x"
            f"{desc.event_uplifts.get(family, float('nan')):.2f} (pre-sales queue)"
        )
    print(f"   fit + forecast: median {statistics.median(times):.2f}s of {FIT_RUNS} runs; {load()}")
    ok_int = m[0] / f_int <= INTERVAL_GOAL
    ok_day = m[1] / f_day <= DAILY_GOAL
    print(
        f"   goal interval WAPE <= {INTERVAL_GOAL}x floor: {m[0] / f_int:.2f}x, {verdict(ok_int)}"
    )
    print(f"   goal daily WAPE <= {DAILY_GOAL}x floor: {m[1] / f_day:.2f}x, {verdict(ok_day)}")
    return {"interval": ok_int, "daily": ok_day}


def single_day_promotions() -> None:
    holdout = D(2025, 9, 29)
    weeks = 8
    promos = [
        (D(2024, 6, 18), D(2024, 6, 18), 2.2),
        (D(2024, 11, 11), D(2024, 11, 11), 3.0),
        (D(2025, 6, 18), D(2025, 6, 18), 2.2),
        (D(2025, 11, 11), D(2025, 11, 11), 3.0),
    ]
    events = [Event("618", s, e) for s, e, _ in promos[::2]] + [
        Event("double 11", s, e) for s, e, _ in promos[1::2]
    ]
    queues = ("general", "after_sales", "vip")
    spec = SyntheticSpec(
        start=D(2024, 1, 1),
        days=(holdout - D(2024, 1, 1)).days + 7 * weeks,
        queues=queues,
        interval_minutes=30,
        base_daily=3000.0,
        promotions=promos,
        seed=618,
    )
    series = generate(spec)
    n_hist = (holdout - spec.start).days
    n_out = 7 * weeks
    history = [o for o in series.observations if o.start.date() < holdout]
    histories, aware = build_histories(history)
    result = fit_histories(histories, events=events, aware=aware).predict(start=holdout, days=n_out)
    slots = 1440 // spec.interval_minutes
    parts: dict[str, list[np.ndarray]] = {"model": [], "seasonal naive": [], "oracle": []}
    actual = []
    for q in queues:
        actual.append(series.counts[q][n_hist : n_hist + n_out])
        parts["model"].append(
            np.array([r.volume for r in result.intervals if r.queue == q]).reshape(n_out, slots)
        )
        parts["seasonal naive"].append(seasonal_naive(histories[q], holdout, n_out)[0])
        parts["oracle"].append(series.rates[q][n_hist : n_hist + n_out])
    a = np.concatenate(actual)
    figs = {k: np.concatenate(v) for k, v in parts.items()}
    w = {k: (wape(a, f), wape(a.sum(1), f.sum(1))) for k, f in figs.items()}
    print(
        f"== 2. single-day promotions (forecast_synthetic, 30-min, 3 queues): hold-out "
        f"{holdout} + {weeks} weeks (National Day, 双11)"
    )
    for k, (wi, wd) in w.items():
        print(f"   {k:<28} {100 * wi:>13.2f}% {100 * wd:>8.2f}%")
    m, o, n = w["model"], w["oracle"], w["seasonal naive"]
    print(
        f"   model / floor: {m[0] / o[0]:.2f} per interval, {m[1] / o[1]:.2f} per day; "
        f"model / seasonal naive: {m[0] / n[0]:.2f} per interval, {m[1] / n[1]:.2f} per day; "
        f"{load()}"
    )


def public_series() -> None:
    print(
        "== 3. public real series: none. No package installed here ships a daily or "
        "intraday contact-volume series (statsmodels' datasets, where installed, are "
        "yearly, quarterly, monthly or weekly); skipped"
    )


def main() -> None:
    print(f"bench_forecast: {load()}")
    goals = multi_day_promotions()
    single_day_promotions()
    public_series()
    print(
        f"goals: interval {verdict(goals['interval'])}, daily {verdict(goals['daily'])}; {load()}"
    )


if __name__ == "__main__":
    main()
