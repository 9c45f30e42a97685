"""Rostering: named agents x days x 15-minute intervals (docs/wfm/roster.md).

`solve_roster` (in `pipeline`) runs the steps, each in its own module: the
week LPs (`lp_bound`), the dealing of their counts to agents
(`week_dealing`, `day_dealing`), breaks and contract top-ups (`greedy`), the
local search (`local_search`), the day phase (`day_phase`), the full CP-SAT
model (`model`) or LNS (`lns`), and the read-back (`readback`); `budget`
splits the time between them and `rules` checks the result independently.

Index names used throughout: ``ai`` an agent's index in ``problem.agents``,
``gi`` a skill group's index, ``k`` an option's index (a template at one
start, `problem.ShiftOption`), ``ti`` a template's index, ``d``/``day`` a day
of the horizon, ``t`` a 15-minute slot, ``w`` a week block (``day // 7``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import SolverSettings, solve_roster, unmet_wishes, validate_problem

__all__ = ["SolverSettings", "solve_roster", "unmet_wishes", "validate_problem"]


def __getattr__(name: str) -> Any:
    # The pipeline pulls in OR-Tools and SciPy's optimisers (seconds of start-up); importing
    # ``roster.problem`` for the data types, as the Django apps do when they start, must not.
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
