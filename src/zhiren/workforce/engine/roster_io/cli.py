"""``zhiren wfm roster``: solve a roster from a JSON problem file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..roster import SolverSettings, solve_roster
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
    return 0 if result.status in ("OPTIMAL", "FEASIBLE") else 1
