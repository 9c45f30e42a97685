"""Staffing benchmark: Zhiren's Erlang engine against pyworkforce, in one run.

Run: ``.venv/bin/python benchmarks/bench_staffing.py`` (a few minutes at most).

Cases (target 80% answered within 20 s, AHT 300 s, 15-minute intervals):

* a week (672 intervals) with a realistic shape -- night trough, morning and
  afternoon peaks, an evening shoulder, busier Mondays, quieter weekends --
  scaled to a peak of about 150 Erlangs, and again to about 1,500 Erlangs
  (and, to show where the engines disagree, to a small team's 8 Erlangs);
* a single interval at 1,000,000 Erlangs;
* Erlang A (patience 120 s) for one interval at 1,000 Erlangs, and over the
  1,500-Erlang week.

For each week it prints both engines' times, the speed ratio, and every
interval where the answers differ, with the reason, checked with our exact
formula at ``n - 1`` and ``n`` (pyworkforce's ``asa`` argument is the answer-time
target, despite its name).  Timings: best of several repeats for Zhiren, one
pass for pyworkforce (it takes seconds to minutes).
"""

from __future__ import annotations

import math
import multiprocessing as mp
import time

import numpy as np

from zhiren.workforce.engine.erlang_a import erlang_a_required_agents
from zhiren.workforce.engine.erlang_c import erlang_c_required_agents, erlang_c_service_level

AHT_S = 300.0
INTERVAL_MIN = 15
INTERVAL_S = INTERVAL_MIN * 60.0
SL_TARGET = 0.8
ANSWER_TIME_S = 20.0
PYWORKFORCE_LIMIT_S = 90.0


def week_shape() -> np.ndarray:
    """Relative load of the 672 quarter-hours of a week, peak 1.0."""
    hours = np.arange(96) / 4.0
    day = (
        0.04
        + 0.95 * np.exp(-(((hours - 10.5) / 1.8) ** 2))
        + 0.80 * np.exp(-(((hours - 15.0) / 2.2) ** 2))
        + 0.45 * np.exp(-(((hours - 20.5) / 1.5) ** 2))
    )
    weekday = np.array([1.12, 1.0, 0.97, 0.95, 1.02, 0.70, 0.55])  # Monday .. Sunday
    rng = np.random.default_rng(20260302)
    noise = rng.normal(1.0, 0.04, 672)
    shape = np.concatenate([day * f for f in weekday]) * noise
    return shape / shape.max()


def time_best(fn, repeats: int) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def pyworkforce_week(
    volumes: np.ndarray, level: float = SL_TARGET, answer_time: float = ANSWER_TIME_S
) -> tuple[float, list[int | None], list[str]]:
    from pyworkforce.queuing import ErlangC

    answers: list[int | None] = []
    failures: list[str] = []
    start = time.perf_counter()
    for i, volume in enumerate(volumes):
        try:
            model = ErlangC(
                transactions=float(volume),
                aht=AHT_S / 60.0,
                asa=answer_time / 60.0,
                interval=INTERVAL_MIN,
            )
            answers.append(int(model.required_positions(service_level=level)["raw_positions"]))
        except Exception as exc:  # noqa: BLE001 - report whatever it raises
            answers.append(None)
            failures.append(f"interval {i}: {type(exc).__name__}: {exc}")
    return time.perf_counter() - start, answers, failures


def _meets(
    n: int, traffic: float, level: float = SL_TARGET, answer_time: float = ANSWER_TIME_S
) -> bool:
    return n > traffic and bool(erlang_c_service_level(n, traffic, AHT_S, answer_time) >= level)


def explain(
    ours: int,
    theirs: int,
    traffic: float,
    level: float = SL_TARGET,
    answer_time: float = ANSWER_TIME_S,
) -> str:
    sl = lambda n: float(erlang_c_service_level(n, traffic, AHT_S, answer_time))  # noqa: E731
    if theirs > ours:
        below = (
            f"{ours - 1} gives {sl(ours - 1):.6f}"
            if ours - 1 > traffic
            else f"{ours - 1} is not above the load"
        )
        return (
            f"pyworkforce {theirs - ours} too many: {ours} already meets the target "
            f"(SL {sl(ours):.6f} >= {level}; {below}); it starts its search at round(A + 1)"
        )
    return f"pyworkforce {ours - theirs} too few: {theirs} gives SL {sl(theirs):.6f} < {level}"


def compare_week(
    label: str,
    peak_erlangs: float,
    shape: np.ndarray,
    level: float = SL_TARGET,
    answer_time: float = ANSWER_TIME_S,
) -> None:
    traffic = peak_erlangs * shape
    volumes = traffic * INTERVAL_S / AHT_S
    ours_s, ours = time_best(
        lambda: erlang_c_required_agents(
            traffic, AHT_S, service_level_target=level, answer_time_target_s=answer_time
        ),
        repeats=30,
    )
    assert all(
        _meets(int(n), a, level, answer_time) and not _meets(int(n) - 1, a, level, answer_time)
        for n, a in zip(ours, traffic, strict=True)
    )
    theirs_s, theirs, failures = pyworkforce_week(volumes, level, answer_time)
    print(
        f"\n== Erlang C {level:.0%}/{answer_time:.0f}s, one week of {len(traffic)} x 15-min intervals, "
        f"peak {traffic.max():.0f} Erlangs ({label})"
    )
    print(
        f"   zhiren      : {ours_s * 1e3:9.3f} ms for the week (best of 30; every answer verified minimal)"
    )
    print(f"   pyworkforce : {theirs_s * 1e3:9.1f} ms for the week")
    print(f"   speed ratio : {theirs_s / ours_s:9.0f}x")
    differ = [(i, int(ours[i]), t) for i, t in enumerate(theirs) if t is not None and t != ours[i]]
    print(f"   intervals where the answers differ: {len(differ)} of {len(traffic)}")
    tally: dict[str, int] = {}
    for shown, (i, o, t) in enumerate(differ):
        kind = f"pyworkforce {abs(t - o)} too {'many' if t > o else 'few'}"
        tally[kind] = tally.get(kind, 0) + 1
        if shown < 12:
            why = explain(o, t, traffic[i], level, answer_time)
            print(f"     interval {i:3d} ({traffic[i]:9.3f} Erl): zhiren {o}, pyworkforce {t} -- {why}")
    if len(differ) > 12:
        print(f"     ... {len(differ) - 12} more; every difference verified with the exact formula at n - 1 and n")
    for kind, count in tally.items():
        print(f"   {kind}: {count} intervals")
    if failures:
        print(f"   pyworkforce failed on {len(failures)} intervals:")
        for line in failures[:10]:
            print(f"     {line}")


def _pyworkforce_single(volume: float, queue) -> None:
    start = time.perf_counter()
    from pyworkforce.queuing import ErlangC

    model = ErlangC(
        transactions=volume, aht=AHT_S / 60.0, asa=ANSWER_TIME_S / 60.0, interval=INTERVAL_MIN
    )
    answer = model.required_positions(service_level=SL_TARGET)["raw_positions"]
    queue.put((time.perf_counter() - start, int(answer)))


def huge_interval(traffic: float) -> None:
    ours_s, ours = time_best(
        lambda: erlang_c_required_agents(
            traffic, AHT_S, service_level_target=SL_TARGET, answer_time_target_s=ANSWER_TIME_S
        ),
        repeats=30,
    )
    n = int(ours)
    print(f"\n== Erlang C, one interval at {traffic:,.0f} Erlangs")
    print(
        f"   zhiren      : {ours_s * 1e3:9.3f} ms -> {n} agents (SL {float(erlang_c_service_level(n, traffic, AHT_S, ANSWER_TIME_S)):.6f};"
    )
    print(
        f"                 {n - 1} agents give SL {float(erlang_c_service_level(n - 1, traffic, AHT_S, ANSWER_TIME_S)):.6f})"
    )
    # pyworkforce steps one agent at a time from round(A + 1), each step an O(n) Python loop
    from pyworkforce.queuing import ErlangC

    probe = ErlangC(
        transactions=traffic * INTERVAL_S / AHT_S,
        aht=AHT_S / 60.0,
        asa=ANSWER_TIME_S / 60.0,
        interval=INTERVAL_MIN,
    )
    start = time.perf_counter()
    probe.service_level(n)
    one_eval = time.perf_counter() - start
    steps = n - round(traffic + 1) + 1
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_pyworkforce_single, args=(traffic * INTERVAL_S / AHT_S, queue))
    proc.start()
    proc.join(PYWORKFORCE_LIMIT_S)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        estimate = steps * one_eval
        print(
            f"   pyworkforce : did not finish within {PYWORKFORCE_LIMIT_S:.0f} s (stopped). It needs about {steps} "
            f"service-level evaluations of {one_eval:.2f} s each: ~{estimate:.0f} s, "
            f"~{estimate / ours_s:,.0f}x slower"
        )
    else:
        elapsed, answer = queue.get()
        verdict = "same answer" if answer == n else explain(n, answer, traffic)
        print(f"   pyworkforce : {elapsed * 1e3:9.1f} ms -> {answer} agents ({verdict})")
        print(f"   speed ratio : {elapsed / ours_s:9.0f}x")


def erlang_a_timings(shape: np.ndarray) -> None:
    print("\n== Erlang A (patience 120 s), target 80/20 over offered")
    single_s, n = time_best(
        lambda: erlang_a_required_agents(
            1000.0, AHT_S, 120.0, service_level_target=SL_TARGET, answer_time_target_s=ANSWER_TIME_S
        ),
        repeats=20,
    )
    print(
        f"   one interval at 1,000 Erlangs : {single_s * 1e3:7.3f} ms -> {int(n)} agents (goal <= 5 ms)"
    )
    with_asa_s, n2 = time_best(
        lambda: erlang_a_required_agents(
            1000.0,
            AHT_S,
            120.0,
            service_level_target=SL_TARGET,
            answer_time_target_s=ANSWER_TIME_S,
            asa_target_s=15.0,
        ),
        repeats=20,
    )
    print(f"   same, plus ASA <= 15 s        : {with_asa_s * 1e3:7.3f} ms -> {int(n2)} agents")
    traffic = 1500.0 * shape
    week_s, _ = time_best(
        lambda: erlang_a_required_agents(
            traffic,
            AHT_S,
            120.0,
            service_level_target=SL_TARGET,
            answer_time_target_s=ANSWER_TIME_S,
        ),
        repeats=5,
    )
    print(
        f"   week at peak 1,500 Erlangs    : {week_s * 1e3:7.1f} ms ({week_s / len(traffic) * 1e3:.3f} ms per interval)"
    )


def main() -> None:
    shape = week_shape()
    compare_week("a small team, about 8", 8.0, shape)
    compare_week("about 150", 150.0, shape)
    compare_week("about 1,500", 1500.0, shape)
    compare_week("a loose target on a small team", 8.0, shape, level=0.3, answer_time=180.0)
    huge_interval(1_000_000.0)
    erlang_a_timings(shape)


if __name__ == "__main__":
    main()
