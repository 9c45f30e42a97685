"""`SolverSettings`: what a caller may tune about one solve."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SolverSettings"]


@dataclass(frozen=True)
class SolverSettings:
    """Limits, seeds and the choices between alternative steps of one solve.

    The shares below split the time limit between the steps; `budget.Budget`
    turns them (and its own fixed proportions) into deadlines.
    """

    time_limit_s: float = 30.0  # wall time of the whole solve, model building included
    workers: int = 2  # CP-SAT workers (and day models solved at once by CP-SAT)
    seed: int = 0
    relative_gap_limit: float = 0.0
    log: bool = False
    phase1_share: float = 0.5  # the week LPs (the bound) must finish within this share
    # the local search gets this share of the time the LP leaves; the day
    # phase the rest (at most ``reopt_passes`` passes)
    heuristic_share: float = 0.4
    reopt_passes: int = 4
    # the day phase may also move shifts (start and template among
    # rule-neutral swaps) when a day has at most this many working agents;
    # on bigger days it only places breaks (CP-SAT needs seconds per big day)
    move_max_agents: int = 120
    # who solves the day models: "highs" (scipy's HiGHS MIP, LP-rounded
    # class counts; moves shifts on every day, one day at a time) or
    # "cp_sat" (single-worker CP-SAT per day, ``workers`` days at once,
    # moves only on days with at most ``move_max_agents`` working agents)
    day_solver: str = "highs"
    day_seconds_per_shift: float = 4e-3  # time kept for the HiGHS day phase
    # how the LP's counts are dealt to agents: "week" (one HiGHS MIP per week
    # and group decides each agent's days and templates, `week_dealing`) or
    # "day" (one assignment per group and day, then augmenting chains,
    # `day_dealing`)
    dealing: str = "week"
    # the full per-agent CP-SAT model is solved last, with ``cp_share`` of the
    # limit, only when it has few enough shift booleans to build and presolve
    # in that time; otherwise CP-SAT LNS rounds use what the day phase leaves
    cp_share: float = 0.2
    seconds_per_boolean: float = 1e-3
    lns_agents: int = 25  # agents freed per LNS round (large instances)
    lns_round_s: float = 4.0  # time limit of one LNS round
