"""Rostering with OR-Tools CP-SAT: named agents x days x 15-minute intervals.

Formulation (see docs/wfm/roster.md):

* For every agent and day a choice among concrete shifts ("options": a
  template and a start on its grid), one boolean each, at most one per day.
* Agents with the same skill set form a group; per group, day and option an
  integer counts the agents on that shift. Breaks are placed per group, day
  and option as counts per break offset (implicit breaks); an ordering
  condition on the cumulative counts guarantees that the counts can be split
  into one non-overlapping break sequence per agent (the i-th earliest first
  break goes with the i-th earliest second break, and so on).
* Agents of a multi-skill group working in a slot are split over the group's
  queues with integer allocation variables summing exactly to the number
  working, so nobody is counted on two queues at once.
* Coverage is soft: ``covered + under - over = demand`` per queue and slot.
* Labour rules, leave, availability and transition bans are hard.

After solving, counts are turned back into individual assignments: break
offsets sorted and dealt out in order, queue allocations dealt out to the
working agents (keeping an agent on the same queue while possible).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from .errors import EngineInputError
from .roster_disaggregate import disaggregate, round_targets
from .roster_greedy import Schedule, greedy_roster
from .roster_lp import solve_lp_relaxation, solve_mip
from .roster_problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    Agent,
    Assignment,
    RosterProblem,
    RosterResult,
    ShiftTemplate,
    UnmetWish,
)
from .roster_rules import check_roster, rule_names
from .roster_weekdeal import deal_weeks

__all__ = ["SolverSettings", "solve_roster", "unmet_wishes", "validate_problem"]


@dataclass(frozen=True)
class SolverSettings:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    relative_gap_limit: float = 0.0
    log: bool = False
    phase1_share: float = 0.5  # the LP relaxation must finish within this share
    # the local search gets this share of the time the LP leaves; the
    # day-by-day CP-SAT re-optimisation the rest (at most ``reopt_passes``)
    heuristic_share: float = 0.4
    reopt_passes: int = 4
    # the day re-optimisation may also move shifts (start and template among
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
    # and group decides each agent's days and templates, see roster_weekdeal)
    # or "day" (one assignment per group and day, then augmenting chains)
    dealing: str = "week"
    # the full per-agent CP-SAT model is solved last, with ``cp_share`` of the
    # limit, only when it has few enough shift booleans to build and presolve
    # in that time; otherwise CP-SAT LNS rounds use what the passes leave
    cp_share: float = 0.2
    seconds_per_boolean: float = 1e-3
    lns_agents: int = 25  # agents freed per LNS round (large instances)
    lns_round_s: float = 4.0  # time limit of one LNS round


@dataclass(frozen=True)
class _Option:
    index: int
    template: ShiftTemplate
    template_index: int
    start: int  # minutes from the day's midnight

    @property
    def end(self) -> int:
        return self.start + self.template.length_minutes


# ----------------------------------------------------------------------------
# validation


def _check_grid(value: int, column: str) -> None:
    if value % SLOT_MINUTES:
        raise EngineInputError(f"{value} is not on the {SLOT_MINUTES}-minute grid", column=column)


def validate_problem(problem: RosterProblem) -> None:
    """Raise `EngineInputError` naming the field of the first inconsistency."""
    if problem.days < 1:
        raise EngineInputError("must be at least 1", column="days")
    if not 0 <= problem.start_weekday <= 6:
        raise EngineInputError("must be 0 (Monday) to 6 (Sunday)", column="start_weekday")
    for queue, values in problem.demand.items():
        if len(values) != problem.num_slots:
            raise EngineInputError(
                f"has {len(values)} intervals, expected {problem.num_slots}",
                column=f"demand.{queue}",
            )
        for i, v in enumerate(values):
            if v < 0:
                raise EngineInputError("must not be negative", column=f"demand.{queue}[{i}]")
    names = set()
    for i, t in enumerate(problem.templates):
        path = f"templates[{i}]"
        if t.name in names:
            raise EngineInputError(f"duplicate template name {t.name!r}", column=f"{path}.name")
        names.add(t.name)
        for attr in ("earliest_start", "latest_start", "length_minutes", "start_step"):
            _check_grid(getattr(t, attr), f"{path}.{attr}")
        if t.start_step <= 0:
            raise EngineInputError("must be positive", column=f"{path}.start_step")
        if t.length_minutes <= 0:
            raise EngineInputError("must be positive", column=f"{path}.length_minutes")
        if not 0 <= t.earliest_start <= t.latest_start < MINUTES_PER_DAY:
            raise EngineInputError(
                "start window must satisfy 0 <= earliest_start <= latest_start < 1440",
                column=f"{path}.latest_start",
            )
        if not t.may_cross_midnight and t.latest_start + t.length_minutes > MINUTES_PER_DAY:
            raise EngineInputError(
                "shift would cross midnight but may_cross_midnight is false",
                column=f"{path}.may_cross_midnight",
            )
        prev_end = 0
        for j, b in enumerate(t.breaks):
            bpath = f"{path}.breaks[{j}]"
            for attr in ("length_minutes", "earliest_after", "latest_after"):
                _check_grid(getattr(b, attr), f"{bpath}.{attr}")
            if b.length_minutes <= 0:
                raise EngineInputError("must be positive", column=f"{bpath}.length_minutes")
            if not 0 < b.earliest_after <= b.latest_after:
                raise EngineInputError(
                    "need 0 < earliest_after <= latest_after", column=f"{bpath}.latest_after"
                )
            if b.latest_after + b.length_minutes > t.length_minutes:
                raise EngineInputError("break window ends after the shift", column=bpath)
            if b.earliest_after < prev_end:
                raise EngineInputError(
                    "break cannot start after the previous break in any placement",
                    column=f"{bpath}.earliest_after",
                )
            prev_end = b.earliest_after + b.length_minutes
    queues = set(problem.demand)
    ids = set()
    for i, a in enumerate(problem.agents):
        path = f"agents[{i}]"
        if a.id in ids:
            raise EngineInputError(f"duplicate agent id {a.id!r}", column=f"{path}.id")
        ids.add(a.id)
        if not a.skills:
            raise EngineInputError("at least one skill (queue) is needed", column=f"{path}.skills")
        for s in a.skills:
            if s not in queues:
                raise EngineInputError(f"unknown queue {s!r}", column=f"{path}.skills")
        if not 0 <= a.min_minutes_week <= a.max_minutes_week:
            raise EngineInputError("need 0 <= min <= max", column=f"{path}.min_hours_week")
        for name in a.preferred_shifts:
            if name not in names:
                raise EngineInputError(
                    f"unknown template {name!r}", column=f"{path}.preferred_shifts"
                )
    kinds = {t.kind for t in problem.templates}
    for i, (a, b) in enumerate(problem.rules.banned_transitions):
        for k in (a, b):
            if k not in kinds:
                raise EngineInputError(
                    f"unknown shift kind {k!r}", column=f"rules.banned_transitions[{i}]"
                )


# ----------------------------------------------------------------------------
# model


def _allowed(agent: Agent, day: int, opt: _Option, days: int) -> bool:
    start = opt.start
    end = opt.end
    # fixed leave: no work time on a leave day
    first_day = day
    last_day = day + (end - 1) // MINUTES_PER_DAY
    for d in range(first_day, last_day + 1):
        if d in agent.leave_days:
            return False
    if agent.availability is None:
        return True
    abs_start = day * MINUTES_PER_DAY + start
    abs_end = day * MINUTES_PER_DAY + end
    for wd, ws, we in agent.availability:
        base = wd * MINUTES_PER_DAY
        if base + ws <= abs_start and abs_end <= base + we:
            return True
    return False


class _Model:
    """One CP-SAT model of the instance.

    ``aggregate=True`` builds the relaxation used in phase 1: no individual
    agents, only per-group shift counts with aggregated labour constraints
    (every constraint is implied by the individual ones, so its optimum is a
    lower bound of the full problem's coverage cost). Otherwise one boolean
    per agent, day and option, optionally restricted to ``keep[(group, day)]``.
    """

    def __init__(
        self,
        problem: RosterProblem,
        *,
        aggregate: bool = False,
        keep: dict[tuple[tuple[str, ...], int], set[int]] | None = None,
        owned_from: int = 0,
        owned_to: int | None = None,
        shift_days: int | None = None,
        fixed_counts: bool = False,
        skeleton: bool = False,
    ):
        self.p = problem
        self.owned_from = owned_from  # slots before this are left out of the objective
        # ... and slots from this on (``None``: the horizon's end)
        self.owned_to = problem.num_slots if owned_to is None else owned_to
        # days from this on get no shifts (their slots may still be owned)
        shift_days = problem.days if shift_days is None else shift_days
        self.aggregate = aggregate
        self.m = cp_model.CpModel()
        rules = problem.rules
        self.options: list[_Option] = []
        for ti, t in enumerate(problem.templates):
            if t.paid_minutes > rules.max_minutes_per_day:
                continue
            for s in t.starts():
                self.options.append(_Option(len(self.options), t, ti, s))
        n_days = problem.days
        m = self.m
        groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for ai, agent in enumerate(problem.agents):
            groups[tuple(sorted(set(agent.skills)))].append(ai)
        self.groups = dict(groups)
        # allowed[ai][d] : option indices the agent may work that day
        self.allowed: list[list[list[int]]] = []
        for agent in problem.agents:
            g = tuple(sorted(set(agent.skills)))
            self.allowed.append(
                [
                    [
                        o.index
                        for o in self.options
                        if d < shift_days
                        and (keep is None or o.index in keep.get((g, d), ()))
                        and _allowed(agent, d, o, n_days)
                    ]
                    for d in range(n_days)
                ]
            )
        # fairness counts agents who could work a weekend day / a late shift at all
        self.weekend_agents: set[int] = set()
        self.late_agents: set[int] = set()
        for ai, agent in enumerate(() if fixed_counts else problem.agents):
            for d in range(n_days):
                for o in self.options:
                    if (problem.is_weekend(d) or o.template.late) and _allowed(agent, d, o, n_days):
                        if problem.is_weekend(d):
                            self.weekend_agents.add(ai)
                        if o.template.late:
                            self.late_agents.add(ai)
        # x[a][d] : option index -> bool
        self.x: list[list[dict[int, cp_model.IntVar]]] = []
        self.w: list[list[cp_model.LinearExprT]] = []
        self._wvars: dict[tuple[int, int], cp_model.IntVar] = {}
        self._both: list[tuple[cp_model.IntVar, int, int, int]] = []
        self._spreads: list[tuple[cp_model.IntVar, cp_model.IntVar, list[list]]] = []
        if skeleton:  # options, groups and permissions only (no constraints)
            return
        if not aggregate:
            for ai in range(len(problem.agents)):
                row = []
                wrow = []
                for d in range(n_days):
                    opts = {k: m.new_bool_var(f"x_{ai}_{d}_{k}") for k in self.allowed[ai][d]}
                    row.append(opts)
                    if opts:
                        m.add_at_most_one(opts.values())
                        wrow.append(sum(opts.values()))
                    else:
                        wrow.append(0)
                self.x.append(row)
                self.w.append(wrow)
            self._labour_rules()
        self._coverage()
        if aggregate and not fixed_counts:
            self._aggregate_rules()
        self._objective()

    # -- labour rules ----------------------------------------------------
    def _labour_rules(self) -> None:
        p, m, rules = self.p, self.m, self.p.rules
        opt = self.options
        bans = set(rules.banned_transitions)
        for ai, agent in enumerate(p.agents):
            xs = self.x[ai]
            w = self.w[ai]
            # minimum rest between shifts (any two days that could conflict)
            for d in range(p.days):
                if not xs[d]:
                    continue
                max_end = d * MINUTES_PER_DAY + max(opt[k].end for k in xs[d])
                for d2 in range(d + 1, p.days):
                    if not xs[d2]:
                        continue
                    min_start = d2 * MINUTES_PER_DAY + min(opt[k].start for k in xs[d2])
                    if min_start - max_end >= rules.min_rest_minutes:
                        break
                    end_expr = sum((d * MINUTES_PER_DAY + opt[k].end) * v for k, v in xs[d].items())
                    start_expr = sum(
                        (d2 * MINUTES_PER_DAY + opt[k].start) * v for k, v in xs[d2].items()
                    )
                    both = m.new_bool_var("")
                    self._both.append((both, ai, d, d2))
                    m.add_implication(both, self._working_var(ai, d))
                    m.add_implication(both, self._working_var(ai, d2))
                    m.add_bool_or(
                        [both, self._working_var(ai, d).Not(), self._working_var(ai, d2).Not()]
                    )
                    m.add(start_expr - end_expr >= rules.min_rest_minutes).only_enforce_if(both)
                    # cheap clique cuts: an option whose end conflicts with every
                    # start of the later day excludes working that day
                    for k, v in xs[d].items():
                        e = d * MINUTES_PER_DAY + opt[k].end + rules.min_rest_minutes
                        clash = [
                            v2
                            for k2, v2 in xs[d2].items()
                            if d2 * MINUTES_PER_DAY + opt[k2].start < e
                        ]
                        if len(clash) == len(xs[d2]):
                            m.add_bool_or([v.Not(), self._working_var(ai, d2).Not()])
            # transition bans
            if bans:
                for d in range(p.days - 1):
                    for a_kind, b_kind in bans:
                        first = [v for k, v in xs[d].items() if opt[k].template.kind == a_kind]
                        second = [v for k, v in xs[d + 1].items() if opt[k].template.kind == b_kind]
                        if first and second:
                            m.add(sum(first) + sum(second) <= 1)
            # consecutive days
            mc = rules.max_consecutive_days
            for d in range(p.days - mc):
                m.add(sum(w[d : d + mc + 1]) <= mc)
            # weeks: rest days, hour limits, contract hours
            for week in p.weeks():
                days = list(week)
                if len(days) == 7:
                    m.add(sum(w[d] for d in days) <= 7 - rules.min_rest_days_per_week)
                minutes = sum(
                    opt[k].template.paid_minutes * v for d in days for k, v in xs[d].items()
                )
                upper = min(agent.max_minutes_week, rules.max_minutes_per_week)
                m.add(minutes <= upper)
                lower = _contract_minimum(agent, days)
                if lower > 0:
                    m.add(minutes >= lower)

    def _working_var(self, ai: int, d: int) -> cp_model.IntVar:
        cache = self._wvars
        key = (ai, d)
        if key not in cache:
            v = self.m.new_bool_var(f"w_{ai}_{d}")
            self.m.add(v == self.w[ai][d])
            cache[key] = v
        return cache[key]

    # -- coverage --------------------------------------------------------
    def _coverage(self) -> None:
        p, m = self.p, self.m
        opt = self.options
        n_slots = p.num_slots
        groups = self.groups
        self.counts: dict[tuple[tuple[str, ...], int, int], cp_model.IntVar] = {}
        self.break_counts: dict[
            tuple[tuple[str, ...], int, int, int], dict[int, cp_model.IntVar]
        ] = {}
        # working[g][t] : list of (coef, var)
        working: dict[tuple[str, ...], list[list]] = {
            g: [[] for _ in range(n_slots)] for g in groups
        }
        for g, members in groups.items():
            for d in range(p.days):
                by_opt: dict[int, list] = defaultdict(list)
                for ai in members:
                    if self.aggregate:
                        for k in self.allowed[ai][d]:
                            by_opt[k].append(None)
                    else:
                        for k, v in self.x[ai][d].items():
                            by_opt[k].append(v)
                for k, vs in by_opt.items():
                    o = opt[k]
                    n = m.new_int_var(0, len(vs), f"n_{d}_{k}")
                    if not self.aggregate:
                        m.add(n == sum(vs))
                    self.counts[(g, d, k)] = n
                    base = (d * MINUTES_PER_DAY + o.start) // SLOT_MINUTES
                    for s in range(o.template.length_minutes // SLOT_MINUTES):
                        if base + s < n_slots:
                            working[g][base + s].append((1, n))
                    prev: dict[int, cp_model.IntVar] | None = None
                    prev_len = 0
                    for bi, br in enumerate(o.template.breaks):
                        offs = {}
                        for off in range(br.earliest_after, br.latest_after + 1, SLOT_MINUTES):
                            bv = m.new_int_var(0, len(vs), "")
                            offs[off] = bv
                            bs = base + off // SLOT_MINUTES
                            for s in range(br.length_minutes // SLOT_MINUTES):
                                if bs + s < n_slots:
                                    working[g][bs + s].append((-1, bv))
                        m.add(sum(offs.values()) == n)
                        if prev is not None and (max(prev) + prev_len > br.earliest_after):
                            # sorted pairing must be feasible: for every offset o2,
                            # #(next break starts <= o2) <= #(previous starts <= o2 - prev_len)
                            # (implied when the previous break always ends before
                            # this one's window opens, so only built when windows overlap)
                            for o2 in offs:
                                lhs = [bv for oo, bv in offs.items() if oo <= o2]
                                rhs = [bv for oo, bv in prev.items() if oo <= o2 - prev_len]
                                m.add(sum(lhs) <= sum(rhs))
                        self.break_counts[(g, d, k, bi)] = offs
                        prev, prev_len = offs, br.length_minutes
        # allocation of multi-skill groups and coverage
        cover: dict[str, list[list]] = {q: [[] for _ in range(n_slots)] for q in p.demand}
        self.alloc: dict[tuple[tuple[str, ...], str, int], cp_model.IntVar] = {}
        for g, members in groups.items():
            for t in range(n_slots):
                terms = working[g][t]
                if not terms:
                    continue
                expr = sum(c * v for c, v in terms)
                if len(g) == 1:
                    cover[g[0]][t].append(expr)
                    continue
                parts = []
                for q in g:
                    a = m.new_int_var(0, len(members), "")
                    self.alloc[(g, q, t)] = a
                    parts.append(a)
                    cover[q][t].append(a)
                m.add(sum(parts) == expr)
        self.under: dict[tuple[str, int], cp_model.IntVar] = {}
        self.over: dict[tuple[str, int], cp_model.IntVar] = {}
        self.const_under = 0
        for q, dem in p.demand.items():
            for t in range(self.owned_from, self.owned_to):
                terms = cover[q][t]
                if not terms:
                    self.const_under += max(0, dem[t])
                    continue
                u = m.new_int_var(0, max(0, dem[t]), "")
                o = m.new_int_var(0, len(p.agents), "")
                m.add(sum(terms) + u - o == dem[t])
                self.under[(q, t)] = u
                self.over[(q, t)] = o

    def _aggregate_rules(self) -> None:
        """Group-level consequences of the individual rules (phase-1 relaxation)."""
        p, m, rules = self.p, self.m, self.p.rules
        opt = self.options
        for g, members in self.groups.items():
            size = len(members)

            def n_of(d: int, ks=None, g=g):
                return [
                    v
                    for (gg, dd, k), v in self.counts.items()
                    if gg == g and dd == d and (ks is None or k in ks)
                ]

            by_day = [n_of(d) for d in range(p.days)]
            avail_days = [[bool(self.allowed[ai][d]) for d in range(p.days)] for ai in members]
            for d in range(p.days):
                if by_day[d]:
                    m.add(sum(by_day[d]) <= sum(1 for a in avail_days if a[d]))
            # every shift pays at least ``min_paid`` minutes, so an agent works
            # at most ``weekly maximum // min_paid`` shifts a week: summed per
            # agent with the agent's own day limits, this is tighter than the
            # group's summed hours (an agent with leave cannot lend its unused
            # hours to another one)
            min_paid = min((o.template.paid_minutes for o in opt), default=0)
            max_paid = max((o.template.paid_minutes for o in opt), default=0)
            for week in p.weeks():
                days = list(week)
                cap_days = 0
                cap_minutes = 0
                for ai, a in zip(members, avail_days, strict=True):
                    n_avail = sum(1 for d in days if a[d])
                    if len(days) == 7:
                        n_avail = min(n_avail, 7 - rules.min_rest_days_per_week)
                    # runs of at most ``mc`` days: one day off in every ``mc + 1``
                    mc = rules.max_consecutive_days
                    n_avail = min(n_avail, len(days) - len(days) // (mc + 1))
                    upper = min(p.agents[ai].max_minutes_week, rules.max_minutes_per_week)
                    if min_paid > 0:
                        n_avail = min(n_avail, upper // min_paid)
                    cap_days += n_avail
                    cap_minutes += min(upper, n_avail * max_paid)
                terms = [v for d in days for v in by_day[d]]
                if not terms:
                    continue
                m.add(sum(terms) <= cap_days)
                minutes = sum(
                    opt[k].template.paid_minutes * v
                    for (gg, d, k), v in self.counts.items()
                    if gg == g and d in week
                )
                agents = [p.agents[ai] for ai in members]
                m.add(minutes <= cap_minutes)
                m.add(minutes >= sum(_contract_minimum(a, days) for a in agents))
            mc = rules.max_consecutive_days
            for d in range(p.days - mc):
                terms = [v for dd in range(d, d + mc + 1) for v in by_day[dd]]
                if terms:
                    m.add(sum(terms) <= mc * size)
            # shifts on consecutive days that no single agent can combine
            for d in range(p.days - 1):
                today = {k: v for (gg, dd, k), v in self.counts.items() if gg == g and dd == d}
                tomorrow = {
                    k: v for (gg, dd, k), v in self.counts.items() if gg == g and dd == d + 1
                }
                if not today or not tomorrow:
                    continue
                for e in sorted({opt[k].end for k in today}):
                    late = [v for k, v in today.items() if opt[k].end >= e]
                    early = [
                        v
                        for k, v in tomorrow.items()
                        if MINUTES_PER_DAY + opt[k].start < e + rules.min_rest_minutes
                    ]
                    if early:
                        m.add(sum(late) + sum(early) <= size)
                for ka, kb in rules.banned_transitions:
                    first = [v for k, v in today.items() if opt[k].template.kind == ka]
                    second = [v for k, v in tomorrow.items() if opt[k].template.kind == kb]
                    if first and second:
                        m.add(sum(first) + sum(second) <= size)

    # -- objective -------------------------------------------------------
    def _objective(self) -> None:
        p, m, wt = self.p, self.m, self.p.weights
        opt = self.options
        terms: dict[str, cp_model.LinearExprT] = {}
        terms["under"] = wt.under * (sum(self.under.values()) + self.const_under)
        terms["over"] = wt.over * sum(self.over.values())
        if self.aggregate:
            self.terms = terms
            m.minimize(sum(terms.values()))
            return
        pref_shift = []
        pref_off = []
        weekend_counts = []
        late_counts = []
        for ai, agent in enumerate(p.agents):
            xs = self.x[ai]
            if agent.preferred_shifts:
                for d in range(p.days):
                    pref_shift += [
                        v
                        for k, v in xs[d].items()
                        if opt[k].template.name not in agent.preferred_shifts
                    ]
            for d in agent.preferred_days_off:
                if 0 <= d < p.days and xs[d]:
                    pref_off += list(xs[d].values())
            if ai in self.weekend_agents:
                weekend_counts.append(
                    [v for d in range(p.days) if p.is_weekend(d) for v in xs[d].values()]
                )
            if ai in self.late_agents:
                late_counts.append(
                    [v for d in range(p.days) for k, v in xs[d].items() if opt[k].template.late]
                )
        terms["preferred_shift"] = wt.preferred_shift * sum(pref_shift)
        terms["preferred_day_off"] = wt.preferred_day_off * sum(pref_off)
        terms["weekend_spread"] = wt.weekend_spread * self._spread(weekend_counts, p.days)
        terms["late_spread"] = wt.late_spread * self._spread(late_counts, p.days)
        self.terms = terms
        m.minimize(sum(terms.values()))

    def _spread(self, counts: list, horizon: int):
        if len(counts) < 2:
            return 0
        hi = self.m.new_int_var(0, horizon, "")
        lo = self.m.new_int_var(0, horizon, "")
        for c in counts:
            self.m.add(hi >= sum(c))
            self.m.add(lo <= sum(c))
        self._spreads.append((hi, lo, counts))
        return hi - lo


def _contract_minimum(agent: Agent, days: list[int]) -> int:
    """Contract minimum for a week block, pro rata for leave days and short blocks."""
    working_days = sum(1 for d in days if d not in agent.leave_days)
    return agent.min_minutes_week * working_days // 7


# ----------------------------------------------------------------------------
# solve and read back


def _make_solver(
    settings: SolverSettings, seconds: float, workers: int | None = None
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, float(seconds))
    params.num_workers = int(settings.workers if workers is None else workers)
    params.random_seed = int(settings.seed)
    params.relative_gap_limit = float(settings.relative_gap_limit)
    params.log_search_progress = bool(settings.log)
    return solver


def _params_of(solver: cp_model.CpSolver, status: int) -> dict[str, object]:
    params = solver.parameters
    return {
        "max_time_in_seconds": round(params.max_time_in_seconds, 3),
        "num_workers": params.num_workers,
        "random_seed": params.random_seed,
        "relative_gap_limit": params.relative_gap_limit,
        "status": solver.status_name(status),
        "wall_time_s": round(solver.wall_time, 3),
    }


def solve_roster(
    problem: RosterProblem,
    settings: SolverSettings | None = None,
    *,
    hint: list[Assignment] | None = None,
) -> RosterResult:
    """Solve the roster; return assignments, coverage, bound, gap and rule checks.

    The phases share ``settings.time_limit_s`` (wall time, model building
    included): the week-by-week LP relaxation (the lower bound and the shift
    counts), the dealing of the counts to named agents (one HiGHS MIP per
    week and group, or day by day) with the greedy local search, the
    day-by-day re-optimisation of starts and breaks (HiGHS or CP-SAT), and finally the full per-agent CP-SAT model (small instances) or
    CP-SAT large-neighbourhood search (see docs/wfm/roster.md). ``hint``: a
    previous roster to start the CP-SAT phases from.
    """
    settings = settings or SolverSettings()
    validate_problem(problem)
    started = time.monotonic()
    deadline = started + float(settings.time_limit_s)
    phases: list[dict[str, object]] = []

    # phase 1: LP relaxation week by week (lower bound, shift counts)
    relax = _Model(problem, aggregate=True, skeleton=True)
    lp_slack: dict[tuple[str, int], tuple[float, float]] = {}
    guidance = _lp_guidance(
        problem, started + settings.time_limit_s * settings.phase1_share, lp_slack
    )
    phases.append({"phase": "lp_relaxation", "wall_time_s": round(time.monotonic() - started, 3)})
    lower = 0.0
    targets = None
    if guidance is not None:
        lower, targets = guidance

    # phase 2: greedy rule-abiding roster guided by the LP counts, then local
    # search; it keeps the whole time when CP-SAT could not even presolve the
    # per-agent model in what would be left
    keep: dict[tuple[tuple[str, ...], int], set[int]] = defaultdict(set)
    for (g, d, k), v in (targets or {}).items():
        if v > 1e-6:
            keep[(g, d)].add(k)
    reserve = 0.5 + 2.5e-4 * len(problem.agents) * problem.days  # read-back and checks
    n_bools = sum(
        len(keep.get((g, d), set()) & set(relax.allowed[ai][d]))
        if targets
        else len(relax.allowed[ai][d])
        for g, members in relax.groups.items()
        for ai in members
        for d in range(problem.days)
    )
    cp_time = (deadline - reserve - started) * settings.cp_share
    use_cp = n_bools * settings.seconds_per_boolean < cp_time
    # the local search gets a share of what the LP leaves, the day-by-day
    # CP-SAT re-optimisation the rest (up to ``reopt_passes`` passes), and the
    # full model (small instances) or the LNS (large ones) whatever remains
    after_lp = time.monotonic()
    heuristic_deadline = after_lp + settings.heuristic_share * max(
        0.0, deadline - reserve - after_lp - (cp_time if use_cp else 0.0)
    )
    if targets and settings.day_solver == "highs":
        # the day phase needs about ``day_seconds_per_shift`` per shift for
        # its first pass; the local search stops early enough to leave it that
        shifts = sum(targets.values())
        heuristic_deadline = min(
            heuristic_deadline,
            max(
                after_lp + 0.05 * (deadline - after_lp),
                deadline - reserve - settings.day_seconds_per_shift * shifts,
            ),
        )
    initial = None
    if targets:
        shapes = [(o.template, o.start) for o in relax.options]
        counts = round_targets(targets)
        minimums = _minimums(problem)  # contract minimums per agent and week, for either dealing
        dealing = "day"
        dealt_to: list[int] = []  # first day the week dealing did not deal
        if settings.dealing == "week":
            # who works which day and template: one MIP per week and group;
            # the dealing matters more than the local search after it, so it
            # may run into the day phase's reserve (under load the LP ends
            # late and the MIPs are slower)
            deal_deadline = max(
                heuristic_deadline, after_lp + 0.3 * max(0.0, deadline - reserve - after_lp)
            )
            # the MIPs take about as long as the week LPs did (5-6 s against
            # 5-7 s on 500 x 28, both slowing alike under load): with less
            # than half of that left, deal day by day right away; when they
            # run out of time, the weeks they finished stay and the day
            # dealing takes the rest
            lp_time = after_lp - started
            if deal_deadline - time.monotonic() > max(
                0.5 * lp_time, 2e-4 * len(problem.agents) * problem.days
            ):
                initial = deal_weeks(
                    problem,
                    shapes,
                    relax.allowed,
                    relax.groups,
                    minimums,
                    counts,
                    deal_deadline,
                    targets=targets,
                    slack=lp_slack,
                    done=dealt_to,
                )
            if dealt_to and dealt_to[0] >= problem.days:
                dealing = "week"
            elif dealt_to and dealt_to[0] > 0:
                dealing = f"week to day {dealt_to[0]}, then day (week MIP out of time)"
            else:
                dealing = "day (week MIP out of time)"
                initial = None
        if initial is None or dealing.startswith("week to day"):
            # deal the LP's rounded shift counts to named agents, day by day
            # (as the fallback to the end: a half-dealt roster is far worse
            # than a late one, and this takes 1-3 s on 500 x 28)
            initial = disaggregate(
                problem,
                shapes,
                relax.allowed,
                relax.groups,
                minimums,
                counts,
                heuristic_deadline if dealing == "day" else None,
                start=initial,
                first_day=dealt_to[0] if dealt_to and initial is not None else 0,
            )
        phases.append(
            {
                "phase": "disaggregation",
                "dealing": dealing,
                "wall_time_s": round(time.monotonic() - started, 3),
            }
        )
    if targets and settings.dealing == "week":
        # the week MIPs took their time out of the local search's; on a
        # loaded machine the day phase then starts from a far worse roster
        # (and, moving no shift to another day, keeps most of that), so the
        # local search keeps at least 15 % of what is left
        now = time.monotonic()
        heuristic_deadline = max(heuristic_deadline, now + 0.15 * (deadline - reserve - now))
    choices = _greedy(problem, relax, targets, heuristic_deadline, passes=50, initial=initial)
    phases.append(
        {
            "phase": "greedy",
            "wall_time_s": round(time.monotonic() - started, 3),
            "shift_booleans": n_bools,
            "full_model": use_cp,
        }
    )
    if hint:
        # a previous roster (e.g. last week's or a planner's draft) replaces
        # the greedy start; its shifts stay available to the model
        choices = _choices_from_assignments(problem, relax, hint)

    # phase 3: CP-SAT re-optimises each day's starts and breaks (who works
    # which day stays, so no labour rule can change)
    phases.append(
        _place_breaks(
            problem,
            relax,
            choices,
            settings,
            deadline - reserve - (cp_time if use_cp or hint else 0.0),
            move=settings.day_solver == "highs"
            or _max_working(choices) <= settings.move_max_agents,
            passes=settings.reopt_passes,
            day_solver=settings.day_solver,
        )
    )
    for g, members in relax.groups.items():
        for ai in members:
            for d, (k, _offs) in choices[ai].items():
                keep[(g, d)].add(k)

    # phase 4: CP-SAT on the per-agent model restricted to those shifts,
    # started from the roster so far, if it can get going in the time left;
    # otherwise CP-SAT large-neighbourhood search in whatever is left
    left = deadline - reserve - time.monotonic()
    status = cp_model.UNKNOWN
    solver = None
    model = None
    if use_cp or hint:
        model = _Model(problem, keep=keep)
        _hint_from_choices(model, choices)
        solver = _make_solver(settings, deadline - reserve - time.monotonic())
        status = solver.solve(model.m)
        phases.append({"phase": "cp_sat", **_params_of(solver, status)})
    elif left > settings.lns_round_s * 0.5:
        lns = _lns(problem, relax, keep, choices, settings, deadline - reserve)
        phases.append(
            {
                "phase": "cp_sat_lns",
                "reason": f"{n_bools} shift variables are too many to presolve in {cp_time:.1f}s",
                **lns,
            }
        )
    applied: dict[str, object] = {
        "time_limit_s": float(settings.time_limit_s),
        "num_workers": settings.workers,
        "random_seed": settings.seed,
        "relative_gap_limit": settings.relative_gap_limit,
        "phases": phases,
    }
    source = "greedy"
    if any(ph.get("changed") for ph in phases):
        source = "day_highs" if settings.day_solver == "highs" else "day_cp_sat"
    if any(ph.get("improved") for ph in phases):
        source = "lns"
    if solver is not None and status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        choices = _choices_from_solver(model, solver)
        source = "cp_sat"
    assignments, coverage = _assignments(problem, relax.options, relax.groups, choices)
    under, over = {}, {}
    for q, dem in problem.demand.items():
        under[q] = [max(0, r - c) for r, c in zip(dem, coverage[q], strict=True)]
        over[q] = [max(0, c - r) for r, c in zip(dem, coverage[q], strict=True)]
    terms = _evaluate(problem, relax, assignments, under, over)
    objective = float(sum(terms.values()))
    # the restricted model's own bound is not a bound of the full problem;
    # the week-by-week LP relaxation's is
    bound = min(lower, objective)
    gap = max(0.0, (objective - bound) / max(1.0, abs(objective)))
    applied["solution_from"] = source
    result = RosterResult(
        status="OPTIMAL" if gap <= 1e-9 else "FEASIBLE",
        assignments=assignments,
        coverage=coverage,
        under=under,
        over=over,
        objective=objective,
        bound=bound,
        gap=gap,
        wall_time_s=time.monotonic() - started,
        solver_parameters=applied,
        unmet_wishes=_unmet_wishes(problem, assignments),
        objective_terms=terms,
    )
    violations = check_roster(problem, result)
    result.violations = violations
    result.rule_checks = dict.fromkeys(rule_names(), 0)
    for v in violations:
        result.rule_checks[v.rule] = result.rule_checks.get(v.rule, 0) + 1
    if violations:
        # only possible when no roster satisfying every hard rule was found
        # (e.g. contract minimums that leave, availability or rest make impossible)
        result.status = "UNKNOWN" if status != cp_model.INFEASIBLE else "INFEASIBLE"
    return result


def _greedy(
    problem: RosterProblem,
    model: _Model,
    targets=None,
    deadline: float | None = None,
    passes: int = 3,
    initial: list[dict[int, int]] | None = None,
):
    minimum = _minimums(problem)
    shapes = [(o.template, o.start) for o in model.options]
    return greedy_roster(
        problem,
        shapes,
        model.allowed,
        model.groups,
        minimum,
        targets,
        passes=passes,
        deadline=deadline,
        initial=initial,
    )


def _minimums(problem: RosterProblem) -> list[list[int]]:
    """Contract minimum (paid minutes) per agent and week block."""
    return [[_contract_minimum(a, list(week)) for week in problem.weeks()] for a in problem.agents]


def _week_slice(problem: RosterProblem, first: int, n: int) -> RosterProblem:
    """Days ``first .. first + n - 1`` as a problem of their own."""
    lo, hi = first * SLOTS_PER_DAY, (first + n) * SLOTS_PER_DAY
    agents = []
    for a in problem.agents:
        avail = a.availability
        if avail is not None:
            avail = tuple((d - first, s, e) for d, s, e in avail if first - 1 <= d < first + n)
        agents.append(
            replace(
                a,
                availability=avail,
                leave_days=frozenset(d - first for d in a.leave_days if first <= d < first + n),
                preferred_days_off=frozenset(),
            )
        )
    return replace(
        problem,
        days=n,
        demand={q: list(v[lo:hi]) for q, v in problem.demand.items()},
        agents=agents,
        start_weekday=(problem.start_weekday + first) % 7,
    )


def _lp_guidance(
    problem: RosterProblem,
    deadline: float,
    slack: dict[tuple[str, int], tuple[float, float]] | None = None,
):
    """Lower bound and fractional shift counts from week-by-week LP relaxations.

    Each week's relaxation keeps that week's rules and drops the links to the
    neighbouring weeks (rest across the boundary, consecutive days); slots a
    previous week's overnight shift could cover are left out of the week's
    objective. Every dropped piece only lowers the optimum, so the sum of the
    weeks' LP optima is a valid lower bound of the full problem.

    The first slots of the day after a week that only that week's last
    overnight shifts can reach (before any template's earliest start) belong
    to the week: it sees that day's demand there (with no shifts of its own),
    so the guidance staffs the night into the next week, and each slot is
    still counted by one week only.

    ``slack``, when given, receives the LP's (under, over) per (queue, slot)
    of the horizon (the week-level guidance of `roster_weekdeal`).
    """
    spill = 0
    for t in problem.templates:
        spill = max(spill, t.latest_start + t.length_minutes - MINUTES_PER_DAY)
    spill_slots = -(-spill // SLOT_MINUTES) if spill > 0 else 0
    first_start = min((t.earliest_start for t in problem.templates), default=0)
    night_slots = min(spill_slots, first_start // SLOT_MINUTES)
    if spill >= MINUTES_PER_DAY:  # shifts reaching two days ahead: keep it simple
        night_slots = 0
    bound = 0.0
    targets: dict[tuple[tuple[str, ...], int, int], float] = {}
    for week in problem.weeks():
        n = len(week)
        extra = 1 if night_slots and week.stop < problem.days else 0
        sub = _week_slice(problem, week.start, n + extra)
        model = _Model(
            sub,
            aggregate=True,
            owned_from=spill_slots if week.start else 0,
            owned_to=n * SLOTS_PER_DAY + (night_slots if extra else 0),
            shift_days=n,
        )
        sol = solve_lp_relaxation(model.m, max(1.0, deadline - time.monotonic()))
        if sol is None:
            return None
        bound += sol.objective
        for (g, d, k), v in model.counts.items():
            targets[(g, d + week.start, k)] = sol.values[v.index]
        if slack is not None:
            # the LP's under- and over-staffing per queue and slot it owns
            base = week.start * SLOTS_PER_DAY
            for (q, t), u in model.under.items():
                slack[(q, t + base)] = (sol.values[u.index], sol.values[model.over[(q, t)].index])
    return bound, targets


def _hint_from_choices(
    model: _Model, choices: list[dict[int, tuple[int, tuple[int, ...]]]]
) -> None:
    """Hint every variable of ``model`` from a complete individual roster."""
    p, m, opt = model.p, model.m, model.options
    n_slots = p.num_slots
    on: set[int] = set()  # indices of the x variables set to 1
    for ai, row in enumerate(model.x):
        for d, opts in enumerate(row):
            chosen = choices[ai].get(d)
            for k, v in opts.items():
                m.add_hint(v, chosen is not None and chosen[0] == k)
                if chosen is not None and chosen[0] == k:
                    on.add(v.index)
    for (ai, d), v in model._wvars.items():
        m.add_hint(v, d in choices[ai])
    for v, ai, d, d2 in model._both:
        m.add_hint(v, d in choices[ai] and d2 in choices[ai])
    for hi, lo, lists in model._spreads:
        values = [sum(1 for v in vs if v.index in on) for vs in lists]
        m.add_hint(hi, max(values))
        m.add_hint(lo, min(values))
    counts: dict[tuple[tuple[str, ...], int, int], int] = defaultdict(int)
    breaks: dict[tuple[tuple[str, ...], int, int, int, int], int] = defaultdict(int)
    working = {g: [0] * n_slots for g in model.groups}
    for g, members in model.groups.items():
        for ai in members:
            for d, (k, offs) in choices[ai].items():
                counts[(g, d, k)] += 1
                o = opt[k]
                base = (d * MINUTES_PER_DAY + o.start) // SLOT_MINUTES
                off_slots = set()
                for bi, (off, br) in enumerate(zip(offs, o.template.breaks, strict=True)):
                    breaks[(g, d, k, bi, off)] += 1
                    s0 = base + off // SLOT_MINUTES
                    off_slots.update(range(s0, s0 + br.length_minutes // SLOT_MINUTES))
                for t in range(
                    base, min(n_slots, base + o.template.length_minutes // SLOT_MINUTES)
                ):
                    if t not in off_slots:
                        working[g][t] += 1
    for key, v in model.counts.items():
        m.add_hint(v, counts.get(key, 0))
    for (g, d, k, bi), offs in model.break_counts.items():
        for off, bv in offs.items():
            m.add_hint(bv, breaks.get((g, d, k, bi, off), 0))
    covered = {q: [0] * n_slots for q in p.demand}
    for g, row in working.items():
        if len(g) == 1:
            for t, n in enumerate(row):
                covered[g[0]][t] += n
    for g, row in working.items():
        if len(g) == 1:
            continue
        for t, n in enumerate(row):
            share = dict.fromkeys(g, 0)
            for _ in range(n):
                q = max(g, key=lambda q, t=t: p.demand[q][t] - covered[q][t])
                covered[q][t] += 1
                share[q] += 1
            for q in g:
                if (g, q, t) in model.alloc:
                    m.add_hint(model.alloc[(g, q, t)], share[q])
    for (q, t), u in model.under.items():
        m.add_hint(u, max(0, p.demand[q][t] - covered[q][t]))
        m.add_hint(model.over[(q, t)], max(0, covered[q][t] - p.demand[q][t]))


def _lns(
    problem: RosterProblem,
    relax: _Model,
    keep: dict[tuple[tuple[str, ...], int], set[int]],
    choices: list[dict[int, tuple[int, tuple[int, ...]]]],
    settings: SolverSettings,
    deadline: float,
) -> dict[str, object]:
    """Large-neighbourhood search with CP-SAT, in place on ``choices``.

    Each round frees the shifts of a random set of agents of one skill group,
    keeps everybody else's roster (and queue service) fixed, and re-solves the
    freed agents' full per-agent model against the demand the others leave
    open, starting from their current shifts (so a round never makes the
    freed agents' part worse).
    """
    import random

    rng = random.Random(settings.seed)
    rounds = improved = 0
    group_list = [g for g, ms in relax.groups.items() if ms]
    while deadline - time.monotonic() > settings.lns_round_s * 0.5:
        g = rng.choices(group_list, weights=[len(relax.groups[x]) for x in group_list])[0]
        members = relax.groups[g]
        free = sorted(rng.sample(members, min(len(members), settings.lns_agents)))
        free_set = set(free)
        assignments, coverage = _assignments(problem, relax.options, relax.groups, choices)
        index = {a.id: i for i, a in enumerate(problem.agents)}
        residual = {q: list(v) for q, v in problem.demand.items()}
        for q in residual:
            for t, c in enumerate(coverage[q]):
                residual[q][t] -= c
        for a in assignments:
            if index[a.agent_id] not in free_set:
                continue
            base = (a.day * MINUTES_PER_DAY + a.start) // SLOT_MINUTES
            for i, q in enumerate(a.queues):
                if q is not None and base + i < problem.num_slots:
                    residual[q][base + i] += 1
        sub = replace(problem, demand=residual, agents=[problem.agents[ai] for ai in free])
        model = _Model(sub, keep=keep)
        sub_choices = [choices[ai] for ai in free]
        _hint_from_choices(model, sub_choices)
        solver = _make_solver(settings, min(settings.lns_round_s, deadline - time.monotonic()))
        status = solver.solve(model.m)
        rounds += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = _choices_from_solver(model, solver)
            if new != sub_choices:
                improved += 1
            for j, ai in enumerate(free):
                choices[ai] = new[j]
    return {"rounds": rounds, "improved": improved, "agents_per_round": settings.lns_agents}


def _choices_from_assignments(problem: RosterProblem, model: _Model, hint: list[Assignment]):
    """A previous roster as per-agent choices (shifts the model cannot express are skipped)."""
    index = {a.id: i for i, a in enumerate(problem.agents)}
    by_shape = {(o.template.name, o.start): o for o in model.options}
    choices: list[dict[int, tuple[int, tuple[int, ...]]]] = [{} for _ in problem.agents]
    for h in hint:
        ai = index.get(h.agent_id)
        o = by_shape.get((h.template, h.start))
        if ai is None or o is None or not 0 <= h.day < problem.days:
            continue
        if len(h.breaks) == len(o.template.breaks):
            offs = tuple(bs - h.start for bs, _ in h.breaks)
        else:
            offs = tuple(b.earliest_after for b in o.template.breaks)
        choices[ai][h.day] = (o.index, offs)
    return choices


def _choices_from_solver(model: _Model, solver: cp_model.CpSolver):
    """Per agent ``{day: (option, break offsets)}``: the i-th agent of a
    group on a shift gets the i-th earliest offset of every break."""
    p = model.p
    choices: list[dict[int, tuple[int, tuple[int, ...]]]] = [{} for _ in p.agents]
    for g, members in model.groups.items():
        for d in range(p.days):
            by_opt: dict[int, list[int]] = defaultdict(list)
            for ai in members:
                for k, v in model.x[ai][d].items():
                    if solver.boolean_value(v):
                        by_opt[k].append(ai)
            for k, ais in by_opt.items():
                per_break: list[list[int]] = []
                for bi in range(len(model.options[k].template.breaks)):
                    offs = model.break_counts[(g, d, k, bi)]
                    dealt: list[int] = []
                    for off in sorted(offs):
                        dealt += [off] * solver.value(offs[off])
                    per_break.append(dealt)
                for i, ai in enumerate(ais):
                    choices[ai][d] = (k, tuple(pb[i] for pb in per_break))
    return choices


def _assignments(problem: RosterProblem, options, groups, choices):
    """Concrete shifts with a queue per working interval, and coverage.

    Single-skill agents serve their queue. In each interval the working
    multi-skill agents are given, one at a time, to the queue with the largest
    remaining shortfall (which minimises that interval's penalties), keeping
    an agent on the queue it served in the previous interval when that queue
    gets someone anyway.
    """
    p = problem
    n_slots = p.num_slots
    on_duty: dict[tuple[str, ...], list[list[int]]] = {
        g: [[] for _ in range(n_slots)] for g in groups
    }
    agent_group = {ai: g for g, ms in groups.items() for ai in ms}
    for ai, days in enumerate(choices):
        for d, (k, offs) in days.items():
            o = options[k]
            base = d * SLOTS_PER_DAY + o.start // SLOT_MINUTES
            off_slots = set()
            for off, br in zip(offs, o.template.breaks, strict=True):
                s0 = off // SLOT_MINUTES
                off_slots.update(range(s0, s0 + br.length_minutes // SLOT_MINUTES))
            for s_ in range(o.template.length_minutes // SLOT_MINUTES):
                if s_ not in off_slots and base + s_ < n_slots:
                    on_duty[agent_group[ai]][base + s_].append(ai)
    queue_at: dict[tuple[int, int], str] = {}
    coverage = {q: [0] * n_slots for q in p.demand}
    for g in sorted(groups, key=len):
        for t, ais in enumerate(on_duty[g]):
            if len(g) == 1:
                for ai in ais:
                    queue_at[(ai, t)] = g[0]
                coverage[g[0]][t] += len(ais)
                continue
            quota = dict.fromkeys(g, 0)
            for _ in ais:
                q = max(g, key=lambda q, t=t: p.demand[q][t] - coverage[q][t] - quota[q])
                quota[q] += 1
            rest = []
            for ai in sorted(ais):
                prev = queue_at.get((ai, t - 1))
                if prev in quota and quota[prev] > 0:
                    queue_at[(ai, t)] = prev
                    quota[prev] -= 1
                else:
                    rest.append(ai)
            for ai in rest:
                q = next(q for q in g if quota[q] > 0)
                queue_at[(ai, t)] = q
                quota[q] -= 1
            for ai in ais:
                coverage[queue_at[(ai, t)]][t] += 1
    assignments = []
    for ai, days in enumerate(choices):
        for d, (k, offs) in days.items():
            o = options[k]
            base = d * SLOTS_PER_DAY + o.start // SLOT_MINUTES
            brs = tuple(
                (o.start + off, o.start + off + br.length_minutes)
                for off, br in zip(offs, o.template.breaks, strict=True)
            )
            assignments.append(
                Assignment(
                    agent_id=p.agents[ai].id,
                    day=d,
                    template=o.template.name,
                    start=o.start,
                    end=o.end,
                    breaks=brs,
                    queues=tuple(
                        queue_at.get((ai, base + s_))
                        for s_ in range(o.template.length_minutes // SLOT_MINUTES)
                    ),
                )
            )
    assignments.sort(key=lambda a: (a.day, a.start, a.agent_id))
    return assignments, coverage


def _evaluate(problem: RosterProblem, model: _Model, assignments, under, over) -> dict[str, int]:
    """The objective's terms for a finished roster (same definition as the model)."""
    wt = problem.weights
    templates = {t.name: t for t in problem.templates}
    weekend = dict.fromkeys((problem.agents[ai].id for ai in model.weekend_agents), 0)
    late = dict.fromkeys((problem.agents[ai].id for ai in model.late_agents), 0)
    pref_shift = pref_off = 0
    agents = {a.id: a for a in problem.agents}
    for s in assignments:
        a = agents[s.agent_id]
        if a.preferred_shifts and s.template not in a.preferred_shifts:
            pref_shift += 1
        if s.day in a.preferred_days_off:
            pref_off += 1
        if problem.is_weekend(s.day) and s.agent_id in weekend:
            weekend[s.agent_id] += 1
        if templates[s.template].late and s.agent_id in late:
            late[s.agent_id] += 1

    def spread(counts: dict[str, int]) -> int:
        return max(counts.values()) - min(counts.values()) if len(counts) >= 2 else 0

    return {
        "under": wt.under * sum(sum(v) for v in under.values()),
        "over": wt.over * sum(sum(v) for v in over.values()),
        "preferred_shift": wt.preferred_shift * pref_shift,
        "preferred_day_off": wt.preferred_day_off * pref_off,
        "weekend_spread": wt.weekend_spread * spread(weekend),
        "late_spread": wt.late_spread * spread(late),
    }


def unmet_wishes(problem: RosterProblem, assignments: list[Assignment]) -> list[UnmetWish]:
    """Wishes (preferred shifts, preferred days off) that ``assignments`` do not meet."""
    return _unmet_wishes(problem, assignments)


def _unmet_wishes(problem: RosterProblem, assignments: list[Assignment]) -> list[UnmetWish]:
    agents = {a.id: a for a in problem.agents}
    out = []
    for s in assignments:
        a = agents[s.agent_id]
        if a.preferred_shifts and s.template not in a.preferred_shifts:
            out.append(
                UnmetWish(
                    s.agent_id,
                    s.day,
                    "preferred_shift",
                    f"got {s.template}, wished {', '.join(sorted(a.preferred_shifts))}",
                )
            )
        if s.day in a.preferred_days_off:
            out.append(UnmetWish(s.agent_id, s.day, "preferred_day_off", f"works {s.template}"))
    return out


def _place_breaks(
    problem: RosterProblem,
    relax: _Model,
    choices: list[dict[int, tuple[int, tuple[int, ...]]]],
    settings: SolverSettings,
    deadline: float,
    *,
    move: bool = False,
    passes: int = 1,
    day_solver: str = "cp_sat",
) -> dict[str, object]:
    """Re-optimise every day's shifts and breaks, in place on ``choices``.

    Who works on which day stays as it is. For one day at a time, the
    group-level model (implicit breaks, queue allocation, under/over per slot)
    is built for the agents working that day against the demand everybody else
    leaves open, and CP-SAT chooses how many agents of each shift take each
    break at each offset, started from the current roster. With ``move``, it
    also chooses each agent's shift among the options the agent could swap to
    without touching any labour rule (same paid minutes and late flag, allowed
    that day, rest and transition bans against the agent's neighbouring days);
    agents with the same skills, candidate options and shift wishes form one
    class with an integer count per option, so the model stays small and free
    of agent symmetry. The counts are dealt out in sorted order (the model's
    ordering condition makes that a valid, non-overlapping break sequence per
    agent).

    ``day_solver="highs"``: each day's model goes to HiGHS (`_solve_day_mip`:
    its LP, then the MIP with every class's option counts between the floor
    and the ceiling of the LP's), one day at a time; a solution replaces the
    day only if it beats the current roster. ``"cp_sat"``: single-worker CP-SAT
    started from the current roster, ``workers`` days at once.

    Even days first, then odd days: shifts of days two apart never overlap and
    never interact through a labour rule (the rules are checked against the
    other parity, which stays fixed), so each half is solved against one
    coverage computation, and ``settings.workers`` days are solved at once,
    one single-worker CP-SAT each (one worker with the LP relaxation at
    linearization level 2 proves these small models optimal fastest).
    """
    from concurrent.futures import ThreadPoolExecutor

    if day_solver not in ("cp_sat", "highs"):
        raise ValueError(f"unknown day solver {day_solver!r}")
    info: dict[str, object] = {
        "phase": "day_reoptimisation" if move else "break_placement",
        "days": 0,
        "changed": 0,
        "optimal": 0,
        "passes": 0,
    }
    started = time.monotonic()
    parallel = max(1, int(settings.workers))
    if day_solver == "highs":
        # one day at a time: scipy's HiGHS holds the GIL (two threads take
        # as long as one), and each day then starts from the days before it
        parallel = 1
    slowest = 0.0  # longest HiGHS day so far (build, solve, write back)
    rounds_per_pass = sum(-(-len(range(par, problem.days, 2)) // parallel) for par in (0, 1))
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for _ in range(passes):
            # each pass plans to use all the time left; a later pass runs
            # only if the days finish early (proved optimal)
            done = 0
            changed_before = int(info["changed"])
            for parity in (0, 1):
                assignments, coverage = _assignments(problem, relax.options, relax.groups, choices)
                served = {(a.agent_id, a.day): a for a in assignments}
                info.setdefault("coverage_cost_before", _coverage_cost(problem, coverage))
                days = list(range(parity, problem.days, 2))
                for first in range(0, len(days), parallel):
                    left = deadline - time.monotonic()
                    if left < max(0.2, slowest):
                        break
                    round_started = time.monotonic()
                    seconds = left / max(1, rounds_per_pass - done)
                    built = [
                        _day_model(problem, relax, choices, coverage, served, d, move)
                        for d in days[first : first + parallel]
                    ]
                    built = [b for b in built if b is not None]
                    if day_solver == "highs":
                        info["day_solver"] = "highs"
                        info["time_limit_per_day_s"] = round(seconds, 3)
                        solved = list(pool.map(lambda b, s=seconds: _solve_day_mip(b, s), built))
                        for b, (sol, optimal) in zip(built, solved, strict=True):
                            info["days"] = int(info["days"]) + 1
                            info["optimal"] = int(info["optimal"]) + int(optimal)
                            if sol is not None and _deal_day(b, sol, choices):
                                info["changed"] = int(info["changed"]) + 1
                        done += 1
                        # a HiGHS day may overrun its limit (model building,
                        # presolve): no day starts without the slowest one's time
                        slowest = max(slowest, time.monotonic() - round_started)
                        info["slowest_day_s"] = round(slowest, 3)
                        continue
                    solvers = [_make_solver(settings, seconds, workers=1) for _ in built]
                    for solver in solvers:
                        solver.parameters.linearization_level = 2
                    statuses = list(
                        pool.map(lambda sb: sb[0].solve(sb[1].m), zip(solvers, built, strict=True))
                    )
                    for solver, status, b in zip(solvers, statuses, built, strict=True):
                        # read back from the solver's own parameters
                        params = solver.parameters
                        info["num_workers_per_day"] = params.num_workers
                        info["linearization_level"] = params.linearization_level
                        info["random_seed"] = params.random_seed
                        info["days"] = int(info["days"]) + 1
                        if status == cp_model.OPTIMAL:
                            info["optimal"] = int(info["optimal"]) + 1
                        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and _deal_day(
                            b, solver, choices
                        ):
                            info["changed"] = int(info["changed"]) + 1
                    done += 1
            info["passes"] = int(info["passes"]) + 1
            info.setdefault("days_per_pass", []).append(done)
            info["pass_ended_s"] = round(time.monotonic() - started, 3)
            if deadline - time.monotonic() < 0.2 or int(info["changed"]) == changed_before:
                break
    _, coverage = _assignments(problem, relax.options, relax.groups, choices)
    info["coverage_cost_after"] = _coverage_cost(problem, coverage)
    info["wall_time_s"] = round(time.monotonic() - started, 3)
    return info


class _Values:
    """Integer values by CP-SAT variable index, read like a solved CpSolver."""

    def __init__(self, values: list[int]):
        self._values = values

    def value(self, var: cp_model.IntVar) -> int:
        return self._values[var.index]


def _solve_day_mip(b: _DayModel, seconds: float) -> tuple[_Values | None, bool]:
    """Solve one day model with HiGHS; the solution only if it beats the current
    roster (the model's complete hint), and whether it was proved optimal."""
    proto = b.m.proto
    hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    current = 0.0
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if ref not in hint:  # pragma: no cover - every objective variable is hinted
            return None, False
        current += coef * hint[ref]
    current = (current + proto.objective.offset) * (proto.objective.scaling_factor or 1.0)
    started = time.monotonic()
    lp = solve_lp_relaxation(b.m, seconds)
    if lp is None:
        return None, False
    # each class's option counts stay next to the LP's: the floor or the
    # ceiling of its value (a small MIP HiGHS closes fast)
    for ys in b.y.values():
        for v in ys.values():
            x = lp.values[v.index]
            lo, hi = math.floor(x + 1e-6), math.ceil(x - 1e-6)
            b.m.add_linear_constraint(v, lo, max(lo, hi))
    sol = solve_mip(b.m, max(0.05, seconds - (time.monotonic() - started)))
    if sol is None:
        return None, False
    if sol.objective >= current - 1e-6:
        return None, sol.optimal
    return _Values(sol.values), sol.optimal


def _max_working(choices: list[dict[int, tuple[int, tuple[int, ...]]]]) -> int:
    per_day: dict[int, int] = defaultdict(int)
    for days in choices:
        for d in days:
            per_day[d] += 1
    return max(per_day.values(), default=0)


def _coverage_cost(problem: RosterProblem, coverage: dict[str, list[int]]) -> int:
    """Weighted under- and over-staffing of a coverage."""
    wt = problem.weights
    cost = 0
    for q, dem in problem.demand.items():
        for r, c in zip(dem, coverage[q], strict=True):
            cost += wt.under * (r - c) if r > c else wt.over * (c - r)
    return cost


def _swap_options(
    problem: RosterProblem,
    relax: _Model,
    choices: list[dict[int, tuple[int, tuple[int, ...]]]],
    ai: int,
    d: int,
) -> list[int]:
    """Options agent ``ai`` could work on day ``d`` instead of its current one
    without changing any labour rule's outcome (current option first)."""
    opts = relax.options
    k0 = choices[ai][d][0]
    t0 = opts[k0].template
    sched = Schedule(problem, [(o.template, o.start) for o in opts])
    for dd, (k, _offs) in choices[ai].items():
        if dd != d:
            sched.add(dd, k)
    agent = problem.agents[ai]
    cap = min(agent.max_minutes_week, problem.rules.max_minutes_per_week)
    out = [k0]
    for k in relax.allowed[ai][d]:
        t = opts[k].template
        if (
            k != k0
            and t.paid_minutes == t0.paid_minutes
            and t.late == t0.late
            and sched.can_add(d, k, cap)
        ):
            out.append(k)
    return out


@dataclass
class _DayModel:
    model: _Model
    d: int
    working: list[int]
    classes: dict[tuple, list[int]]
    y: dict[tuple, dict[int, cp_model.IntVar]]

    @property
    def m(self) -> cp_model.CpModel:
        return self.model.m


def _day_model(
    problem: RosterProblem,
    relax: _Model,
    choices: list[dict[int, tuple[int, tuple[int, ...]]]],
    coverage: dict[str, list[int]],
    served: dict[tuple[str, int], Assignment],
    d: int,
    move: bool,
) -> _DayModel | None:
    """The group-level model of day ``d``'s working agents against the residual demand."""
    working = [ai for ai in range(len(problem.agents)) if d in choices[ai]]
    if not working:
        return None
    residual = {
        q: [r - c for r, c in zip(v, coverage[q], strict=True)] for q, v in problem.demand.items()
    }
    # the day's own shifts are re-placed: add back what they cover now
    for ai in working:
        a = served[(problem.agents[ai].id, d)]
        base = (d * MINUTES_PER_DAY + a.start) // SLOT_MINUTES
        for i, q in enumerate(a.queues):
            if q is not None and base + i < problem.num_slots:
                residual[q][base + i] += 1
    sub = replace(problem, demand=residual, agents=[problem.agents[ai] for ai in working])
    keep: dict[tuple[tuple[str, ...], int], set[int]] = defaultdict(set)
    # classes of interchangeable agents: (group, candidate options, shift wishes)
    classes: dict[tuple, list[int]] = defaultdict(list)
    for j, ai in enumerate(working):
        agent = problem.agents[ai]
        g = tuple(sorted(set(agent.skills)))
        ks = _swap_options(problem, relax, choices, ai, d) if move else [choices[ai][d][0]]
        keep[(g, d)].update(ks)
        classes[(g, tuple(sorted(ks)), agent.preferred_shifts)].append(j)
    model = _Model(sub, aggregate=True, keep=keep, fixed_counts=True)
    m = model.m
    y: dict[tuple, dict[int, cp_model.IntVar]] = {}
    by_count: dict[tuple[tuple[str, ...], int, int], list] = defaultdict(list)
    wishes = []
    for key, js in classes.items():
        g, ks, preferred = key
        y[key] = {k: m.new_int_var(0, len(js), "") for k in ks}
        m.add(sum(y[key].values()) == len(js))
        for k, v in y[key].items():
            by_count[(g, d, k)].append(v)
            m.add_hint(v, sum(1 for j in js if choices[working[j]][d][0] == k))
            if preferred and model.options[k].template.name not in preferred:
                wishes.append(v)
    for key, v in model.counts.items():
        m.add(v == sum(by_count.get(key, [])))
    m.minimize(sum(model.terms.values()) + problem.weights.preferred_shift * sum(wishes))
    _hint_from_choices(model, [{d: choices[ai][d]} for ai in working])
    return _DayModel(model, d, working, dict(classes), y)


def _deal_day(
    b: _DayModel,
    solver: cp_model.CpSolver,
    choices: list[dict[int, tuple[int, tuple[int, ...]]]],
) -> bool:
    """Write a solved day back: each class's agents to its options (current
    holders first), then per group and option the sorted break offsets in
    agent order."""
    d, working = b.d, b.working
    on: dict[tuple[tuple[str, ...], int], list[int]] = defaultdict(list)
    for key, js in b.classes.items():
        g = key[0]
        want = {k: solver.value(v) for k, v in b.y[key].items()}
        rest = []
        for j in js:
            k = choices[working[j]][d][0]
            if want.get(k, 0) > 0:
                want[k] -= 1
                on[(g, k)].append(j)
            else:
                rest.append(j)
        for k, n in want.items():
            for _ in range(n):
                on[(g, k)].append(rest.pop())
    changed = False
    for (g, k), js in on.items():
        o = b.model.options[k]
        per_break: list[list[int]] = []
        for bi in range(len(o.template.breaks)):
            offs = b.model.break_counts[(g, d, k, bi)]
            dealt: list[int] = []
            for off in sorted(offs):
                dealt += [off] * solver.value(offs[off])
            per_break.append(dealt)
        for i, j in enumerate(sorted(js)):
            new = (k, tuple(pb[i] for pb in per_break))
            changed |= new != choices[working[j]][d]
            choices[working[j]][d] = new
    return changed
