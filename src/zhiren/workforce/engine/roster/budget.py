"""`Budget`: how one solve splits its wall-time limit between the steps.

The limit covers everything, model building included. In order:

1. the week LPs (bound and shift counts) must end by ``lp_share`` of it;
2. ``reserve_s`` is kept back at the very end for reading the roster back
   and running the independent rule check (it grows with agents x days);
3. the full per-agent CP-SAT model, when it is small enough to build and
   presolve in its time, is kept ``full_model_share`` of what the limit
   leaves after the reserve;
4. the dealing and the local search get ``local_search_share`` of what the
   LP leaves (less the full model's time); with the HiGHS day phase they stop
   early enough to leave it ``day_seconds_per_shift`` per LP shift, yet keep
   at least ``min_local_search_share`` of the time after the LP;
5. the week dealing may run into the day phase's time: it gets at least
   ``week_dealing_share`` of what the LP leaves (the dealing matters more
   than the local search after it, and under load the LP ends late and the
   MIPs are slower). It starts only with more time left than
   ``week_dealing_lp_ratio`` times the LP's own (the week MIPs take about as
   long as the week LPs: 5-6 s against 5-7 s on 500 x 28, both slowing
   alike under load) and than ``week_dealing_s_per_agent_day`` per agent-day;
6. after the week dealing the local search keeps at least
   ``local_search_after_dealing_share`` of what is left (on a loaded machine
   the day phase otherwise starts from a far worse roster and, moving no
   shift to another day, keeps most of that);
7. the day phase runs to the final deadline less the full model's time; the
   full model or the LNS gets what is left.

The proportions set by `SolverSettings` are copied in at the start; the
others are fixed here, where they are documented.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .problem import RosterProblem
from .settings import SolverSettings

__all__ = ["Budget"]


@dataclass(frozen=True)
class Budget:
    started: float  # time.monotonic() when the solve began
    time_limit_s: float
    agents: int
    days: int
    lp_share: float  # SolverSettings.phase1_share
    local_search_share: float  # SolverSettings.heuristic_share
    full_model_share: float  # SolverSettings.cp_share
    seconds_per_boolean: float  # SolverSettings.seconds_per_boolean
    day_seconds_per_shift: float  # SolverSettings.day_seconds_per_shift
    reserve_base_s: float = 0.5
    reserve_s_per_agent_day: float = 2.5e-4
    min_local_search_share: float = 0.05
    week_dealing_share: float = 0.3
    week_dealing_lp_ratio: float = 0.5
    week_dealing_s_per_agent_day: float = 2e-4
    local_search_after_dealing_share: float = 0.15

    @classmethod
    def start(cls, settings: SolverSettings, problem: RosterProblem) -> Budget:
        """The budget of a solve starting now."""
        return cls(
            started=time.monotonic(),
            time_limit_s=settings.time_limit_s,
            agents=len(problem.agents),
            days=problem.days,
            lp_share=settings.phase1_share,
            local_search_share=settings.heuristic_share,
            full_model_share=settings.cp_share,
            seconds_per_boolean=settings.seconds_per_boolean,
            day_seconds_per_shift=settings.day_seconds_per_shift,
        )

    @property
    def deadline(self) -> float:
        """When the whole solve must be done."""
        return self.started + float(self.time_limit_s)

    @property
    def lp_deadline(self) -> float:
        return self.started + self.time_limit_s * self.lp_share

    @property
    def reserve_s(self) -> float:
        """Kept at the end for reading the roster back and checking it."""
        return self.reserve_base_s + self.reserve_s_per_agent_day * self.agents * self.days

    @property
    def search_deadline(self) -> float:
        """When the last search step must end (the deadline less the reserve)."""
        return self.deadline - self.reserve_s

    @property
    def full_model_s(self) -> float:
        """The time the full per-agent CP-SAT model would get."""
        return (self.deadline - self.reserve_s - self.started) * self.full_model_share

    def fits_full_model(self, shift_booleans: int) -> bool:
        """Whether a per-agent model of this many shift booleans can be built
        and presolved in `full_model_s`."""
        return shift_booleans * self.seconds_per_boolean < self.full_model_s

    def local_search_deadline(
        self, after_lp: float, *, full_model: bool, day_phase_shifts: float | None
    ) -> float:
        """When the dealing and the local search stop; ``day_phase_shifts``:
        the LP's shift count when the HiGHS day phase follows (else None)."""
        deadline, reserve = self.deadline, self.reserve_s
        kept = self.full_model_s if full_model else 0.0
        end = after_lp + self.local_search_share * max(0.0, deadline - reserve - after_lp - kept)
        if day_phase_shifts is not None:
            end = min(
                end,
                max(
                    after_lp + self.min_local_search_share * (deadline - after_lp),
                    deadline - reserve - self.day_seconds_per_shift * day_phase_shifts,
                ),
            )
        return end

    def week_dealing_deadline(self, after_lp: float, local_search_deadline: float) -> float:
        return max(
            local_search_deadline,
            after_lp
            + self.week_dealing_share * max(0.0, self.deadline - self.reserve_s - after_lp),
        )

    def week_dealing_worth_starting(self, now: float, deadline: float, lp_seconds: float) -> bool:
        """Whether the week MIPs can be expected to finish by ``deadline``."""
        return deadline - now > max(
            self.week_dealing_lp_ratio * lp_seconds,
            self.week_dealing_s_per_agent_day * self.agents * self.days,
        )

    def local_search_after_dealing(self, now: float, local_search_deadline: float) -> float:
        return max(
            local_search_deadline,
            now + self.local_search_after_dealing_share * (self.deadline - self.reserve_s - now),
        )

    def day_phase_deadline(self, *, full_model_follows: bool) -> float:
        return self.deadline - self.reserve_s - (self.full_model_s if full_model_follows else 0.0)
