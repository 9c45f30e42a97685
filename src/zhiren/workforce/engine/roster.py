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

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .errors import EngineInputError
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

__all__ = ["SolverSettings", "solve_roster", "validate_problem"]


@dataclass(frozen=True)
class SolverSettings:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    relative_gap_limit: float = 0.0
    log: bool = False


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
                raise EngineInputError(f"unknown template {name!r}", column=f"{path}.preferred_shifts")
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
    def __init__(self, problem: RosterProblem):
        self.p = problem
        self.m = cp_model.CpModel()
        rules = problem.rules
        self.options: list[_Option] = []
        for ti, t in enumerate(problem.templates):
            if t.paid_minutes > rules.max_minutes_per_day:
                continue
            for s in t.starts():
                self.options.append(_Option(len(self.options), t, ti, s))
        n_days = problem.days
        agents = problem.agents
        m = self.m
        # x[a][d] : option index -> bool
        self.x: list[list[dict[int, cp_model.IntVar]]] = []
        self.w: list[list[cp_model.LinearExprT]] = []
        for ai, agent in enumerate(agents):
            row = []
            wrow = []
            for d in range(n_days):
                opts = {}
                for o in self.options:
                    if _allowed(agent, d, o, n_days):
                        opts[o.index] = m.new_bool_var(f"x_{ai}_{d}_{o.index}")
                row.append(opts)
                if opts:
                    m.add_at_most_one(opts.values())
                    wrow.append(sum(opts.values()))
                else:
                    wrow.append(0)
            self.x.append(row)
            self.w.append(wrow)
        self._wvars: dict[tuple[int, int], cp_model.IntVar] = {}
        self._labour_rules()
        self._coverage()
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
        groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for ai, agent in enumerate(p.agents):
            groups[tuple(sorted(set(agent.skills)))].append(ai)
        self.groups = dict(groups)
        # working[g][t] : list of (coef, var)
        self.counts: dict[tuple[tuple[str, ...], int, int], cp_model.IntVar] = {}
        self.break_counts: dict[tuple[tuple[str, ...], int, int, int], dict[int, cp_model.IntVar]] = {}
        working: dict[tuple[str, ...], list[list]] = {g: [[] for _ in range(n_slots)] for g in groups}
        for g, members in groups.items():
            for d in range(p.days):
                by_opt: dict[int, list] = defaultdict(list)
                for ai in members:
                    for k, v in self.x[ai][d].items():
                        by_opt[k].append(v)
                for k, vs in by_opt.items():
                    o = opt[k]
                    n = m.new_int_var(0, len(vs), f"n_{d}_{k}")
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
                        if prev is not None:
                            # sorted pairing must be feasible: for every offset o2,
                            # #(next break starts <= o2) <= #(previous starts <= o2 - prev_len)
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
            for t in range(n_slots):
                terms = cover[q][t]
                if not terms:
                    self.const_under += dem[t]
                    continue
                u = m.new_int_var(0, dem[t], "")
                o = m.new_int_var(0, len(p.agents), "")
                m.add(sum(terms) + u - o == dem[t])
                self.under[(q, t)] = u
                self.over[(q, t)] = o

    # -- objective -------------------------------------------------------
    def _objective(self) -> None:
        p, m, wt = self.p, self.m, self.p.weights
        opt = self.options
        terms: dict[str, cp_model.LinearExprT] = {}
        terms["under"] = wt.under * (sum(self.under.values()) + self.const_under)
        terms["over"] = wt.over * sum(self.over.values())
        pref_shift = []
        pref_off = []
        weekend_counts = []
        late_counts = []
        for ai, agent in enumerate(p.agents):
            xs = self.x[ai]
            if agent.preferred_shifts:
                for d in range(p.days):
                    pref_shift += [
                        v for k, v in xs[d].items() if opt[k].template.name not in agent.preferred_shifts
                    ]
            for d in agent.preferred_days_off:
                if 0 <= d < p.days and xs[d]:
                    pref_off += list(xs[d].values())
            weekend = [v for d in range(p.days) if p.is_weekend(d) for v in xs[d].values()]
            if weekend:
                weekend_counts.append(sum(weekend))
            late = [v for d in range(p.days) for k, v in xs[d].items() if opt[k].template.late]
            if late:
                late_counts.append(sum(late))
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
            self.m.add(hi >= c)
            self.m.add(lo <= c)
        return hi - lo


def _contract_minimum(agent: Agent, days: list[int]) -> int:
    """Contract minimum for a week block, pro rata for leave days and short blocks."""
    working_days = sum(1 for d in days if d not in agent.leave_days)
    return agent.min_minutes_week * working_days // 7


# ----------------------------------------------------------------------------
# solve and read back


def solve_roster(
    problem: RosterProblem,
    settings: SolverSettings | None = None,
    *,
    hint: list[Assignment] | None = None,
) -> RosterResult:
    """Build and solve the roster model; return assignments, coverage and checks.

    ``hint``: a previous roster to start from (e.g. last week's, or a draft).
    """
    settings = settings or SolverSettings()
    validate_problem(problem)
    started = time.monotonic()
    model = _Model(problem)
    if hint:
        _apply_hint(model, hint)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = float(settings.time_limit_s)
    params.num_workers = int(settings.workers)
    params.random_seed = int(settings.seed)
    params.relative_gap_limit = float(settings.relative_gap_limit)
    params.log_search_progress = bool(settings.log)
    status = solver.solve(model.m)
    status_name = solver.status_name(status)
    applied = {
        "max_time_in_seconds": params.max_time_in_seconds,
        "num_workers": params.num_workers,
        "random_seed": params.random_seed,
        "relative_gap_limit": params.relative_gap_limit,
        "build_seconds": round(time.monotonic() - started - solver.wall_time, 3),
    }
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RosterResult(
            status=status_name,
            assignments=[],
            coverage={},
            under={},
            over={},
            objective=None,
            bound=solver.best_objective_bound if status != cp_model.INFEASIBLE else None,
            gap=None,
            wall_time_s=solver.wall_time,
            solver_parameters=applied,
            unmet_wishes=[],
        )
    assignments, coverage = _read_back(model, solver)
    under, over = {}, {}
    for q, dem in problem.demand.items():
        under[q] = [max(0, r - c) for r, c in zip(dem, coverage[q], strict=True)]
        over[q] = [max(0, c - r) for r, c in zip(dem, coverage[q], strict=True)]
    objective = solver.objective_value
    bound = solver.best_objective_bound
    gap = (objective - bound) / max(1.0, abs(objective))
    result = RosterResult(
        status=status_name,
        assignments=assignments,
        coverage=coverage,
        under=under,
        over=over,
        objective=objective,
        bound=bound,
        gap=max(0.0, gap),
        wall_time_s=solver.wall_time,
        solver_parameters=applied,
        unmet_wishes=_unmet_wishes(problem, assignments),
        objective_terms={k: int(solver.value(v)) for k, v in model.terms.items()},
    )
    violations = check_roster(problem, result)
    result.violations = violations
    result.rule_checks = dict.fromkeys(rule_names(), 0)
    for v in violations:
        result.rule_checks[v.rule] = result.rule_checks.get(v.rule, 0) + 1
    return result


def _apply_hint(model: _Model, hint: list[Assignment]) -> None:
    index = {a.id: i for i, a in enumerate(model.p.agents)}
    chosen = set()
    for h in hint:
        ai = index.get(h.agent_id)
        if ai is None or not 0 <= h.day < model.p.days:
            continue
        for k, v in model.x[ai][h.day].items():
            o = model.options[k]
            if o.template.name == h.template and o.start == h.start:
                chosen.add((ai, h.day, k))
    for ai, row in enumerate(model.x):
        for d, opts in enumerate(row):
            for k, v in opts.items():
                model.m.add_hint(v, (ai, d, k) in chosen)


def _read_back(model: _Model, solver: cp_model.CpSolver):
    p = model.p
    opt = model.options
    n_slots = p.num_slots
    shifts: dict[tuple[int, int], tuple[_Option, list[tuple[int, int]]]] = {}
    for g, members in model.groups.items():
        for d in range(p.days):
            by_opt: dict[int, list[int]] = defaultdict(list)
            for ai in members:
                for k, v in model.x[ai][d].items():
                    if solver.boolean_value(v):
                        by_opt[k].append(ai)
            for k, ais in by_opt.items():
                o = opt[k]
                per_break: list[list[int]] = []
                for bi in range(len(o.template.breaks)):
                    offs = model.break_counts[(g, d, k, bi)]
                    dealt = []
                    for off in sorted(offs):
                        dealt += [off] * solver.value(offs[off])
                    per_break.append(dealt)
                for i, ai in enumerate(ais):
                    brs = [
                        (o.start + pb[i], o.start + pb[i] + o.template.breaks[bi].length_minutes)
                        for bi, pb in enumerate(per_break)
                    ]
                    shifts[(ai, d)] = (o, brs)
    # who works in each slot, per group
    on_duty: dict[tuple[str, ...], list[list[int]]] = {
        g: [[] for _ in range(n_slots)] for g in model.groups
    }
    agent_group = {ai: g for g, ms in model.groups.items() for ai in ms}
    for (ai, d), (o, brs) in shifts.items():
        base = d * SLOTS_PER_DAY + o.start // SLOT_MINUTES
        on_break = set()
        for bs, be in brs:
            on_break.update(range(bs // SLOT_MINUTES, be // SLOT_MINUTES))
        for s in range(o.template.length_minutes // SLOT_MINUTES):
            rel = o.start // SLOT_MINUTES + s
            if rel not in on_break and base + s < n_slots:
                on_duty[agent_group[ai]][base + s].append(ai)
    queue_at: dict[tuple[int, int], str] = {}
    coverage = {q: [0] * n_slots for q in p.demand}
    for g, slots in on_duty.items():
        for t, ais in enumerate(slots):
            if len(g) == 1:
                for ai in ais:
                    queue_at[(ai, t)] = g[0]
                coverage[g[0]][t] += len(ais)
                continue
            quota = {q: solver.value(model.alloc[(g, q, t)]) for q in g} if ais else {}
            rest = []
            for ai in sorted(ais):
                prev = queue_at.get((ai, t - 1))
                if prev is not None and quota.get(prev, 0) > 0:
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
    for (ai, d), (o, brs) in sorted(shifts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        base = d * SLOTS_PER_DAY + o.start // SLOT_MINUTES
        queues = tuple(
            queue_at.get((ai, base + s)) for s in range(o.template.length_minutes // SLOT_MINUTES)
        )
        assignments.append(
            Assignment(
                agent_id=p.agents[ai].id,
                day=d,
                template=o.template.name,
                start=o.start,
                end=o.end,
                breaks=tuple(brs),
                queues=queues,
            )
        )
    return assignments, coverage


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
