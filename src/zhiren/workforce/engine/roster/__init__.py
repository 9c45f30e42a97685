"""Rostering: named agents x days x 15-minute intervals (docs/wfm/roster.md).

The public entry points; each step of the solver lives in its own module
(see the module list in docs/wfm/roster.md).
"""

from __future__ import annotations

from .pipeline import SolverSettings, solve_roster, unmet_wishes, validate_problem

__all__ = ["SolverSettings", "solve_roster", "unmet_wishes", "validate_problem"]
