"""Week-aware dealing: which agent works which day and template, week by week.

The day-by-day dealing (`roster_disaggregate.disaggregate`) fills one day at a
time; when the LP uses every agent's weekly hours, the last days of a week
can find no agent whose week still allows the shift (hours used up, rest or
bans around shifts dealt earlier). Here each week and skill group is one
small MIP (HiGHS via `roster_lp.solve_milp_arrays`) over per-agent binaries
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
minimums (topped up afterwards by `greedy_roster`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .roster_greedy import Schedule
from .roster_problem import MINUTES_PER_DAY, SLOT_MINUTES, RosterProblem, ShiftTemplate

__all__ = ["deal_weeks"]

_FORBIDDEN = 1e9


def _pair_ok(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    by_template: dict[int, list[int]],
    t1: int,
    t2: int,
) -> bool:
    """Some start of template ``t1`` on a day and of ``t2`` on the next may be combined."""
    rules = problem.rules
    a, b = shapes[by_template[t1][0]][0], shapes[by_template[t2][0]][0]
    if (a.kind, b.kind) in set(rules.banned_transitions):
        return False
    first_end = min(s + a.length_minutes for k in by_template[t1] for s in [shapes[k][1]])
    last_start = max(MINUTES_PER_DAY + shapes[k][1] for k in by_template[t2])
    return last_start - first_end >= rules.min_rest_minutes


def deal_weeks(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: list[list[list[int]]],
    groups: dict[tuple[str, ...], list[int]],
    minimum: list[list[int]],
    counts: dict[tuple[tuple[str, ...], int], dict[int, int]],
    deadline: float | None = None,
    *,
    targets: dict[tuple[tuple[str, ...], int, int], float] | None = None,
    slack: dict[tuple[str, int], tuple[float, float]] | None = None,
    short: float = 2000.0,
    surplus: float = 300.0,
    relative_gap: float = 1e-3,
    done: list[int] | None = None,
) -> list[dict[int, int]] | None:
    """Per agent ``{day: option index}``; ``None`` when a week's MIP found nothing in time.

    ``counts``: the rounded LP counts per (group, day) and option (the starts
    dealt); ``targets``: the LP's fractional counts (per day and template
    they replace the rounded totals, so the MIP chooses the integer split);
    ``slack``: the LP's (under, over) per (queue, slot), which prices a
    missing or surplus agent of a template on a day along its span (without
    it every missing agent costs ``short``, every surplus one ``surplus``).

    ``done``: when given, running out of time returns the weeks dealt so far
    (nothing on the later days) instead of ``None``, and the first day not
    dealt is appended to it (``problem.days`` when every week was).
    """
    from .roster_lp import solve_milp_arrays

    p = problem
    rules = p.rules
    n_templates = 0
    tmpl_ids: dict[int, int] = {}
    tmpl_of: list[int] = []
    for t, _ in shapes:
        if id(t) not in tmpl_ids:
            tmpl_ids[id(t)] = n_templates
            n_templates += 1
        tmpl_of.append(tmpl_ids[id(t)])
    by_template: dict[int, list[int]] = {}
    for k, ti in enumerate(tmpl_of):
        by_template.setdefault(ti, []).append(k)
    template = {ti: shapes[ks[0]][0] for ti, ks in by_template.items()}
    pair_ok = {
        (t1, t2): _pair_ok(p, shapes, by_template, t1, t2)
        for t1 in by_template
        for t2 in by_template
    }
    max_week = [min(a.max_minutes_week, rules.max_minutes_per_week) for a in p.agents]
    sched = [Schedule(p, shapes) for _ in p.agents]
    result: list[dict[int, int]] = [{} for _ in p.agents]
    allowed_sets = [[set(day) for day in row] for row in allowed]
    weekend = [0] * len(p.agents)
    late = [0] * len(p.agents)
    mc = rules.max_consecutive_days

    def out_of_time(first_day: int) -> list[dict[int, int]] | None:
        if done is None:
            return None
        done.append(first_day)
        return [{d: k for d, k in days.items() if d < first_day} for days in result]

    for w, week in enumerate(p.weeks()):
        days = list(week)
        for g, members in groups.items():
            if deadline is not None and time.monotonic() > deadline:
                return out_of_time(week.start)
            if not members:
                continue
            # variables: x[a, d, t]; per (d, t) up1, up, down (see below); contract slack[a]
            var: dict[tuple[int, int, int], int] = {}
            cost: list[float] = []
            for ai in members:
                agent = p.agents[ai]
                s = sched[ai]
                for d in days:
                    for ti, ks in by_template.items():
                        opts = [k for k in ks if k in allowed_sets[ai][d]]
                        if d == days[0] and d > 0:
                            opts = [k for k in opts if s.can_add(d, k, max_week[ai])]
                        if not opts:
                            continue
                        t = template[ti]
                        c = 0.0
                        if agent.preferred_shifts and t.name not in agent.preferred_shifts:
                            c += p.weights.preferred_shift
                        if d in agent.preferred_days_off:
                            c += p.weights.preferred_day_off
                        # balance: a little per weekend day / late shift so far,
                        # well below a wish (a spread costs once per horizon)
                        if p.is_weekend(d):
                            c += 0.5 * weekend[ai]
                        if t.late:
                            c += 0.25 * late[ai]
                        var[(ai, d, ti)] = len(cost)
                        cost.append(c)
            link: dict[tuple[int, int], int] = {}
            for d in days:
                for ti in by_template:
                    link[(d, ti)] = len(cost)
                    cost += [0.0, surplus, short]  # first unit above, more above, below
            slack = {ai: len(cost) + i for i, ai in enumerate(members)}
            cost += [10.0 * short / max(1, min(t.paid_minutes for t in template.values()))] * len(
                members
            )  # per minute below the contract minimum: worse than ten missing shifts
            n = len(cost)
            rows: list[list[tuple[int, float]]] = []
            lo: list[float] = []
            hi: list[float] = []

            def add(terms, lower, upper, rows=rows, lo=lo, hi=hi):
                if terms:
                    rows.append(terms)
                    lo.append(lower)
                    hi.append(upper)

            ub = np.ones(n)
            for ai in members:
                s = sched[ai]
                worked = {
                    d: [var[(ai, d, ti)] for ti in by_template if (ai, d, ti) in var] for d in days
                }
                for d in days:
                    add([(v, 1.0) for v in worked[d]], 0.0, 1.0)
                minutes = [
                    (var[(ai, d, ti)], float(template[ti].paid_minutes))
                    for d in days
                    for ti in by_template
                    if (ai, d, ti) in var
                ]
                add(minutes, -np.inf, float(max_week[ai]))
                need = minimum[ai][w]
                ub[slack[ai]] = float(max(0, need))
                add(minutes + [(slack[ai], 1.0)], float(need), np.inf)
                if len(days) == 7:
                    add(
                        [(v, 1.0) for d in days for v in worked[d]],
                        0.0,
                        7.0 - rules.min_rest_days_per_week,
                    )
                run = 0
                dd = days[0] - 1
                while dd in s.days:
                    run, dd = run + 1, dd - 1
                run = min(run, mc)
                # windows of mc + 1 days over (previous run, this week)
                ext = [None] * run + days
                for i0 in range(len(ext) - mc):
                    window = ext[i0 : i0 + mc + 1]
                    fixed = sum(1 for x in window if x is None)
                    terms = [(v, 1.0) for x in window if x is not None for v in worked[x]]
                    add(terms, 0.0, float(mc - fixed))
                for d in days[:-1]:
                    for (t1, t2), ok in pair_ok.items():
                        if ok:
                            continue
                        a_ = var.get((ai, d, t1))
                        b_ = var.get((ai, d + 1, t2))
                        if a_ is not None and b_ is not None:
                            add([(a_, 1.0), (b_, 1.0)], 0.0, 1.0)
            # per day and template the agents y against the LP's count F: with
            # y = floor(F) + up1 + up - down, up1 <= 1, the convex piecewise
            # linear price of y is exact at every integer (a fractional F
            # costs its rounding), so the LP relaxation does not fill a
            # fractional F with fractional agents for free
            integral = np.ones(n)
            for d in days:
                wanted = counts.get((g, d), {})
                for ti, ks in by_template.items():
                    j = link[(d, ti)]
                    if targets is not None:
                        tgt = sum(targets.get((g, d, k), 0.0) for k in ks)
                    else:
                        tgt = float(sum(wanted.get(k, 0) for k in ks))
                    fewer, more = short, surplus
                    if slack is not None:
                        fewer, more = _prices(p, shapes, g, d, ks, targets, slack)
                    floor = int(tgt + 1e-6)
                    frac = max(0.0, tgt - floor)
                    cost[j] = (1.0 - frac) * more - frac * fewer
                    cost[j + 1] = more
                    cost[j + 2] = fewer
                    integral[j : j + 3] = 0
                    ub[j] = 1.0
                    ub[j + 1] = float(len(members))
                    ub[j + 2] = float(floor)
                    terms = [(var[(ai, d, ti)], 1.0) for ai in members if (ai, d, ti) in var]
                    add(terms + [(j, -1.0), (j + 1, -1.0), (j + 2, 1.0)], floor, floor)
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0.05:
                return out_of_time(week.start)
            x = solve_milp_arrays(
                np.array(cost),
                rows,
                lo,
                hi,
                np.zeros(n),
                ub,
                30.0 if left is None else left,
                relative_gap=relative_gap,
                integrality=integral,
            )
            if x is None:
                return out_of_time(week.start)
            on = {key for key, j in var.items() if x[j] > 0.5}
            _deal_starts(
                p,
                shapes,
                by_template,
                allowed_sets,
                max_week,
                sched,
                result,
                counts,
                g,
                members,
                days,
                on,
                weekend,
                late,
            )
    if done is not None:
        done.append(p.days)
    return result


def _prices(p, shapes, g, d, ks, targets, slack) -> tuple[float, float]:
    """Cost of one agent fewer / more than the LP on template ``ks`` on day ``d``.

    Along the span of the template's LP-weighted mean start (breaks ignored),
    each slot costs, for the group's cheapest queue, ``under`` when the LP
    leaves no surplus there (one fewer agent opens a gap), else saves
    ``over``; one more agent saves ``under`` where the LP is short, else
    costs ``over``.
    """
    wt = p.weights
    t = shapes[ks[0]][0]
    weights = [(targets or {}).get((g, d, k), 0.0) for k in ks]
    total = sum(weights)
    if total > 1e-9:
        start = sum(w * shapes[k][1] for w, k in zip(weights, ks, strict=True)) / total
    else:
        start = sum(shapes[k][1] for k in ks) / len(ks)
    first = int(round((d * MINUTES_PER_DAY + start) / SLOT_MINUTES))
    fewer = more = 0.0
    for s in range(first, min(first + t.length_minutes // SLOT_MINUTES, p.num_slots)):
        under_over = [slack.get((q, s), (0.0, 0.0)) for q in g]
        fewer += min(-wt.over if o >= 0.5 else wt.under for _, o in under_over)
        more += min(-wt.under if u >= 0.5 else wt.over for u, _ in under_over)
    # a missing and a surplus agent together must cost something
    fewer = max(fewer, 1.0 - more)
    return fewer, more


def _deal_starts(
    p,
    shapes,
    by_template,
    allowed_sets,
    max_week,
    sched,
    result,
    counts,
    g,
    members,
    days,
    on,
    weekend,
    late,
) -> None:
    """Give each day's agents of a template the LP's starts of that template."""
    for d in days:
        wanted = counts.get((g, d), {})
        for ti, ks in by_template.items():
            agents = [ai for ai in members if (ai, d, ti) in on]
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
                prev = result[ai].get(d - 1)
                for j, k in enumerate(distinct):
                    if k in allowed_sets[ai][d] and sched[ai].can_add(d, k, max_week[ai]):
                        c = 0.0
                        if prev is not None:
                            c += abs(shapes[prev][1] - shapes[k][1]) / 60.0
                        per_option[i, j] = c
            column = {k: j for j, k in enumerate(distinct)}
            cost = per_option[:, [column[k] for k in units]]
            rows, cols = linear_sum_assignment(cost)
            for i, j in zip(rows, cols, strict=True):
                ai = agents[i]
                k = units[j] if cost[i, j] < _FORBIDDEN else None
                if k is None:
                    k = next(
                        (
                            kk
                            for kk in reversed(ks)
                            if kk in allowed_sets[ai][d] and sched[ai].can_add(d, kk, max_week[ai])
                        ),
                        None,
                    )
                if k is None:
                    continue
                sched[ai].add(d, k)
                result[ai][d] = k
                if p.is_weekend(d):
                    weekend[ai] += 1
                if shapes[k][0].late:
                    late[ai] += 1
