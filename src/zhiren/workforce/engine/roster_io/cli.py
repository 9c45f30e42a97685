"""``zhiren wfm roster``: solve a roster from a JSON problem file."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from ..roster import SolverSettings, solve_roster
from ..roster.problem import Violation
from .json_format import load_problem, result_to_json, write_coverage_csv

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "roster",
        help="build a roster (agents x days x 15-minute intervals) with CP-SAT",
        description="Solve the roster described in a JSON file (docs/wfm/roster.md).",
    )
    parser.add_argument("--input", required=True, help="problem JSON")
    parser.add_argument("--output", required=True, help="roster JSON to write")
    parser.add_argument("--coverage-csv", help="also write coverage per interval and queue")
    parser.add_argument("--time-limit", type=float, help="seconds (default: file, else 30)")
    parser.add_argument("--workers", type=int, help="CP-SAT workers (default: file, else 2)")
    parser.add_argument("--seed", type=int, help="random seed (default: file, else 0)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problem, options = load_problem(args.input)
    if args.time_limit is not None:
        options["time_limit_s"] = args.time_limit
    if args.workers is not None:
        options["workers"] = args.workers
    if args.seed is not None:
        options["seed"] = args.seed
    settings = SolverSettings(**options)
    result = solve_roster(problem, settings)
    Path(args.output).write_text(
        json.dumps(result_to_json(problem, result), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if args.coverage_csv:
        write_coverage_csv(problem, result, args.coverage_csv)
    gap = f"{result.gap:.1%}" if result.gap is not None else "n/a"
    print(
        f"{result.status}: {len(result.assignments)} shifts, objective {result.objective}, "
        f"bound {result.bound}, gap {gap}, under {result.under_agent_hours:.2f} agent-hours, "
        f"over {result.over_agent_hours:.2f} agent-hours, "
        f"{len(result.violations)} rule violations, {result.wall_time_s:.1f}s"
    )
    _print_violations(result.violations)
    return 0 if result.status in ("OPTIMAL", "FEASIBLE") else 1


_CAUSES = {
    "unreachable": "impossible",
    "not_found": "not found in the time given",
}
_SHOWN = 20  # violations listed on the terminal (all of them are in the JSON)


def _print_violations(violations: list[Violation]) -> None:
    """Each broken rule with its agent, week or day and cause; then how many
    are impossible (no roster can meet them) and how many the solver did
    not find a way to meet in its time."""
    if not violations:
        return
    causes = Counter(str(v.params.get("cause", "not_found")) for v in violations)
    print(
        "no valid roster: "
        + ", ".join(f"{n} {_CAUSES.get(cause, cause)}" for cause, n in sorted(causes.items()))
    )
    for v in violations[:_SHOWN]:
        where = (
            f"week {v.day // 7 + 1}"
            if v.rule == "min_contract_hours" and v.day is not None
            else f"day {v.day}"
        )
        print(f"  {v.rule} {v.agent_id or ''} {where}: {v.detail}")
    if len(violations) > _SHOWN:
        print(f"  ... {len(violations) - _SHOWN} more in the output file")
