"""Week-aware dealing: which agent works which day and template, week by week.

The day-by-day dealing (`day_dealing.deal_days`) fills one day at a
time; when the LP uses every agent's weekly hours, the last days of a week
can find no agent whose week still allows the shift (hours used up, rest or
bans around shifts dealt earlier). Here each week and skill group is one
small MIP (HiGHS via `linear_solvers.solve_milp_arrays`) over per-agent binaries
``x[agent, day, template]``:

* at most one template a day; only templates with an option the agent may
  take that day (leave, availability; on the week's first day also rest,
  bans and consecutive days after the previous week's last shift);
* weekly paid minutes within the agent's maximum and (softly, heavily
  penalised) above the contract minimum; the rest days of a full week;
  consecutive days, counting the run the previous week ended with;
* no two templates on consecutive days that a ban forbids or that no pair of
  their starts can separate by the minimum rest;
* per day and template the number of agents against the rounded LP count
  (the sum over that template's starts): a missing agent costs ``short``, a
  surplus one ``surplus``; wishes (preferred templates, days off) and the
  weekend/late balance so far add small costs.

Each day's agents of a template are then given the LP's starts of that
template by one minimum-cost assignment (a start that breaks the rest after
yesterday's shift is forbidden; an agent no unit fits gets any start of the
template the rules allow). Every placement is checked with the per-agent
`Schedule`, so the result keeps every hard rule except possibly contract
minimums (topped up afterwards by `greedy.greedy_roster`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from .dealing import DealingInput, DealtRoster
from .linear_solvers import solve_milp_arrays
from .problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    AllowedOptions,
    DealtDays,
    LpSlack,
    RosterProblem,
    ShiftCounts,
    ShiftShape,
    ShiftTargets,
    ShiftTemplate,
    SkillGroup,
    SkillGroups,
)

__all__ = ["deal_weeks"]

_FORBIDDEN = 1e9
# the MIP's small costs: a little per weekend day / late shift so far, well
# below a wish (a spread costs once per horizon)
_WEEKEND_SO_FAR = 0.5
_LATE_SO_FAR = 0.25
# a minute below the contract minimum costs this many missing shifts' worth
_CONTRACT_SHORTFALL_SHIFTS = 10.0


def deal_weeks(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: AllowedOptions,
    groups: SkillGroups,
    minimum: list[list[int]],
    counts: ShiftCounts,
    deadline: float | None = None,
    *,
    targets: ShiftTargets | None = None,
    slack: dict[tuple[str, int], LpSlack] | None = None,
    short: float = 2000.0,
    surplus: float = 300.0,
    relative_gap: float = 1e-3,
    done: list[int] | None = None,
) -> DealtDays | None:
    """Per agent ``{day: option index}``; ``None`` when a week's MIP found nothing in time.

    ``counts``: the rounded LP counts per (group, day) and option (the starts
    dealt); ``targets``: the LP's fractional counts (per day and template
    they replace the rounded totals, so the MIP chooses the integer split).
    A missing or surplus agent of a template on a day is priced along the
    template's span (`_prices`); ``short`` prices the contract shortfall.
    ``slack`` (the LP's under- and over-staffing) and ``surplus`` are
    accepted but not used: see `_prices`.

    ``done``: when given, running out of time returns the weeks dealt so far
    (nothing on the later days) instead of ``None``, and the first day not
    dealt is appended to it (``problem.days`` when every week was).
    """
    del slack, surplus  # see `_prices`
    dealing = DealingInput.of(problem, shapes, allowed, groups, minimum, counts)
    templates = _Templates.of(problem, dealing.shapes)
    roster = DealtRoster(problem, dealing.shapes)
    for w, week in enumerate(problem.weeks()):
        days = list(week)
        for group, members in groups.items():
            if deadline is not None and time.monotonic() > deadline:
                return _out_of_time(roster, week.start, done)
            if not members:
                continue
            mip = _WeekMip(dealing, templates, roster, group, members, w, days, short)
            mip.build(targets)
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0.05:
                return _out_of_time(roster, week.start, done)
            working = mip.solve(30.0 if left is None else left, relative_gap)
            if working is None:
                return _out_of_time(roster, week.start, done)
            _deal_starts(dealing, templates, roster, group, members, days, working)
    if done is not None:
        done.append(problem.days)
    return roster.days


def _out_of_time(roster: DealtRoster, first_day: int, done: list[int] | None) -> DealtDays | None:
    if done is None:
        return None
    done.append(first_day)
    return roster.before(first_day)


@dataclass
class _Templates:
    """The options grouped by template (``by_template[ti]``: its options in
    start order), each template's object, and which template pairs may be
    worked on consecutive days (``pair_ok``)."""

    by_template: dict[int, list[int]]
    template: dict[int, ShiftTemplate]
    pair_ok: dict[tuple[int, int], bool]

    @classmethod
    def of(cls, problem: RosterProblem, shapes: list[ShiftShape]) -> _Templates:
        index_of: dict[int, int] = {}
        by_template: dict[int, list[int]] = {}
        for k, (template, _) in enumerate(shapes):
            ti = index_of.setdefault(id(template), len(index_of))
            by_template.setdefault(ti, []).append(k)
        first_template = {ti: shapes[ks[0]].template for ti, ks in by_template.items()}
        pair_ok = {
            (t1, t2): _pair_ok(problem, shapes, by_template, t1, t2)
            for t1 in by_template
            for t2 in by_template
        }
        return cls(by_template, first_template, pair_ok)


def _pair_ok(
    problem: RosterProblem,
    shapes: list[ShiftShape],
    by_template: dict[int, list[int]],
    t1: int,
    t2: int,
) -> bool:
    """Some start of template ``t1`` on a day and of ``t2`` on the next may be combined."""
    rules = problem.rules
    first, second = shapes[by_template[t1][0]].template, shapes[by_template[t2][0]].template
    if (first.kind, second.kind) in set(rules.banned_transitions):
        return False
    first_end = min(shapes[k].start + first.length_minutes for k in by_template[t1])
    last_start = max(MINUTES_PER_DAY + shapes[k].start for k in by_template[t2])
    return last_start - first_end >= rules.min_rest_minutes


@dataclass
class _WeekMip:
    """The MIP of one week and skill group, as sparse rows for HiGHS.

    Variables, in order: ``works[(agent, day, template)]`` (binary); per day
    and template three continuous ones linking the agents to the LP's count
    (``link[(day, template)]``, see `_link_to_counts`); per agent the contract
    shortfall in minutes (``shortfall[agent]``).
    """

    dealing: DealingInput
    templates: _Templates
    roster: DealtRoster
    group: SkillGroup
    members: list[int]
    week_index: int
    days: list[int]
    short: float
    works: dict[tuple[int, int, int], int] = field(default_factory=dict)
    link: dict[tuple[int, int], int] = field(default_factory=dict)
    shortfall: dict[int, int] = field(default_factory=dict)
    cost: list[float] = field(default_factory=list)
    rows: list[list[tuple[int, float]]] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def build(self, targets: ShiftTargets | None) -> None:
        self._agent_variables()
        for day in self.days:
            for ti in self.templates.by_template:
                self.link[(day, ti)] = len(self.cost)
                self.cost += [0.0, 0.0, 0.0]  # first unit above, more above, below
        shortest = min(t.paid_minutes for t in self.templates.template.values())
        per_minute = _CONTRACT_SHORTFALL_SHIFTS * self.short / max(1, shortest)
        for i, ai in enumerate(self.members):
            self.shortfall[ai] = len(self.cost) + i
        self.cost += [per_minute] * len(self.members)
        n = len(self.cost)
        self.var_upper = np.ones(n)
        self.integral = np.ones(n)
        for ai in self.members:
            self._agent_rows(ai)
        self._link_to_counts(targets)

    def _row(self, terms: list[tuple[int, float]], lower: float, upper: float) -> None:
        if terms:
            self.rows.append(terms)
            self.lower.append(lower)
            self.upper.append(upper)

    def _agent_variables(self) -> None:
        """One binary per agent, day and template the agent may work, priced
        by wishes and the weekend / late balance so far."""
        dealing, roster, problem = self.dealing, self.roster, self.dealing.problem
        weights = problem.weights
        for ai in self.members:
            agent = problem.agents[ai]
            for day in self.days:
                for ti, ks in self.templates.by_template.items():
                    options = [k for k in ks if k in dealing.allowed_sets[ai][day]]
                    if day == self.days[0] and day > 0:
                        # the week's first day: rest, bans and runs after last week
                        options = [
                            k
                            for k in options
                            if roster.schedules[ai].can_add(day, k, dealing.max_week[ai])
                        ]
                    if not options:
                        continue
                    template = self.templates.template[ti]
                    cost = 0.0
                    if agent.preferred_shifts and template.name not in agent.preferred_shifts:
                        cost += weights.preferred_shift
                    if day in agent.preferred_days_off:
                        cost += weights.preferred_day_off
                    if problem.is_weekend(day):
                        cost += _WEEKEND_SO_FAR * roster.weekend[ai]
                    if template.late:
                        cost += _LATE_SO_FAR * roster.late[ai]
                    self.works[(ai, day, ti)] = len(self.cost)
                    self.cost.append(cost)

    def _agent_rows(self, ai: int) -> None:
        """One agent's rules over the week: a template a day, weekly hours
        and contract minimum, rest days, runs, day pairs."""
        rules = self.dealing.problem.rules
        by_template = self.templates.by_template
        worked = {
            day: [self.works[(ai, day, ti)] for ti in by_template if (ai, day, ti) in self.works]
            for day in self.days
        }
        for day in self.days:
            self._row([(v, 1.0) for v in worked[day]], 0.0, 1.0)
        minutes = [
            (self.works[(ai, day, ti)], float(self.templates.template[ti].paid_minutes))
            for day in self.days
            for ti in by_template
            if (ai, day, ti) in self.works
        ]
        self._row(minutes, -np.inf, float(self.dealing.max_week[ai]))
        need = self.dealing.minimum[ai][self.week_index]
        self.var_upper[self.shortfall[ai]] = float(max(0, need))
        self._row(minutes + [(self.shortfall[ai], 1.0)], float(need), np.inf)
        if len(self.days) == 7:
            self._row(
                [(v, 1.0) for day in self.days for v in worked[day]],
                0.0,
                7.0 - rules.min_rest_days_per_week,
            )
        self._run_rows(ai, worked)
        for day in self.days[:-1]:
            for (t1, t2), ok in self.templates.pair_ok.items():
                if ok:
                    continue
                first = self.works.get((ai, day, t1))
                second = self.works.get((ai, day + 1, t2))
                if first is not None and second is not None:
                    self._row([(first, 1.0), (second, 1.0)], 0.0, 1.0)

    def _run_rows(self, ai: int, worked: dict[int, list[int]]) -> None:
        """At most ``max_consecutive_days`` in any window, counting the run
        the previous week ended with."""
        longest = self.dealing.problem.rules.max_consecutive_days
        schedule = self.roster.schedules[ai]
        run = 0
        day = self.days[0] - 1
        while day in schedule.days:
            run, day = run + 1, day - 1
        run = min(run, longest)
        extended = [None] * run + self.days  # None: a day of the previous run
        for first in range(len(extended) - longest):
            window = extended[first : first + longest + 1]
            fixed = sum(1 for d in window if d is None)
            terms = [(v, 1.0) for d in window if d is not None for v in worked[d]]
            self._row(terms, 0.0, float(longest - fixed))

    def _link_to_counts(self, targets: ShiftTargets | None) -> None:
        """Per day and template the agents y against the LP's count F: with
        y = floor(F) + up1 + up - down, up1 <= 1, the convex piecewise linear
        price of y is exact at every integer (a fractional F costs its
        rounding), so the LP relaxation does not fill a fractional F with
        fractional agents for free."""
        dealing, group = self.dealing, self.group
        for day in self.days:
            wanted = dealing.counts.get((group, day), {})
            for ti, ks in self.templates.by_template.items():
                j = self.link[(day, ti)]
                if targets is not None:
                    target = sum(targets.get((group, day, k), 0.0) for k in ks)
                else:
                    target = float(sum(wanted.get(k, 0) for k in ks))
                fewer, more = _prices(dealing.problem, dealing.shapes, group, day, ks, targets)
                floor = int(target + 1e-6)
                fraction = max(0.0, target - floor)
                self.cost[j] = (1.0 - fraction) * more - fraction * fewer
                self.cost[j + 1] = more
                self.cost[j + 2] = fewer
                self.integral[j : j + 3] = 0
                self.var_upper[j] = 1.0
                self.var_upper[j + 1] = float(len(self.members))
                self.var_upper[j + 2] = float(floor)
                terms = [
                    (self.works[(ai, day, ti)], 1.0)
                    for ai in self.members
                    if (ai, day, ti) in self.works
                ]
                self._row(terms + [(j, -1.0), (j + 1, -1.0), (j + 2, 1.0)], floor, floor)

    def solve(self, seconds: float, relative_gap: float) -> set[tuple[int, int, int]] | None:
        """The (agent, day, template) triples worked, or None if HiGHS found nothing."""
        n = len(self.cost)
        solution = solve_milp_arrays(
            np.array(self.cost),
            self.rows,
            self.lower,
            self.upper,
            np.zeros(n),
            self.var_upper,
            seconds,
            relative_gap=relative_gap,
            integrality=self.integral,
        )
        if solution is None:
            return None
        return {key for key, j in self.works.items() if solution[j] > 0.5}


def _prices(
    problem: RosterProblem,
    shapes: list[ShiftShape],
    group: SkillGroup,
    day: int,
    ks: list[int],
    targets: ShiftTargets | None,
) -> tuple[float, float]:
    """Cost of one agent fewer / more than the LP on template ``ks`` on ``day``.

    Along the span of the template's LP-weighted mean start (breaks ignored)
    each slot costs ``under`` for one agent fewer and ``over`` for one more,
    as if the LP staffed every slot exactly.

    The design was to read the LP's under- and over-staffing per slot here
    (``deal_weeks(slack=...)``: one agent fewer costs ``under`` only where the
    LP leaves no surplus, one more saves ``under`` where it is short), but the
    code before the package split passed an unrelated mapping in its place,
    so the LP's slack never reached these prices. The benchmark figures were
    measured with these prices; using the slack is a change of its own.
    """
    weights = problem.weights
    template = shapes[ks[0]].template
    shares = [(targets or {}).get((group, day, k), 0.0) for k in ks]
    total = sum(shares)
    if total > 1e-9:
        start = sum(w * shapes[k].start for w, k in zip(shares, ks, strict=True)) / total
    else:
        start = sum(shapes[k].start for k in ks) / len(ks)
    first = int(round((day * MINUTES_PER_DAY + start) / SLOT_MINUTES))
    span = len(
        range(first, min(first + template.length_minutes // SLOT_MINUTES, problem.num_slots))
    )
    fewer = float(weights.under * span)
    more = float(weights.over * span)
    # a missing and a surplus agent together must cost something
    fewer = max(fewer, 1.0 - more)
    return fewer, more


def _deal_starts(
    dealing: DealingInput,
    templates: _Templates,
    roster: DealtRoster,
    group: SkillGroup,
    members: list[int],
    days: list[int],
    working: set[tuple[int, int, int]],
) -> None:
    """Give each day's agents of a template the LP's starts of that template
    (one minimum-cost assignment; a start that breaks the rest after
    yesterday's shift is forbidden, an agent no start fits gets any start of
    the template the rules allow)."""
    shapes, schedules = dealing.shapes, roster.schedules
    for day in days:
        wanted = dealing.counts.get((group, day), {})
        for ti, ks in templates.by_template.items():
            agents = [ai for ai in members if (ai, day, ti) in working]
            if not agents:
                continue
            units = [k for k in ks for _ in range(wanted.get(k, 0))]
            if len(units) < len(agents):
                # more agents than the LP's starts: spread the rest over its starts
                pool = [k for k in ks if wanted.get(k, 0)] or ks
                i = 0
                while len(units) < len(agents):
                    units.append(pool[i % len(pool)])
                    i += 1
            distinct = sorted(set(units))
            per_option = np.full((len(agents), len(distinct)), _FORBIDDEN)
            for i, ai in enumerate(agents):
                yesterday = roster.days[ai].get(day - 1)
                for j, k in enumerate(distinct):
                    if dealing.may_add(schedules, ai, day, k):
                        cost = 0.0
                        if yesterday is not None:
                            cost += abs(shapes[yesterday].start - shapes[k].start) / 60.0
                        per_option[i, j] = cost
            column = {k: j for j, k in enumerate(distinct)}
            costs = per_option[:, [column[k] for k in units]]
            rows, cols = linear_sum_assignment(costs)
            for row, col in zip(rows, cols, strict=True):
                ai = agents[row]
                unit = units[col] if costs[row, col] < _FORBIDDEN else None
                if unit is None:
                    unit = next(
                        (kk for kk in reversed(ks) if dealing.may_add(schedules, ai, day, kk)),
                        None,
                    )
                if unit is None:
                    continue
                roster.add(ai, day, unit)
