"""Disaggregation: integer shift counts per (group, day, option) to named agents.

The LP relaxation (`roster._lp_guidance`) says how many agents of each skill
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

The result has no break placement; `roster_greedy.greedy_roster(initial=...)`
places breaks, tops up contract minimums and runs the local search.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .roster_greedy import Schedule
from .roster_problem import RosterProblem, ShiftTemplate

__all__ = ["disaggregate", "round_targets"]

_FORBIDDEN = 1e9
_UNIT_REWARD = 1e5
_MUST_WORK = 1e6


def round_targets(
    targets: dict[tuple[tuple[str, ...], int, int], float],
) -> dict[tuple[tuple[str, ...], int], dict[int, int]]:
    """Integer counts per group and day by cumulative rounding.

    Options are taken in index order (template, then start), and option ``k``
    gets ``round(F_k) - round(F_{k-1})`` where ``F`` is the running sum of the
    fractional counts. Every running sum stays within half an agent of the
    LP's, so the agents on duty at any time of a template's span stay close to
    the LP's (largest remainders could move a fractional start hours away),
    and the day's total is the rounded LP total.
    """
    by_day: dict[tuple[tuple[str, ...], int], list[tuple[int, float]]] = {}
    for (g, d, k), v in targets.items():
        if v > 1e-6:
            by_day.setdefault((g, d), []).append((k, v))
    out: dict[tuple[tuple[str, ...], int], dict[int, int]] = {}
    for key, items in by_day.items():
        counts: dict[int, int] = {}
        running = 0.0
        done = 0
        for k, v in sorted(items):
            running += v
            whole = int(running + 0.5 + 1e-9)
            if whole > done:
                counts[k] = whole - done
                done = whole
        out[key] = counts
    return out


def disaggregate(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: list[list[list[int]]],
    groups: dict[tuple[str, ...], list[int]],
    minimum: list[list[int]],
    counts: dict[tuple[tuple[str, ...], int], dict[int, int]],
    deadline: float | None = None,
    *,
    start: list[dict[int, int]] | None = None,
    first_day: int = 0,
) -> list[dict[int, int]]:
    """Per agent ``{day: option index}`` realising ``counts`` as far as the rules allow.

    ``counts[(group, day)] = {option: agents}``; ``minimum[a][w]``: contract
    minimum (paid minutes) of agent ``a`` in week block ``w``. ``start``:
    shifts already dealt on the days before ``first_day`` (e.g. the weeks
    the week dealing finished), kept; dealing starts at ``first_day``.
    """
    p = problem
    rules = p.rules
    weeks = p.weeks()
    max_week = [min(a.max_minutes_week, rules.max_minutes_per_week) for a in p.agents]
    sched = [Schedule(p, shapes) for _ in p.agents]
    result: list[dict[int, int]] = [{} for _ in p.agents]
    allowed_sets = [[set(day) for day in row] for row in allowed]
    typical = max(1, max((t.paid_minutes for t, _ in shapes), default=480))
    weekend = [0] * len(p.agents)
    late = [0] * len(p.agents)
    left_over: list[tuple[tuple[str, ...], int, int]] = []
    for ai, days in enumerate(start or ()):
        for d, k in days.items():
            if d < first_day:
                sched[ai].add(d, k)
                result[ai][d] = k
                weekend[ai] += p.is_weekend(d)
                late[ai] += shapes[k][0].late
    for d in range(first_day, p.days):
        if deadline is not None and time.monotonic() > deadline:
            break
        w = d // 7
        week = weeks[w]
        for g, members in groups.items():
            wanted = counts.get((g, d), {})
            units = [k for k, n in sorted(wanted.items()) for _ in range(n)]
            ks = sorted(wanted)
            n_agents = len(members)
            if not n_agents:
                continue
            # cost per agent and option, then expanded to unit columns
            work = np.full((n_agents, len(ks)), _FORBIDDEN)
            off = np.zeros(n_agents)
            for i, ai in enumerate(members):
                agent = p.agents[ai]
                s = sched[ai]
                worked = s.week_minutes(d)
                days_left = sum(1 for dd in week if dd >= d and allowed[ai][dd])
                need = minimum[ai][w] - worked
                room = max_week[ai] - worked
                if need > 0 and need > (days_left - 1) * typical:
                    off[i] = _MUST_WORK
                urgency = room / max(1, days_left * typical)
                run = 0
                dd = d - 1
                while dd in s.days:
                    run, dd = run + 1, dd - 1
                prev = result[ai].get(d - 1)
                prev_t = shapes[prev][0] if prev is not None else None
                base = -_UNIT_REWARD - 200.0 * urgency + 3.0 * run
                if p.is_weekend(d):
                    base += 2.0 * weekend[ai]
                if d in agent.preferred_days_off:
                    base += 20.0
                for j, k in enumerate(ks):
                    if k not in allowed_sets[ai][d] or not s.can_add(d, k, max_week[ai]):
                        continue
                    t = shapes[k][0]
                    c = base
                    if prev_t is not None and prev_t.name != t.name:
                        c += 8.0
                    if agent.preferred_shifts and t.name not in agent.preferred_shifts:
                        c += 15.0
                    if t.late:
                        c += 2.0 * late[ai]
                    work[i, j] = c
            col_of = {k: j for j, k in enumerate(ks)}
            unit_cols = work[:, [col_of[k] for k in units]] if units else work[:, :0]
            off_cols = np.full((n_agents, n_agents), _FORBIDDEN)
            np.fill_diagonal(off_cols, off)
            cost = np.hstack([unit_cols, off_cols])
            rows, cols = linear_sum_assignment(cost)
            placed = set()
            for i, c in zip(rows, cols, strict=True):
                if c >= len(units) or cost[i, c] >= _FORBIDDEN:
                    continue
                placed.add(int(c))
                ai = members[i]
                k = units[c]
                sched[ai].add(d, k)
                result[ai][d] = k
                if p.is_weekend(d):
                    weekend[ai] += 1
                if shapes[k][0].late:
                    late[ai] += 1
            left_over += [(g, d, units[c]) for c in range(len(units)) if c not in placed]
    _augment(p, allowed_sets, groups, minimum, max_week, sched, result, left_over, deadline)
    return result


def _augment(
    p: RosterProblem,
    allowed_sets: list[list[set[int]]],
    groups: dict[tuple[str, ...], list[int]],
    minimum: list[list[int]],
    max_week: list[int],
    sched: list[Schedule],
    result: list[dict[int, int]],
    left_over: list[tuple[tuple[str, ...], int, int]],
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
    coverage only gains the unit. Returns the units placed.
    """
    placed = 0
    shapes = sched[0].shapes if sched else []
    similar = {
        k: [kk for kk in range(len(shapes)) if kk != k and shapes[kk][0] is shapes[k][0]]
        for k in range(len(shapes))
    }
    for g, d, k in left_over:
        if deadline is not None and time.monotonic() > deadline:
            break
        members = groups[g]
        w = d // 7
        week = list(range(w * 7, min(w * 7 + 7, p.days)))
        # hole -> (previous hole, agent who filled it (giving this one up), option)
        parent: dict[tuple[int, int], tuple | None] = {(d, k): None}
        queue = [(d, k)]
        found = None
        while queue and found is None:
            if deadline is not None and time.monotonic() > deadline:
                break
            hd, hk = queue.pop(0)
            for x in members:
                if hd in result[x]:
                    continue
                sx = sched[x]
                # the hole's option, else another start of its template
                # (the day phase re-places starts anyway)
                fits = [kk for kk in (hk, *similar[hk]) if kk in allowed_sets[x][hd]]
                kk = next((kk for kk in fits if sx.can_add(hd, kk, max_week[x])), None)
                if kk is not None:
                    found = ((hd, hk), x, kk)
                    break
                for d2 in week:
                    k2 = result[x].get(d2)
                    if k2 is None or (d2, k2) in parent:
                        continue
                    sx.remove(d2)
                    kk = next(
                        (
                            kk
                            for kk in fits
                            if sx.can_add(hd, kk, max_week[x])
                            and sx.week_minutes(hd) + sx.shapes[kk][0].paid_minutes >= minimum[x][w]
                        ),
                        None,
                    )
                    sx.add(d2, k2)
                    if kk is not None:
                        parent[(d2, k2)] = ((hd, hk), x, kk)
                        queue.append((d2, k2))
        if found is None:
            continue
        # walk back: each hole is filled by its agent, who gave up the next one
        steps = []  # (agent, day taken, option taken, day given up or None)
        hole, x, kk = found
        steps.append((x, hole[0], kk, None))
        while parent[hole] is not None:
            prev, px, pk = parent[hole]
            steps.append((px, prev[0], pk, hole[0]))
            hole = prev
        if len({s[0] for s in steps}) != len(steps):
            continue  # an agent twice on the chain: its checks do not compose
        for ax, day, opt, gave in steps:
            if gave is not None:
                sched[ax].remove(gave)
                del result[ax][gave]
            sched[ax].add(day, opt)
            result[ax][day] = opt
        placed += 1
    return placed
