"""Which side of the peak instance's gap is loose: the bound or the roster.

    .venv/bin/python benchmarks/roster_gap_study.py [--seed N] [--integer-seconds S]
        [--solve S] [--workers N]

On `samples.generate_peak_problem(120, 14, seed + 25)` (the instance of
``bench_roster.py --sizes peak``) prints lower bounds from relaxations of
growing strength: the engine's week LPs, the same with every contract
minimum at 0 (do the minimums bind?), one LP over the whole horizon (does
the week split cost anything?) and, with ``--integer-seconds``, the week
relaxations with every variable integer (`lp_bound.integer_week_bound`).
With ``--solve S`` it also solves the roster and prints, per week, the paid
hours and shifts per template of the roster against the LP's. The figures
and what they mean are in docs/wfm/roster.md ("Where the peak gap is").
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reporting import load_average

from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.linear_solvers import solve_lp_relaxation
from zhiren.workforce.engine.roster.lp_bound import integer_week_bound, lp_guidance
from zhiren.workforce.engine.roster.model import RosterModel
from zhiren.workforce.engine.roster.samples import generate_peak_problem

PEAK_SEED_OFFSET = 25  # as bench_roster.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--integer-seconds", type=float, default=0.0)
    parser.add_argument("--solve", type=float, default=0.0, metavar="S")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    problem = generate_peak_problem(120, 14, seed=args.seed + PEAK_SEED_OFFSET)
    print(f"before: {load_average()}")

    def timed(label: str, compute: Callable[[], Any]) -> Any:
        started = time.monotonic()
        value = compute()
        number = getattr(value, "objective", value)
        shown = "none in time" if number is None else f"{number:,.0f}"
        print(f"{label:<52} {shown:>10}  {time.monotonic() - started:6.1f} s", flush=True)
        return value

    guidance = lp_guidance(problem, time.monotonic() + 600)
    assert guidance is not None
    print(f"{'week LPs (the engine bound)':<52} {guidance.bound:>10,.0f}")
    no_minimums = replace(problem, agents=[replace(a, min_minutes_week=0) for a in problem.agents])
    timed(
        "week LPs, every contract minimum 0",
        lambda: getattr(lp_guidance(no_minimums, time.monotonic() + 600), "bound", None),
    )

    def horizon_lp() -> float | None:
        solution = solve_lp_relaxation(RosterModel(problem, aggregate=True).cp, 600)
        return None if solution is None else solution.objective

    timed("one LP over the whole horizon", horizon_lp)
    if args.integer_seconds:
        timed(
            f"week relaxations, all integer ({args.integer_seconds:.0f} s a week)",
            lambda: integer_week_bound(problem, args.integer_seconds),
        )
    if args.solve:
        result = timed(
            f"roster ({args.solve:.0f} s, objective)",
            lambda: solve_roster(
                problem,
                SolverSettings(time_limit_s=args.solve, workers=args.workers, seed=args.seed),
            ),
        )
        relax = RosterModel(problem, aggregate=True, skeleton=True)
        lp_shifts: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        lp_paid: dict[int, float] = defaultdict(float)
        for (_group, day, k), v in guidance.targets.items():
            template = relax.options[k].template
            lp_shifts[day // 7][template.name] += v
            lp_paid[day // 7] += v * template.paid_minutes
        paid = {t.name: t.paid_minutes for t in problem.templates}
        shifts: dict[int, Counter[str]] = defaultdict(Counter)
        hours: Counter[int] = Counter()
        for a in result.assignments:
            shifts[a.day // 7][a.template] += 1
            hours[a.day // 7] += paid[a.template]
        for week in sorted(shifts):
            print(
                f"week {week}: paid h roster {hours[week] / 60:,.0f} LP {lp_paid[week] / 60:,.0f}; "
                + ", ".join(
                    f"{name} {count} / {lp_shifts[week][name]:.1f}"
                    for name, count in sorted(shifts[week].items())
                )
            )
        print(f"under h {result.under_agent_hours}, over h {result.over_agent_hours}")
    print(f"after: {load_average()}")


if __name__ == "__main__":
    main()
