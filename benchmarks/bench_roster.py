"""Roster benchmark: generated instances, solved and independently checked.

    .venv/bin/python benchmarks/bench_roster.py [--sizes small,medium,large,peak]
        [--time-limit S] [--workers N] [--seed N]

Instances (zhiren.workforce.engine.roster.samples.generate_problem): two
queues (a quarter of the agents multi-skilled), four shift templates on a
15-minute start grid (early, day, late, and a night shift crossing midnight),
two paid breaks and an unpaid lunch per day shift, 11 h rest, at most 6
consecutive days, one rest day a week, 10 h/day, 48 h/week, contracts of
32-40 h (part-time 16-24 h), ~4 % leave, wishes for a third of the agents,
and bans night->early, night->day, late->early.

``peak`` (issue #25, `samples.generate_peak_problem`, its own seed: ``--seed``
plus 25): 120 agents x 14 days, the same four templates plus a 4-hour peak
shift open to everyone; contracts 32-40 h, 36-44 h and part-timers at
12-24 h (some only weekday daytimes or evenings), agents who may not work
nights, leave across a week boundary, 44 h/week, bans night->early and
late->day.

``--integer-bound S`` also computes, after each solve, the stronger lower
bound of `lp_bound.integer_week_bound` (each week's relaxation with every
variable integer, HiGHS for at most S seconds a week; offline, minutes) and
the gap against it: how much of the gap is the LP bound's.

Prints wall time, under-/over-staffed agent-hours, objective, lower bound and
gap, the step that last improved the roster, and the number of hard-rule
violations found by the independent checker (roster.rules.check_roster),
which must be 0, and the gap against its goal (``GAP_GOALS``); plus the
machine's load average before and after.
"""

from __future__ import annotations

import argparse
import sys
import time

from reporting import goal, load_average

from zhiren.workforce.engine.roster import SolverSettings, solve_roster
from zhiren.workforce.engine.roster.lp_bound import integer_week_bound
from zhiren.workforce.engine.roster.rules import check_roster
from zhiren.workforce.engine.roster.samples import generate_peak_problem, generate_problem

SIZES = {
    "small": (50, 7, 20.0),
    "medium": (200, 28, 60.0),
    "large": (500, 28, 60.0),
    "peak": (120, 14, 60.0),
}
GAP_GOALS = {"large": 0.02, "peak": 0.05}  # the gap each size should reach in its limit
PEAK_SEED_OFFSET = 25  # the peak instance's own seed: --seed plus this


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large,peak")
    parser.add_argument("--time-limit", type=float, help="override every size's limit (s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--integer-bound",
        type=float,
        metavar="S",
        help="also compute the integer week bound, at most S seconds a week",
    )
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
        if name.strip() == "peak":
            problem = generate_peak_problem(agents, days, seed=args.seed + PEAK_SEED_OFFSET)
        else:
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
        goals = [goal("0 violations", not violations)]
        gap_goal = GAP_GOALS.get(name.strip())
        if gap_goal is not None:
            ok = result.gap is not None and result.gap <= gap_goal
            goals.append(goal(f"gap <= {gap_goal:.0%}", ok))
        print(f"    {'; '.join(goals)}; {load_average()}", flush=True)
        if args.integer_bound:
            started = time.monotonic()
            stronger = integer_week_bound(problem, args.integer_bound)
            if stronger is None:
                print("    integer week bound: none in time")
            else:
                stronger = max(stronger, result.bound or 0.0)
                objective = result.objective or 0.0
                print(
                    f"    integer week bound {stronger:.0f} "
                    f"(+{stronger - (result.bound or 0.0):.0f} over the LP's), "
                    f"gap {(objective - stronger) / max(1.0, objective):.1%}, "
                    f"{time.monotonic() - started:.0f} s; {load_average()}",
                    flush=True,
                )
        for v in violations[:5]:
            print(f"    {v.rule}: {v.agent_id} day {v.day}: {v.detail}")
        if result.violations:
            causes = sorted({str(v.params.get("cause", "-")) for v in result.violations})
            print(f"    status {result.status}, causes: {', '.join(causes)}")
    print(f"after: {load_average()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
