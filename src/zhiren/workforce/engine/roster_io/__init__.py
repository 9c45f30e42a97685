"""Rostering on the command line: JSON problem files in, JSON rosters and CSV out.

`json_format` reads and writes the files (format: docs/wfm/roster.md);
`cli` is the ``zhiren wfm roster`` sub-command.
"""

from __future__ import annotations

from .json_format import (
    load_problem,
    problem_from_json,
    result_to_json,
    solver_options_from_json,
    write_coverage_csv,
)

__all__ = [
    "load_problem",
    "problem_from_json",
    "result_to_json",
    "solver_options_from_json",
    "write_coverage_csv",
]
