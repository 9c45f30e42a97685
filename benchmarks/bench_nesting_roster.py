"""The nesting-aware roster (issue #21): 300 agents × 4 weeks, 40 of them in nesting.

    .venv/bin/python benchmarks/bench_nesting_roster.py [--time-limit S] [--workers N]

One generated instance (``samples.generate_problem``: two queues, voice and chat; four shift
templates; the labour rules of ``bench_roster``) is solved twice in the same run:

- **baseline**: the roster as generated, every agent with their own skills;
- **nesting**: the same roster where 40 agents are in nesting (哺育期) — 20 in a cohort that
  starts on the roster's first day (weeks 1–2 chat only, 3–4 chat and voice) and 20 in one that
  started two weeks earlier (now in weeks 3–6: chat and voice, then the full mix). Their skills
  are narrowed the way the app narrows them: a ``core.registries.queue_limits`` entry built
  on ``training.exposure.allowed_between``, applied by ``workforce.staff.limited_skills`` as
  ``roster_input`` does (a roster of several weeks keeps to the narrowest week it touches).
  The cohorts are in memory; training's own provider reads them from the database
  (``tests/training/test_roster.py``).

Printed for both: wall time, under-/over-staffed agent-hours, objective, lower bound and the
gap, and the violations the independent checker finds. Goals (issue #21): the nesting roster's
gap within 5 points of the baseline's, in at most 60 s; the load average beside them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reporting import goal, load_average  # noqa: E402

AGENTS, DAYS, NESTING = 300, 28, 40
GAP_POINTS = 0.05  # the nesting roster's gap at most this much above the baseline's
WALL_GOAL_S = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiren.settings")
    import django

    django.setup()  # for the registry and workforce.staff; no database is touched
    from zhiren.core.registries import queue_limits
    from zhiren.training.exposure import allowed_between
    from zhiren.workforce.engine.roster import SolverSettings, solve_roster
    from zhiren.workforce.engine.roster.rules import check_roster
    from zhiren.workforce.engine.roster.samples import generate_problem
    from zhiren.workforce.staff import limited_skills

    baseline = generate_problem(AGENTS, DAYS, seed=args.seed)
    start = dt.date(2026, 3, 2)  # a Monday: day 0 of the roster
    end = start + dt.timedelta(days=DAYS - 1)
    stages = [
        {"key": "simple", "weeks": 2, "queues": ["chat"]},
        {"key": "moderate", "weeks": 2, "queues": ["chat", "voice"]},
    ]
    nesting_ids = [n for n in range(AGENTS) if n % (AGENTS // NESTING) == 0][:NESTING]
    cohort_start = {
        n: start if k < NESTING // 2 else start - dt.timedelta(weeks=2)
        for k, n in enumerate(nesting_ids)
    }

    def nesting_limits(
        agent_ids: Sequence[int], first: dt.date, last: dt.date
    ) -> dict[int, frozenset[str]]:
        out = {}
        for n in agent_ids:
            if n in cohort_start:
                allowed = allowed_between(stages, cohort_start[n], first, last)
                if allowed is not None:
                    out[n] = allowed
        return out

    agents = [SimpleNamespace(pk=n) for n in range(AGENTS)]
    queues = [SimpleNamespace(code=code) for code in sorted(baseline.demand)]
    own = {n: a.skills for n, a in enumerate(baseline.agents)}
    with queue_limits.replaced([("nesting", nesting_limits)]):
        # duck-typed rows: limited_skills reads only ``pk`` and ``code``
        skills, limited = limited_skills(agents, own, queues, start, end)  # type: ignore[arg-type]
    narrowed = [
        dataclasses.replace(a, skills=skills[n])
        for n, a in enumerate(baseline.agents)
        if n not in limited or skills[n]
    ]
    nesting = dataclasses.replace(baseline, agents=narrowed)
    changed = sum(1 for n in limited if skills[n] != own[n])
    print(
        f"{AGENTS} agents x {DAYS} days; {len(limited)} in nesting, {changed} of them "
        f"narrowed (chat only: {sum(1 for n in limited if skills[n] == ('chat',))}); "
        f"limit {args.time_limit:.0f} s, {args.workers} workers"
    )
    print(f"before: {load_average()}")
    print(
        f"{'roster':<9} {'wall s':>7} {'under h':>8} {'over h':>8} {'objective':>10} "
        f"{'bound':>10} {'gap':>6} {'violations':>10}"
    )
    results = {}
    for name, problem in (("baseline", baseline), ("nesting", nesting)):
        started = time.monotonic()
        result = solve_roster(
            problem,
            SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed),
        )
        wall = time.monotonic() - started
        violations = check_roster(problem, result)
        results[name] = (wall, result, violations)
        gap = f"{result.gap:.1%}" if result.gap is not None else "n/a"
        print(
            f"{name:<9} {wall:>7.1f} {result.under_agent_hours:>8.1f} "
            f"{result.over_agent_hours:>8.1f} {result.objective or 0:>10.0f} "
            f"{result.bound or 0:>10.0f} {gap:>6} {len(violations):>10}",
            flush=True,
        )
    base_gap, nest_gap = results["baseline"][1].gap, results["nesting"][1].gap
    wall = results["nesting"][0]
    close, difference = False, "n/a"
    # a gap means something only against a bound the LP found (a zero bound reads as 100 %)
    bounded = all(r.bound for _w, r, _v in results.values())
    if bounded and base_gap is not None and nest_gap is not None:
        close = nest_gap <= base_gap + GAP_POINTS
        difference = f"{(nest_gap - base_gap) * 100:+.1f} points"
    print(
        f"gap difference (nesting - baseline): {difference}; "
        f"{goal('within 5 points', close) if bounded else 'within 5 points: not measured (no bound)'}; {goal(f'<= {WALL_GOAL_S:.0f} s', wall <= WALL_GOAL_S)}; "
        f"{goal('0 violations', not any(v for _w, _r, v in results.values()))}"
    )
    print(f"after: {load_average()}")
    return 0 if all(not v for _w, _r, v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
