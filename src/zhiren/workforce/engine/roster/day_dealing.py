"""Day dealing: integer shift counts per (group, day, option) to named agents.

The LP relaxation (`roster.lp_guidance`) says how many agents of each skill
group should work each concrete shift on each day. This module deals those
counts out to named agents, day by day in calendar order, with one
minimum-cost assignment (`scipy.optimize.linear_sum_assignment`) per group
and day: rows are the group's agents, columns are the day's shift units (one
per wanted agent on an option) plus one "day off" column per agent.

* A unit an agent may not take (leave, availability, rest after the previous
  shift, transition bans, consecutive days, rest days, weekly maximum) is
  forbidden; every other unit carries a large reward, so as many units as
  possible are filled.
* Among the agents, those with the most remaining weekly capacity per
  remaining available day are preferred (the rule that realises a weekly
  degree sequence when one exists), and an agent who can only reach the
  contract minimum by working today pays a large price for a day off.
* Smaller terms keep an agent on yesterday's template (so tomorrow's options
  stay open), avoid long runs of working days, and respect wishes and the
  weekend/late balance.

Units no agent could take are placed afterwards along augmenting chains
(`place_left_over_units`). The week dealing (`week_dealing`) is the default;
this one deals the days it did not finish in time, or everything on request.
(Earlier versions called this step "disaggregation"; the solver's report
still names its step so.)

The result has no break placement; `greedy.greedy_roster(initial=...)`
places breaks, tops up contract minimums and runs the local search.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .dealing import DealingInput, DealtRoster
from .problem import (
    AllowedOptions,
    DealtDays,
    RosterProblem,
    ShiftCounts,
    ShiftTargets,
    ShiftTemplate,
    SkillGroup,
    SkillGroups,
)
from .schedule import Schedule

__all__ = ["deal_days", "place_left_over_units", "round_targets"]

_FORBIDDEN = 1e9
_UNIT_REWARD = 1e5  # every unit filled: as many as possible are
_MUST_WORK = 1e6  # a day off that makes the contract minimum unreachable
# the smaller terms of an agent's cost for a unit
_URGENCY = 200.0  # x remaining weekly capacity per remaining available day
_PER_RUN_DAY = 3.0  # x days worked in a row before today
_PER_WEEKEND_DAY = 2.0  # x weekend days so far (on a weekend day)
_WISHED_DAY_OFF = 20.0
_OTHER_TEMPLATE_THAN_YESTERDAY = 8.0
_NOT_A_WISHED_SHIFT = 15.0
_PER_LATE_SHIFT = 2.0  # x late shifts so far (on a late shift)


def round_targets(targets: ShiftTargets) -> ShiftCounts:
    """Integer counts per group and day by cumulative rounding.

    Options are taken in index order (template, then start), and option ``k``
    gets ``round(F_k) - round(F_{k-1})`` where ``F`` is the running sum of the
    fractional counts. Every running sum stays within half an agent of the
    LP's, so the agents on duty at any time of a template's span stay close to
    the LP's (largest remainders could move a fractional start hours away),
    and the day's total is the rounded LP total.
    """
    by_day: dict[tuple[SkillGroup, int], list[tuple[int, float]]] = {}
    for (group, day, k), v in targets.items():
        if v > 1e-6:
            by_day.setdefault((group, day), []).append((k, v))
    rounded: ShiftCounts = {}
    for key, items in by_day.items():
        counts: dict[int, int] = {}
        running = 0.0
        dealt = 0
        for k, v in sorted(items):
            running += v
            whole = int(running + 0.5 + 1e-9)
            if whole > dealt:
                counts[k] = whole - dealt
                dealt = whole
        rounded[key] = counts
    return rounded


def deal_days(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: AllowedOptions,
    groups: SkillGroups,
    minimum: list[list[int]],
    counts: ShiftCounts,
    deadline: float | None = None,
    *,
    start: DealtDays | None = None,
    first_day: int = 0,
) -> DealtDays:
    """Per agent ``{day: option index}`` realising ``counts`` as far as the rules allow.

    ``counts[(group, day)] = {option: agents}``; ``minimum[a][w]``: contract
    minimum (paid minutes) of agent ``a`` in week block ``w``. ``start``:
    shifts already dealt on the days before ``first_day`` (e.g. the weeks
    the week dealing finished), kept; dealing starts at ``first_day``.
    """
    dealing = DealingInput.of(problem, shapes, allowed, groups, minimum, counts)
    roster = DealtRoster(problem, dealing.shapes)
    for ai, days in enumerate(start or ()):
        for day, k in days.items():
            if day < first_day:
                roster.add(ai, day, k)
    typical = max(1, max((s.template.paid_minutes for s in dealing.shapes), default=480))
    left_over: list[tuple[SkillGroup, int, int]] = []
    for day in range(first_day, problem.days):
        if deadline is not None and time.monotonic() > deadline:
            break
        for group, members in groups.items():
            if members:
                left_over += _deal_group_day(dealing, roster, group, members, day, typical)
    place_left_over_units(
        problem,
        dealing.allowed_sets,
        groups,
        minimum,
        dealing.max_week,
        roster.schedules,
        roster.days,
        left_over,
        deadline,
    )
    return roster.days


def _deal_group_day(
    dealing: DealingInput,
    roster: DealtRoster,
    group: SkillGroup,
    members: list[int],
    day: int,
    typical: int,
) -> list[tuple[SkillGroup, int, int]]:
    """One minimum-cost assignment of the group's agents to the day's units
    (one column per wanted agent on an option) and days off (one column per
    agent); returns the units left over."""
    wanted = dealing.counts.get((group, day), {})
    units = [k for k, n in sorted(wanted.items()) for _ in range(n)]
    ks = sorted(wanted)
    n_agents = len(members)
    # cost per agent and option, then expanded to unit columns
    work = np.full((n_agents, len(ks)), _FORBIDDEN)
    day_off = np.zeros(n_agents)
    week = dealing.problem.weeks()[day // 7]
    for i, ai in enumerate(members):
        need, days_left, urgency = _week_situation(dealing, roster, ai, day, week, typical)
        # the most the week's later days can still add (rest days included)
        later = (days_left - 1) * typical
        if need > 0 and need > later:
            day_off[i] = _MUST_WORK  # the contract minimum needs today's shift
        base = _agent_cost(dealing, roster, ai, day, urgency)
        for j, k in enumerate(ks):
            if dealing.may_add(roster.schedules, ai, day, k):
                work[i, j] = _option_cost(dealing, roster, ai, day, k, base)
                if need > later and need - dealing.shapes[k].template.paid_minutes > later:
                    # too short: the minimum would be out of reach (as a day off is)
                    work[i, j] += _MUST_WORK
    column = {k: j for j, k in enumerate(ks)}
    unit_columns = work[:, [column[k] for k in units]] if units else work[:, :0]
    off_columns = np.full((n_agents, n_agents), _FORBIDDEN)
    np.fill_diagonal(off_columns, day_off)
    cost = np.hstack([unit_columns, off_columns])
    rows, cols = linear_sum_assignment(cost)
    placed: set[int] = set()
    for row, col in zip(rows, cols, strict=True):
        if col >= len(units) or cost[row, col] >= _FORBIDDEN:
            continue
        placed.add(int(col))
        roster.add(members[row], day, units[col])
    return [(group, day, units[c]) for c in range(len(units)) if c not in placed]


def _week_situation(
    dealing: DealingInput, roster: DealtRoster, ai: int, day: int, week: range, typical: int
) -> tuple[int, int, float]:
    """(minutes still needed for the contract, days left in the week the
    agent may still work, today included (available, within the week's rest
    days), urgency: weekly capacity left per day left)."""
    schedule = roster.schedules[ai]
    worked = schedule.week_minutes(day)
    days_left = sum(1 for d in week if d >= day and dealing.allowed[ai][d])
    if len(week) == 7:  # the week's rest days
        rest_days = dealing.problem.rules.min_rest_days_per_week
        days_left = min(days_left, 7 - rest_days - sum(1 for d in week if d in schedule.days))
    need = dealing.minimum[ai][day // 7] - worked
    room = dealing.max_week[ai] - worked
    return need, days_left, room / max(1, days_left * typical)


def _agent_cost(
    dealing: DealingInput, roster: DealtRoster, ai: int, day: int, urgency: float
) -> float:
    """The part of a unit's cost that does not depend on its option: the
    reward, urgency, the run so far, the weekend balance and a wished day off."""
    problem = dealing.problem
    schedule = roster.schedules[ai]
    run = 0
    other = day - 1
    while other in schedule.days:
        run, other = run + 1, other - 1
    cost = -_UNIT_REWARD - _URGENCY * urgency + _PER_RUN_DAY * run
    if problem.is_weekend(day):
        cost += _PER_WEEKEND_DAY * roster.weekend[ai]
    if day in problem.agents[ai].preferred_days_off:
        cost += _WISHED_DAY_OFF
    return cost


def _option_cost(
    dealing: DealingInput, roster: DealtRoster, ai: int, day: int, k: int, base: float
) -> float:
    """``base`` plus the option-dependent part: another template than
    yesterday's, a shift wish not met, the late balance."""
    agent = dealing.problem.agents[ai]
    template = dealing.shapes[k].template
    yesterday = roster.days[ai].get(day - 1)
    cost = base
    if yesterday is not None and dealing.shapes[yesterday].template.name != template.name:
        cost += _OTHER_TEMPLATE_THAN_YESTERDAY
    if agent.preferred_shifts and template.name not in agent.preferred_shifts:
        cost += _NOT_A_WISHED_SHIFT
    if template.late:
        cost += _PER_LATE_SHIFT * roster.late[ai]
    return cost


def place_left_over_units(
    problem: RosterProblem,
    allowed_sets: list[list[set[int]]],
    groups: SkillGroups,
    minimum: list[list[int]],
    max_week: list[int],
    schedules: list[Schedule],
    dealt: DealtDays,
    left_over: list[tuple[SkillGroup, int, int]],
    deadline: float | None,
) -> int:
    """Place units the day-by-day dealing left over, along augmenting chains.

    When the LP uses every agent's weekly hours (demand above capacity), the
    chronological dealing can end a week with a unit (say a late shift on
    Sunday) that no agent with hours left may take under the rules, while
    an agent who may take it has spent its hours earlier in the week. A chain
    moves shifts within the group and the week: agent 1, free on the unit's
    day, takes the unit and gives up its shift on another day (a hole of that
    day and option); agent 2, free that day, fills the hole giving up one of
    its own shifts; ... until an agent with hours left fills the last hole
    without giving anything up. Breadth-first over holes (day, option), every
    step checked with the agent's full schedule (leave, availability, rest,
    bans, consecutive days, rest days, weekly hours, contract minimum), agents
    distinct along a chain; each shift keeps its group, day and option, so
    coverage only gains the unit. Updates ``schedules`` and ``dealt`` in
    place; returns the units placed.
    """
    placed = 0
    shapes = schedules[0].shapes if schedules else []
    same_template = {
        k: [
            other for other in range(len(shapes)) if other != k and shapes[other][0] is shapes[k][0]
        ]
        for k in range(len(shapes))
    }
    for group, day, k in left_over:
        if deadline is not None and time.monotonic() > deadline:
            break
        w = day // 7
        week = list(range(w * 7, min(w * 7 + 7, problem.days)))
        chain = _find_chain(
            groups[group],
            allowed_sets,
            minimum,
            max_week,
            schedules,
            dealt,
            same_template,
            week,
            w,
            (day, k),
            deadline,
        )
        if chain is None:
            continue
        for agent, taken_day, option, given_up in chain:
            if given_up is not None:
                schedules[agent].remove(given_up)
                del dealt[agent][given_up]
            schedules[agent].add(taken_day, option)
            dealt[agent][taken_day] = option
        placed += 1
    return placed


_Fill = tuple[tuple[int, int], int, int]
"""A hole (day, option) of a chain filled: by which agent, with which option."""


def _find_chain(
    members: list[int],
    allowed_sets: list[list[set[int]]],
    minimum: list[list[int]],
    max_week: list[int],
    schedules: list[Schedule],
    dealt: DealtDays,
    same_template: dict[int, list[int]],
    week: list[int],
    w: int,
    unit: tuple[int, int],
    deadline: float | None,
) -> list[tuple[int, int, int, int | None]] | None:
    """The steps ``(agent, day taken, option taken, day given up or None)``
    of the shortest chain that places ``unit`` (day, option), or None."""
    # hole -> (previous hole, agent who filled it (giving this one up), option)
    parent: dict[tuple[int, int], _Fill | None] = {unit: None}
    queue = [unit]
    found: _Fill | None = None
    while queue and found is None:
        if deadline is not None and time.monotonic() > deadline:
            break
        hole_day, hole_option = queue.pop(0)
        for agent in members:
            if hole_day in dealt[agent]:
                continue
            schedule = schedules[agent]
            # the hole's option, else another start of its template
            # (the day phase re-places starts anyway)
            fits = [
                k
                for k in (hole_option, *same_template[hole_option])
                if k in allowed_sets[agent][hole_day]
            ]
            k = next((k for k in fits if schedule.can_add(hole_day, k, max_week[agent])), None)
            if k is not None:
                found = ((hole_day, hole_option), agent, k)
                break
            for other_day in week:
                other_option = dealt[agent].get(other_day)
                if other_option is None or (other_day, other_option) in parent:
                    continue
                schedule.remove(other_day)
                k = next(
                    (
                        k
                        for k in fits
                        if schedule.can_add(hole_day, k, max_week[agent])
                        and schedule.week_minutes(hole_day) + schedule.shapes[k][0].paid_minutes
                        >= minimum[agent][w]
                    ),
                    None,
                )
                schedule.add(other_day, other_option)
                if k is not None:
                    parent[(other_day, other_option)] = ((hole_day, hole_option), agent, k)
                    queue.append((other_day, other_option))
    if found is None:
        return None
    # walk back: each hole is filled by its agent, who gave up the next one
    hole, agent, k = found
    steps: list[tuple[int, int, int, int | None]] = [(agent, hole[0], k, None)]
    while (filled := parent[hole]) is not None:
        previous, previous_agent, previous_option = filled
        steps.append((previous_agent, previous[0], previous_option, hole[0]))
        hole = previous
    if len({step[0] for step in steps}) != len(steps):
        return None  # an agent twice on the chain: its checks do not compose
    return steps
