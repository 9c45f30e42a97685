"""Roster benchmark: generated instances, solved and independently checked.

    .venv/bin/python benchmarks/bench_roster.py [--sizes small,medium,large]
        [--time-limit S] [--workers N] [--seed N]

Instances (zhiren.workforce.engine.roster.samples.generate_problem): two
queues (a quarter of the agents multi-skilled), four shift templates on a
15-minute start grid (early, day, late, and a night shift crossing midnight),
two paid breaks and an unpaid lunch per day shift, 11 h rest, at most 6
consecutive days, one rest day a week, 10 h/day, 48 h/week, contracts of
32-40 h (part-time 16-24 h), ~4 % leave, wishes for a third of the agents,
and bans night->early, night->day, late->early.

Prints wall time, under-/over-staffed agent-hours, objective, lower bound and
gap, the step that last improved the roster, and the number of hard-rule
violations found by the independent checker (roster.rules.check_roster),
which must be 0; plus the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import sys
import time

from reporting import goal, load_average

from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.rules import check_roster
from zhiren.workforce.engine.roster.samples import generate_problem

SIZES = {
    "small": (50, 7, 20.0),
    "medium": (200, 28, 60.0),
    "large": (500, 28, 60.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--time-limit", type=float, help="override every size's limit (s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    header = (
        f"{'size':<7} {'agents':>6} {'days':>4} {'limit s':>7} {'wall s':>7} {'demand h':>9} "
        f"{'under h':>8} {'over h':>8} {'objective':>10} {'bound':>10} {'gap':>6} "
        f"{'from':>10} {'violations':>10}"
    )
    print(f"before: {load_average()}")
    print(header)
    failures = 0
    for name in args.sizes.split(","):
        agents, days, limit = SIZES[name.strip()]
        limit = args.time_limit or limit
        problem = generate_problem(agents, days, seed=args.seed)
        demand_h = sum(sum(v) for v in problem.demand.values()) / 4
        started = time.monotonic()
        result = solve_roster(
            problem, SolverSettings(time_limit_s=limit, workers=args.workers, seed=args.seed)
        )
        wall = time.monotonic() - started
        violations = check_roster(problem, result)
        failures += len(violations)
        gap = f"{result.gap:.1%}" if result.gap is not None else "n/a"
        print(
            f"{name:<7} {agents:>6} {days:>4} {limit:>7.0f} {wall:>7.1f} {demand_h:>9.0f} "
            f"{result.under_agent_hours:>8.1f} {result.over_agent_hours:>8.1f} "
            f"{result.objective or 0:>10.0f} {result.bound or 0:>10.0f} {gap:>6} "
            f"{result.solver_parameters.get('solution_from', '-'):>10} {len(violations):>10}",
            flush=True,
        )
        print(f"    {goal('0 violations', not violations)}; {load_average()}", flush=True)
        for v in violations[:5]:
            print(f"    {v.rule}: {v.agent_id} day {v.day}: {v.detail}")
    print(f"after: {load_average()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
