"""The CP-SAT model of a roster, and moving rosters in and out of it.

Formulation (the reasoning is in docs/wfm/roster.md):

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

``RosterModel(aggregate=True)`` leaves the agents out (group counts only, with
group-level consequences of the labour rules): the relaxation whose LP gives
the lower bound (`lp_bound`) and the day phase's models (`day_phase`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from .problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    Agent,
    AllowedOptions,
    Assignment,
    RosterChoices,
    RosterProblem,
    ShiftChoice,
    ShiftOption,
    SkillGroup,
    SkillGroups,
)
from .settings import SolverSettings

__all__ = [
    "RosterModel",
    "choices_from_assignments",
    "choices_from_solver",
    "contract_minimum",
    "contract_minimums",
    "hint_from_choices",
    "make_solver",
    "may_work",
    "skill_group",
    "solver_report",
]

Expr = cp_model.LinearExpr | cp_model.IntVar | int
"""A linear expression of the model (a sum of nothing is the number 0)."""
Booleans = list[cp_model.IntVar]
"""Shift booleans, or shift counts, to be summed."""
DutyTerms = list[tuple[int, cp_model.IntVar]]
"""One slot's ``(sign, count)`` terms: agents on a shift (+1), on a break at an offset (-1)."""


def skill_group(agent: Agent) -> SkillGroup:
    """The group key of an agent: its distinct skills, sorted."""
    return tuple(sorted(set(agent.skills)))


def may_work(agent: Agent, day: int, option: ShiftOption, days: int) -> bool:
    """Whether ``agent`` may work ``option`` on ``day``: the template is open
    to the agent's groups and contract, no leave on any day the shift touches, and the
    whole shift inside one availability window."""
    if not option.template.open_to(agent):
        return False
    last_day = day + (option.end - 1) // MINUTES_PER_DAY
    for touched in range(day, last_day + 1):
        if touched in agent.leave_days:
            return False
    if agent.availability is None:
        return True
    shift_start = day * MINUTES_PER_DAY + option.start
    shift_end = day * MINUTES_PER_DAY + option.end
    for window_day, window_start, window_end in agent.availability:
        base = window_day * MINUTES_PER_DAY
        if base + window_start <= shift_start and shift_end <= base + window_end:
            return True
    return False


def shift_options(problem: RosterProblem) -> list[ShiftOption]:
    """Every template at every start of its grid, templates paying more than a
    day's maximum left out."""
    options: list[ShiftOption] = []
    for template_index, template in enumerate(problem.templates):
        if template.paid_minutes > problem.rules.max_minutes_per_day:
            continue
        for start in template.starts():
            options.append(ShiftOption(len(options), template, template_index, start))
    return options


class RosterModel:
    """One CP-SAT model of the instance (``self.cp``).

    ``aggregate=True`` builds the relaxation: no individual agents, only
    per-group shift counts with aggregated labour constraints (every
    constraint is implied by the individual ones, so its optimum is a lower
    bound of the full problem's coverage cost). Otherwise one boolean per
    agent, day and option, optionally restricted to ``keep[(group, day)]``.

    ``owned_from``/``owned_to``: the slots whose coverage the objective counts
    (a week's LP leaves the previous week's overnight slots out);
    ``shift_days``: days from this on get no shifts; ``fixed_counts``: the
    caller constrains the counts itself (no fairness, no aggregated rules);
    ``skeleton``: options, groups and permissions only, no variables.
    """

    def __init__(
        self,
        problem: RosterProblem,
        *,
        aggregate: bool = False,
        keep: dict[tuple[SkillGroup, int], set[int]] | None = None,
        owned_from: int = 0,
        owned_to: int | None = None,
        shift_days: int | None = None,
        fixed_counts: bool = False,
        skeleton: bool = False,
    ):
        self.problem = problem
        self.owned_from = owned_from
        self.owned_to = problem.num_slots if owned_to is None else owned_to
        self.aggregate = aggregate
        self.cp = cp_model.CpModel()
        self.options = shift_options(problem)
        groups: dict[SkillGroup, list[int]] = defaultdict(list)
        for agent_index, agent in enumerate(problem.agents):
            groups[skill_group(agent)].append(agent_index)
        self.groups: SkillGroups = dict(groups)
        self.allowed: AllowedOptions = self._allowed_options(
            keep, problem.days if shift_days is None else shift_days
        )
        # fairness counts agents who could work a weekend day / a late shift at all
        self.weekend_agents: set[int] = set()
        self.late_agents: set[int] = set()
        if not fixed_counts:
            self._fairness_pools()
        # shift_vars[agent][day]: option -> boolean; works[agent][day]: their sum
        self.shift_vars: list[list[dict[int, cp_model.IntVar]]] = []
        self.works: list[list[cp_model.LinearExprT]] = []
        self._working_bools: dict[tuple[int, int], cp_model.IntVar] = {}
        self._rest_pairs: list[tuple[cp_model.IntVar, int, int, int]] = []
        self._spread_bounds: list[tuple[cp_model.IntVar, cp_model.IntVar, list[Booleans]]] = []
        if skeleton:
            return
        if not aggregate:
            self._shift_booleans()
            self._labour_rules()
        self._coverage()
        if aggregate and not fixed_counts:
            self._aggregate_rules()
        self._objective()

    def _allowed_options(
        self, keep: dict[tuple[SkillGroup, int], set[int]] | None, shift_days: int
    ) -> AllowedOptions:
        problem = self.problem
        allowed: AllowedOptions = []
        for agent in problem.agents:
            group = skill_group(agent)
            allowed.append(
                [
                    [
                        option.index
                        for option in self.options
                        if day < shift_days
                        and (keep is None or option.index in keep.get((group, day), ()))
                        and may_work(agent, day, option, problem.days)
                    ]
                    for day in range(problem.days)
                ]
            )
        return allowed

    def _fairness_pools(self) -> None:
        problem = self.problem
        for agent_index, agent in enumerate(problem.agents):
            for day in range(problem.days):
                for option in self.options:
                    weekend = problem.is_weekend(day)
                    if (weekend or option.template.late) and may_work(
                        agent, day, option, problem.days
                    ):
                        if weekend:
                            self.weekend_agents.add(agent_index)
                        if option.template.late:
                            self.late_agents.add(agent_index)

    def _shift_booleans(self) -> None:
        cp = self.cp
        for agent_index in range(len(self.problem.agents)):
            row = []
            works_row: list[cp_model.LinearExprT] = []
            for day in range(self.problem.days):
                choices = {
                    k: cp.new_bool_var(f"x_{agent_index}_{day}_{k}")
                    for k in self.allowed[agent_index][day]
                }
                row.append(choices)
                if choices:
                    cp.add_at_most_one(choices.values())
                    works_row.append(sum(choices.values()))
                else:
                    works_row.append(0)
            self.shift_vars.append(row)
            self.works.append(works_row)

    # -- labour rules ----------------------------------------------------
    def _labour_rules(self) -> None:
        for agent_index, agent in enumerate(self.problem.agents):
            self._rest_between_shifts(agent_index)
            self._transition_bans(agent_index)
            self._consecutive_days(agent_index)
            self._weekly_limits(agent_index, agent)

    def _rest_between_shifts(self, agent_index: int) -> None:
        """Minimum rest between the shifts of any two days that could conflict."""
        problem, cp, options = self.problem, self.cp, self.options
        min_rest = problem.rules.min_rest_minutes
        shifts = self.shift_vars[agent_index]
        for day in range(problem.days):
            if not shifts[day]:
                continue
            latest_end = day * MINUTES_PER_DAY + max(options[k].end for k in shifts[day])
            for later in range(day + 1, problem.days):
                if not shifts[later]:
                    continue
                earliest_start = later * MINUTES_PER_DAY + min(
                    options[k].start for k in shifts[later]
                )
                if earliest_start - latest_end >= min_rest:
                    break
                end_expr = sum(
                    (day * MINUTES_PER_DAY + options[k].end) * v for k, v in shifts[day].items()
                )
                start_expr = sum(
                    (later * MINUTES_PER_DAY + options[k].start) * v
                    for k, v in shifts[later].items()
                )
                both = cp.new_bool_var("")
                self._rest_pairs.append((both, agent_index, day, later))
                # (each working boolean is made, with its defining constraint,
                # right before its first use: the model's order stays stable)
                cp.add_implication(both, self._working_bool(agent_index, day))
                cp.add_implication(both, self._working_bool(agent_index, later))
                cp.add_bool_or(
                    [
                        both,
                        self._working_bool(agent_index, day).Not(),
                        self._working_bool(agent_index, later).Not(),
                    ]
                )
                cp.add(start_expr - end_expr >= min_rest).only_enforce_if(both)
                # cheap clique cuts: an option whose end conflicts with every
                # start of the later day excludes working that day
                for k, v in shifts[day].items():
                    rested = day * MINUTES_PER_DAY + options[k].end + min_rest
                    clash = [
                        v2
                        for k2, v2 in shifts[later].items()
                        if later * MINUTES_PER_DAY + options[k2].start < rested
                    ]
                    if len(clash) == len(shifts[later]):
                        cp.add_bool_or([v.Not(), self._working_bool(agent_index, later).Not()])

    def _transition_bans(self, agent_index: int) -> None:
        problem, cp, options = self.problem, self.cp, self.options
        bans = set(problem.rules.banned_transitions)
        shifts = self.shift_vars[agent_index]
        for day in range(problem.days - 1) if bans else ():
            for first_kind, second_kind in bans:
                first = [
                    v for k, v in shifts[day].items() if options[k].template.kind == first_kind
                ]
                second = [
                    v for k, v in shifts[day + 1].items() if options[k].template.kind == second_kind
                ]
                if first and second:
                    cp.add(sum(first) + sum(second) <= 1)

    def _consecutive_days(self, agent_index: int) -> None:
        longest = self.problem.rules.max_consecutive_days
        works = self.works[agent_index]
        for day in range(self.problem.days - longest):
            self.cp.add(sum(works[day : day + longest + 1]) <= longest)

    def _weekly_limits(self, agent_index: int, agent: Agent) -> None:
        """Rest days of a full week, the weekly hour limits and the contract minimum."""
        problem, cp, options = self.problem, self.cp, self.options
        rules = problem.rules
        shifts = self.shift_vars[agent_index]
        works = self.works[agent_index]
        for week in problem.weeks():
            days = list(week)
            if len(days) == 7:
                cp.add(sum(works[d] for d in days) <= 7 - rules.min_rest_days_per_week)
            minutes = sum(
                options[k].template.paid_minutes * v for d in days for k, v in shifts[d].items()
            )
            cp.add(minutes <= min(agent.max_minutes_week, rules.max_minutes_per_week))
            lower = contract_minimum(agent, days)
            if lower > 0:
                cp.add(minutes >= lower)

    def _working_bool(self, agent_index: int, day: int) -> cp_model.IntVar:
        """A boolean equal to "the agent works that day" (made on first use)."""
        key = (agent_index, day)
        if key not in self._working_bools:
            works = self.cp.new_bool_var(f"w_{agent_index}_{day}")
            self.cp.add(works == self.works[agent_index][day])
            self._working_bools[key] = works
        return self._working_bools[key]

    # -- coverage --------------------------------------------------------
    def _coverage(self) -> None:
        on_duty = self._shift_and_break_counts()
        covering = self._queue_allocation(on_duty)
        self._staffing_gaps(covering)

    def _shift_and_break_counts(self) -> dict[SkillGroup, list[DutyTerms]]:
        """Per group, day and option the count of agents on it, and per break
        the counts at each offset; returns per group and slot the ``(sign,
        count)`` terms of the agents on duty."""
        problem, cp, options = self.problem, self.cp, self.options
        n_slots = problem.num_slots
        self.counts: dict[tuple[SkillGroup, int, int], cp_model.IntVar] = {}
        self.break_counts: dict[tuple[SkillGroup, int, int, int], dict[int, cp_model.IntVar]] = {}
        on_duty: dict[SkillGroup, list[DutyTerms]] = {
            g: [[] for _ in range(n_slots)] for g in self.groups
        }
        for group, members in self.groups.items():
            for day in range(problem.days):
                # per option its agents' booleans (None: an agent of the aggregate model)
                agents_on: dict[int, list[cp_model.IntVar | None]] = defaultdict(list)
                for agent_index in members:
                    if self.aggregate:
                        for k in self.allowed[agent_index][day]:
                            agents_on[k].append(None)
                    else:
                        for k, v in self.shift_vars[agent_index][day].items():
                            agents_on[k].append(v)
                for k, shift_bools in agents_on.items():
                    option = options[k]
                    count = cp.new_int_var(0, len(shift_bools), f"n_{day}_{k}")
                    if not self.aggregate:
                        cp.add(count == sum(v for v in shift_bools if v is not None))
                    self.counts[(group, day, k)] = count
                    first_slot = (day * MINUTES_PER_DAY + option.start) // SLOT_MINUTES
                    for s in range(option.template.length_minutes // SLOT_MINUTES):
                        if first_slot + s < n_slots:
                            on_duty[group][first_slot + s].append((1, count))
                    self._break_counts(
                        group, day, option, count, len(shift_bools), first_slot, on_duty[group]
                    )
        return on_duty

    def _break_counts(
        self,
        group: SkillGroup,
        day: int,
        option: ShiftOption,
        count: cp_model.IntVar,
        most: int,
        first_slot: int,
        on_duty: list[DutyTerms],
    ) -> None:
        """Counts per offset of each break of ``option``'s agents (summing to
        ``count``), with the ordering condition between consecutive breaks."""
        cp = self.cp
        n_slots = self.problem.num_slots
        previous: dict[int, cp_model.IntVar] | None = None
        previous_length = 0
        for break_index, rule in enumerate(option.template.breaks):
            at_offset = {}
            for offset in range(rule.earliest_after, rule.latest_after + 1, SLOT_MINUTES):
                on_break = cp.new_int_var(0, most, "")
                at_offset[offset] = on_break
                break_slot = first_slot + offset // SLOT_MINUTES
                for s in range(rule.length_minutes // SLOT_MINUTES):
                    if break_slot + s < n_slots:
                        on_duty[break_slot + s].append((-1, on_break))
            cp.add(sum(at_offset.values()) == count)
            if previous is not None and (max(previous) + previous_length > rule.earliest_after):
                # sorted pairing must be feasible: for every offset o2,
                # #(next break starts <= o2) <= #(previous starts <= o2 - previous_length)
                # (implied when the previous break always ends before this
                # one's window opens, so only built when windows overlap)
                for o2 in at_offset:
                    this_by = [v for o, v in at_offset.items() if o <= o2]
                    previous_by = [v for o, v in previous.items() if o <= o2 - previous_length]
                    cp.add(sum(this_by) <= sum(previous_by))
            self.break_counts[(group, day, option.index, break_index)] = at_offset
            previous, previous_length = at_offset, rule.length_minutes

    def _queue_allocation(
        self, on_duty: dict[SkillGroup, list[DutyTerms]]
    ) -> dict[str, list[list[Expr]]]:
        """Split each multi-skill group's agents on duty over its queues;
        returns per queue and slot the expressions that cover it."""
        problem, cp = self.problem, self.cp
        covering: dict[str, list[list[Expr]]] = {
            q: [[] for _ in range(problem.num_slots)] for q in problem.demand
        }
        self.allocation: dict[tuple[SkillGroup, str, int], cp_model.IntVar] = {}
        for group, members in self.groups.items():
            for t in range(problem.num_slots):
                terms = on_duty[group][t]
                if not terms:
                    continue
                working = sum(sign * v for sign, v in terms)
                if len(group) == 1:
                    covering[group[0]][t].append(working)
                    continue
                parts = []
                for queue in group:
                    share = cp.new_int_var(0, len(members), "")
                    self.allocation[(group, queue, t)] = share
                    parts.append(share)
                    covering[queue][t].append(share)
                cp.add(sum(parts) == working)
        return covering

    def _staffing_gaps(self, covering: dict[str, list[list[Expr]]]) -> None:
        """``covered + under - over = demand`` per queue and owned slot."""
        problem, cp = self.problem, self.cp
        self.under: dict[tuple[str, int], cp_model.IntVar] = {}
        self.over: dict[tuple[str, int], cp_model.IntVar] = {}
        self.const_under = 0
        for queue, demand in problem.demand.items():
            for t in range(self.owned_from, self.owned_to):
                terms = covering[queue][t]
                if not terms:
                    self.const_under += max(0, demand[t])
                    continue
                under = cp.new_int_var(0, max(0, demand[t]), "")
                over = cp.new_int_var(0, len(problem.agents), "")
                cp.add(sum(terms) + under - over == demand[t])
                self.under[(queue, t)] = under
                self.over[(queue, t)] = over

    # -- the relaxation's group-level rules ------------------------------
    def _aggregate_rules(self) -> None:
        """Group-level consequences of the individual rules (the relaxation)."""
        for group, members in self.groups.items():
            by_day = [
                [v for (g, d, _k), v in self.counts.items() if g == group and d == day]
                for day in range(self.problem.days)
            ]
            self._group_days_and_hours(group, members, by_day)
            self._group_consecutive_days(len(members), by_day)
            self._group_day_pairs(group, len(members))

    def _group_days_and_hours(
        self, group: SkillGroup, members: list[int], by_day: list[Booleans]
    ) -> None:
        """No more agents on a day than can work it; per week at most the
        shifts and hours the members' own limits allow, at least their
        contract minimums."""
        problem, cp, options = self.problem, self.cp, self.options
        rules = problem.rules
        available = [[bool(self.allowed[ai][d]) for d in range(problem.days)] for ai in members]
        for day in range(problem.days):
            if by_day[day]:
                cp.add(sum(by_day[day]) <= sum(1 for a in available if a[day]))
            # a template limited to some agents: at most the members who may work it
            restricted: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for (g, d, k), v in self.counts.items():
                if g == group and d == day and options[k].template.limited:
                    restricted[options[k].template_index].append(v)
            for template_index, counts in restricted.items():
                may = sum(
                    1
                    for ai in members
                    if any(
                        options[k].template_index == template_index for k in self.allowed[ai][day]
                    )
                )
                cp.add(sum(counts) <= may)
        # every shift pays at least ``min_paid`` minutes, so an agent works
        # at most ``weekly maximum // min_paid`` shifts a week: summed per
        # agent with the agent's own day limits, this is tighter than the
        # group's summed hours (an agent with leave cannot lend its unused
        # hours to another one)
        min_paid = min((o.template.paid_minutes for o in options), default=0)
        max_paid = max((o.template.paid_minutes for o in options), default=0)
        longest = rules.max_consecutive_days
        for week in problem.weeks():
            days = list(week)
            shift_cap = 0
            minute_cap = 0
            for agent_index, agent_available in zip(members, available, strict=True):
                shifts = sum(1 for d in days if agent_available[d])
                if len(days) == 7:
                    shifts = min(shifts, 7 - rules.min_rest_days_per_week)
                # runs of at most ``longest`` days: one day off in every ``longest + 1``
                shifts = min(shifts, len(days) - len(days) // (longest + 1))
                upper = min(
                    problem.agents[agent_index].max_minutes_week, rules.max_minutes_per_week
                )
                if min_paid > 0:
                    shifts = min(shifts, upper // min_paid)
                shift_cap += shifts
                minute_cap += min(upper, shifts * max_paid)
            terms = [v for d in days for v in by_day[d]]
            if not terms:
                continue
            cp.add(sum(terms) <= shift_cap)
            minutes = sum(
                options[k].template.paid_minutes * v
                for (g, d, k), v in self.counts.items()
                if g == group and d in week
            )
            cp.add(minutes <= minute_cap)
            cp.add(minutes >= sum(contract_minimum(problem.agents[ai], days) for ai in members))

    def _group_consecutive_days(self, size: int, by_day: list[Booleans]) -> None:
        longest = self.problem.rules.max_consecutive_days
        for day in range(self.problem.days - longest):
            terms = [v for d in range(day, day + longest + 1) for v in by_day[d]]
            if terms:
                self.cp.add(sum(terms) <= longest * size)

    def _group_day_pairs(self, group: SkillGroup, size: int) -> None:
        """Shifts on consecutive days that no single agent can combine (rest, bans)."""
        problem, cp, options = self.problem, self.cp, self.options
        rules = problem.rules
        for day in range(problem.days - 1):
            today = {k: v for (g, d, k), v in self.counts.items() if g == group and d == day}
            tomorrow = {k: v for (g, d, k), v in self.counts.items() if g == group and d == day + 1}
            if not today or not tomorrow:
                continue
            for end in sorted({options[k].end for k in today}):
                ending_late = [v for k, v in today.items() if options[k].end >= end]
                too_early = [
                    v
                    for k, v in tomorrow.items()
                    if MINUTES_PER_DAY + options[k].start < end + rules.min_rest_minutes
                ]
                if too_early:
                    cp.add(sum(ending_late) + sum(too_early) <= size)
            for first_kind, second_kind in rules.banned_transitions:
                first = [v for k, v in today.items() if options[k].template.kind == first_kind]
                second = [v for k, v in tomorrow.items() if options[k].template.kind == second_kind]
                if first and second:
                    cp.add(sum(first) + sum(second) <= size)

    # -- objective -------------------------------------------------------
    def _objective(self) -> None:
        problem, cp, weights = self.problem, self.cp, self.problem.weights
        terms: dict[str, Expr] = {}
        terms["under"] = weights.under * (sum(self.under.values()) + self.const_under)
        terms["over"] = weights.over * sum(self.over.values())
        if not self.aggregate:
            wished_away, days_off_worked, weekend_shifts, late_shifts = self._wish_and_fairness()
            terms["preferred_shift"] = weights.preferred_shift * sum(wished_away)
            terms["preferred_day_off"] = weights.preferred_day_off * sum(days_off_worked)
            terms["weekend_spread"] = weights.weekend_spread * self._spread(
                weekend_shifts, problem.days
            )
            terms["late_spread"] = weights.late_spread * self._spread(late_shifts, problem.days)
        self.terms = terms
        cp.minimize(sum(terms.values()))

    def _wish_and_fairness(self) -> tuple[Booleans, Booleans, list[Booleans], list[Booleans]]:
        """Shift booleans against a shift wish, on a wished day off, and per
        agent the weekend and the late ones."""
        problem, options = self.problem, self.options
        wished_away: Booleans = []
        days_off_worked: Booleans = []
        weekend_shifts: list[Booleans] = []
        late_shifts: list[Booleans] = []
        for agent_index, agent in enumerate(problem.agents):
            shifts = self.shift_vars[agent_index]
            if agent.preferred_shifts:
                for day in range(problem.days):
                    wished_away += [
                        v
                        for k, v in shifts[day].items()
                        if options[k].template.name not in agent.preferred_shifts
                    ]
            for day in agent.preferred_days_off:
                if 0 <= day < problem.days and shifts[day]:
                    days_off_worked += list(shifts[day].values())
            if agent_index in self.weekend_agents:
                weekend_shifts.append(
                    [
                        v
                        for day in range(problem.days)
                        if problem.is_weekend(day)
                        for v in shifts[day].values()
                    ]
                )
            if agent_index in self.late_agents:
                late_shifts.append(
                    [
                        v
                        for day in range(problem.days)
                        for k, v in shifts[day].items()
                        if options[k].template.late
                    ]
                )
        return wished_away, days_off_worked, weekend_shifts, late_shifts

    def _spread(self, counts: list[Booleans], horizon: int) -> Expr:
        """Max minus min over the agents of the number of booleans set in ``counts``."""
        if len(counts) < 2:
            return 0
        most = self.cp.new_int_var(0, horizon, "")
        least = self.cp.new_int_var(0, horizon, "")
        for booleans in counts:
            self.cp.add(most >= sum(booleans))
            self.cp.add(least <= sum(booleans))
        self._spread_bounds.append((most, least, counts))
        return most - least


def contract_minimum(agent: Agent, days: list[int]) -> int:
    """Contract minimum for a week block, pro rata for leave days and short blocks."""
    working_days = sum(1 for d in days if d not in agent.leave_days)
    return agent.min_minutes_week * working_days // 7


def contract_minimums(problem: RosterProblem) -> list[list[int]]:
    """Contract minimum (paid minutes) per agent and week block."""
    return [[contract_minimum(a, list(week)) for week in problem.weeks()] for a in problem.agents]


# ----------------------------------------------------------------------------
# solving, hinting and reading back


def make_solver(
    settings: SolverSettings, seconds: float, workers: int | None = None
) -> cp_model.CpSolver:
    """A CP-SAT solver with the settings' seed, gap and workers (or ``workers``)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, float(seconds))
    params.num_workers = int(settings.workers if workers is None else workers)
    params.random_seed = int(settings.seed)
    params.relative_gap_limit = float(settings.relative_gap_limit)
    params.log_search_progress = bool(settings.log)
    return solver


def solver_report(solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> dict[str, object]:
    """The parameters a solve ran with, read back from the solver, and its outcome."""
    params = solver.parameters
    return {
        "max_time_in_seconds": round(params.max_time_in_seconds, 3),
        "num_workers": params.num_workers,
        "random_seed": params.random_seed,
        "relative_gap_limit": params.relative_gap_limit,
        "status": solver.status_name(status),
        "wall_time_s": round(solver.wall_time, 3),
    }


def hint_from_choices(model: RosterModel, choices: RosterChoices) -> None:
    """Hint every variable of ``model`` from a complete individual roster."""
    _hint_agent_variables(model, choices)
    on_duty = _hint_counts(model, choices)
    _hint_coverage(model, on_duty)


def _hint_agent_variables(model: RosterModel, choices: RosterChoices) -> None:
    cp = model.cp
    chosen_bools: set[int] = set()  # indices of the shift booleans set to 1
    for agent_index, row in enumerate(model.shift_vars):
        for day, shifts in enumerate(row):
            chosen = choices[agent_index].get(day)
            for k, v in shifts.items():
                cp.add_hint(v, chosen is not None and chosen[0] == k)
                if chosen is not None and chosen[0] == k:
                    chosen_bools.add(v.index)
    for (agent_index, day), v in model._working_bools.items():
        cp.add_hint(v, day in choices[agent_index])
    for v, agent_index, day, later in model._rest_pairs:
        cp.add_hint(v, day in choices[agent_index] and later in choices[agent_index])
    for most, least, lists in model._spread_bounds:
        values = [sum(1 for v in booleans if v.index in chosen_bools) for booleans in lists]
        cp.add_hint(most, max(values))
        cp.add_hint(least, min(values))


def _hint_counts(model: RosterModel, choices: RosterChoices) -> dict[SkillGroup, list[int]]:
    """Hint the shift and break counts; returns per group and slot the agents on duty."""
    cp, options = model.cp, model.options
    n_slots = model.problem.num_slots
    counts: dict[tuple[SkillGroup, int, int], int] = defaultdict(int)
    breaks: dict[tuple[SkillGroup, int, int, int, int], int] = defaultdict(int)
    on_duty = {g: [0] * n_slots for g in model.groups}
    for group, members in model.groups.items():
        for agent_index in members:
            for day, (k, offsets) in choices[agent_index].items():
                counts[(group, day, k)] += 1
                option = options[k]
                first_slot = (day * MINUTES_PER_DAY + option.start) // SLOT_MINUTES
                break_slots: set[int] = set()
                for break_index, (offset, rule) in enumerate(
                    zip(offsets, option.template.breaks, strict=True)
                ):
                    breaks[(group, day, k, break_index, offset)] += 1
                    s0 = first_slot + offset // SLOT_MINUTES
                    break_slots.update(range(s0, s0 + rule.length_minutes // SLOT_MINUTES))
                last_slot = min(
                    n_slots, first_slot + option.template.length_minutes // SLOT_MINUTES
                )
                for t in range(first_slot, last_slot):
                    if t not in break_slots:
                        on_duty[group][t] += 1
    for key, v in model.counts.items():
        cp.add_hint(v, counts.get(key, 0))
    for (group, day, k, break_index), at_offset in model.break_counts.items():
        for offset, v in at_offset.items():
            cp.add_hint(v, breaks.get((group, day, k, break_index, offset), 0))
    return on_duty


def _hint_coverage(model: RosterModel, on_duty: dict[SkillGroup, list[int]]) -> None:
    """Hint the queue allocation (each agent to the queue with the largest
    remaining shortfall) and the under- and over-staffing it leaves."""
    problem, cp = model.problem, model.cp
    demand = problem.demand
    covered = {q: [0] * problem.num_slots for q in demand}
    for group, row in on_duty.items():
        if len(group) == 1:
            for t, n in enumerate(row):
                covered[group[0]][t] += n
    for group, row in on_duty.items():
        if len(group) == 1:
            continue
        for t, n in enumerate(row):
            share = dict.fromkeys(group, 0)
            for _ in range(n):
                queue = max(group, key=lambda q: demand[q][t] - covered[q][t])
                covered[queue][t] += 1
                share[queue] += 1
            for queue in group:
                if (group, queue, t) in model.allocation:
                    cp.add_hint(model.allocation[(group, queue, t)], share[queue])
    for (queue, t), under in model.under.items():
        cp.add_hint(under, max(0, demand[queue][t] - covered[queue][t]))
        cp.add_hint(model.over[(queue, t)], max(0, covered[queue][t] - demand[queue][t]))


def choices_from_assignments(
    problem: RosterProblem, model: RosterModel, hint: list[Assignment]
) -> RosterChoices:
    """A previous roster as per-agent choices (shifts the model cannot express are skipped)."""
    index = {a.id: i for i, a in enumerate(problem.agents)}
    by_shape = {(o.template.name, o.start): o for o in model.options}
    choices: RosterChoices = [{} for _ in problem.agents]
    for shift in hint:
        agent_index = index.get(shift.agent_id)
        option = by_shape.get((shift.template, shift.start))
        if agent_index is None or option is None or not 0 <= shift.day < problem.days:
            continue
        if len(shift.breaks) == len(option.template.breaks):
            offsets = tuple(start - shift.start for start, _ in shift.breaks)
        else:
            offsets = tuple(b.earliest_after for b in option.template.breaks)
        choices[agent_index][shift.day] = ShiftChoice(option.index, offsets)
    return choices


def sorted_break_offsets(
    break_counts: Mapping[tuple[SkillGroup, int, int, int], Mapping[int, cp_model.IntVar]],
    option: ShiftOption,
    key: tuple[SkillGroup, int],
    value: Callable[[cp_model.IntVar], int],
) -> list[list[int]]:
    """Per break of ``option``, its offsets in ascending order, each repeated
    as many times as ``value`` counts agents at it: the i-th agent on the
    shift takes the i-th entry of every list (the model's ordering condition
    makes that a valid, non-overlapping break sequence per agent)."""
    group, day = key
    per_break: list[list[int]] = []
    for break_index in range(len(option.template.breaks)):
        at_offset = break_counts[(group, day, option.index, break_index)]
        dealt: list[int] = []
        for offset in sorted(at_offset):
            dealt += [offset] * value(at_offset[offset])
        per_break.append(dealt)
    return per_break


def choices_from_solver(model: RosterModel, solver: cp_model.CpSolver) -> RosterChoices:
    """Per agent ``{day: (option, break offsets)}``: the i-th agent of a
    group on a shift gets the i-th earliest offset of every break."""
    problem = model.problem
    choices: RosterChoices = [{} for _ in problem.agents]
    for group, members in model.groups.items():
        for day in range(problem.days):
            agents_on: dict[int, list[int]] = defaultdict(list)
            for agent_index in members:
                for k, v in model.shift_vars[agent_index][day].items():
                    if solver.boolean_value(v):
                        agents_on[k].append(agent_index)
            for k, agent_indices in agents_on.items():
                per_break = sorted_break_offsets(
                    model.break_counts, model.options[k], (group, day), solver.value
                )
                for i, agent_index in enumerate(agent_indices):
                    choices[agent_index][day] = ShiftChoice(k, tuple(pb[i] for pb in per_break))
    return choices
