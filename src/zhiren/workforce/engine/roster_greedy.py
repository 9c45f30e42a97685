"""Greedy construction of a complete, rule-abiding roster (a CP-SAT start).

Day by day, repeatedly add the shift (skill group, template, start, break
placement) with the largest marginal coverage value, given to the eligible
agent of that group who most needs hours (and whose wishes it meets), while
that value is positive. Afterwards agents below their contract minimum are
topped up with their best-valued allowed shift. Every labour rule is checked
per agent, so the result is feasible for the full model and CP-SAT starts
improving from a complete solution instead of searching for one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .roster_problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    RosterProblem,
    ShiftTemplate,
)

__all__ = ["Schedule", "greedy_roster"]

Choice = tuple[int, tuple[int, ...]]  # option index, break offsets (minutes after start)


class Schedule:
    """One agent's shifts so far, with the labour-rule checks for adding one."""

    def __init__(self, problem: RosterProblem, shapes: Sequence[tuple[ShiftTemplate, int]]):
        self.p = problem
        self.shapes = shapes
        self.days: dict[int, int] = {}  # day -> option index
        self.minutes: dict[int, int] = {}  # week block -> paid minutes

    def _span(self, d: int, k: int) -> tuple[int, int]:
        t, s = self.shapes[k]
        return d * MINUTES_PER_DAY + s, d * MINUTES_PER_DAY + s + t.length_minutes

    def week_minutes(self, d: int) -> int:
        return self.minutes.get(d // 7, 0)

    def add(self, d: int, k: int) -> None:
        self.days[d] = k
        self.minutes[d // 7] = self.minutes.get(d // 7, 0) + self.shapes[k][0].paid_minutes

    def remove(self, d: int) -> None:
        k = self.days.pop(d)
        self.minutes[d // 7] -= self.shapes[k][0].paid_minutes

    def can_add(self, d: int, k: int, max_week: int) -> bool:
        p, rules = self.p, self.p.rules
        if d in self.days:
            return False
        t = self.shapes[k][0]
        if self.week_minutes(d) + t.paid_minutes > max_week:
            return False
        start, end = self._span(d, k)
        for dd in range(d - 1, -1, -1):
            if dd in self.days:
                if start - self._span(dd, self.days[dd])[1] < rules.min_rest_minutes:
                    return False
                break
            if (d - dd) * MINUTES_PER_DAY > rules.min_rest_minutes + MINUTES_PER_DAY:
                break
        for dd in range(d + 1, p.days):
            if dd in self.days:
                if self._span(dd, self.days[dd])[0] - end < rules.min_rest_minutes:
                    return False
                break
            if (dd - d) * MINUTES_PER_DAY > rules.min_rest_minutes + 2 * MINUTES_PER_DAY:
                break
        kind = t.kind
        for ka, kb in rules.banned_transitions:
            if d - 1 in self.days and self.shapes[self.days[d - 1]][0].kind == ka and kind == kb:
                return False
            if d + 1 in self.days and kind == ka and self.shapes[self.days[d + 1]][0].kind == kb:
                return False
        run = 1
        dd = d - 1
        while dd in self.days:
            run, dd = run + 1, dd - 1
        dd = d + 1
        while dd in self.days:
            run, dd = run + 1, dd + 1
        if run > rules.max_consecutive_days:
            return False
        w0 = d - d % 7
        if min(w0 + 7, p.days) - w0 == 7:
            worked = sum(1 for dd in range(w0, w0 + 7) if dd in self.days)
            if worked + 1 > 7 - rules.min_rest_days_per_week:
                return False
        return True


def greedy_roster(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: list[list[list[int]]],
    groups: dict[tuple[str, ...], list[int]],
    minimum: list[list[int]],
    targets: dict[tuple[tuple[str, ...], int, int], float] | None = None,
    mode: str = "deal",
    passes: int = 3,
    deadline: float | None = None,
    initial: list[dict[int, int]] | None = None,
) -> list[dict[int, Choice]]:
    """Return per agent ``{day: (option index, break offsets)}``.

    ``shapes[k]``: option ``k`` as (template, start minute); ``allowed[a][d]``:
    options agent ``a`` may take on day ``d``; ``minimum[a][w]``: contract
    minimum (minutes) of week block ``w``; ``targets[(group, d, k)]``: a
    (fractional) number of agents of the group wanted on option ``k`` of day
    ``d``, e.g. from the LP relaxation. With targets, a day uses at most the
    rounded-up target of each option and about the targets' total paid hours;
    other options wait for the contract top-up. ``initial``: per agent
    ``{day: option}`` (e.g. from `roster_disaggregate.disaggregate`) replaces
    the construction; its breaks are placed, contract minimums topped up and
    the local search run as usual.
    """
    p = problem
    if targets is None:
        mode = "gain"
    wt = p.weights
    n_slots = p.num_slots
    queues = list(p.demand)
    qi = {q: i for i, q in enumerate(queues)}
    demand = np.array([p.demand[q] for q in queues], dtype=np.int64)
    cover = np.zeros_like(demand)
    # padding so shifts running past the horizon index safely (value 0 there)
    pad = 2 * SLOTS_PER_DAY
    sched = [Schedule(p, shapes) for _ in p.agents]
    allowed_sets = [[set(day) for day in row] for row in allowed]
    max_week = [min(a.max_minutes_week, p.rules.max_minutes_per_week) for a in p.agents]
    weekend = [0] * len(p.agents)
    late = [0] * len(p.agents)
    result: list[dict[int, Choice]] = [{} for _ in p.agents]
    group_list = list(groups)
    group_q = [np.array([qi[q] for q in g]) for g in group_list]
    group_of = {ai: gi for gi, g in enumerate(group_list) for ai in groups[g]}

    # option geometry, grouped by template for vectorised break evaluation
    slot_len = [t.length_minutes // SLOT_MINUTES for t, _ in shapes]
    start_slot = [s // SLOT_MINUTES for _, s in shapes]

    def marginal(gi: int) -> np.ndarray:
        """Value of one more agent of group ``gi`` in each slot (best queue)."""
        rows = group_q[gi]
        short = cover[rows] < demand[rows]
        val = np.where(short, wt.under, -wt.over).max(axis=0)
        out = np.zeros(n_slots + pad, dtype=np.int64)
        out[:n_slots] = val
        return out

    def best_breaks(prefix: np.ndarray, base: int, k: int) -> tuple[int, tuple[int, ...]]:
        t = shapes[k][0]
        loss = 0
        offs = []
        earliest = 0
        for br in t.breaks:
            length = br.length_minutes // SLOT_MINUTES
            best = None
            for off in range(max(br.earliest_after, earliest), br.latest_after + 1, SLOT_MINUTES):
                bs = base + off // SLOT_MINUTES
                v = prefix[bs + length] - prefix[bs]
                if best is None or v < best[0]:
                    best = (v, off)
            assert best is not None  # validated: windows allow an ordered placement
            loss += best[0]
            offs.append(best[1])
            earliest = best[1] + br.length_minutes
        return loss, tuple(offs)

    served: dict[tuple[int, int], dict[int, int]] = {}  # (agent, day) -> slot -> queue row

    def work(ai: int, d: int, gi: int, s: int) -> None:
        rows = group_q[gi]
        gaps = demand[rows, s] - cover[rows, s]
        q = int(rows[int(np.argmax(gaps))])
        cover[q, s] += 1
        served[(ai, d)][s] = q

    def rest(ai: int, d: int, s: int) -> None:
        q = served[(ai, d)].pop(s, None)
        if q is not None:
            cover[q, s] -= 1

    def apply(ai: int, gi: int, d: int, k: int, offs: tuple[int, ...]) -> None:
        base = d * SLOTS_PER_DAY + start_slot[k]
        t = shapes[k][0]
        off_slots = set()
        for off, br in zip(offs, t.breaks, strict=False):
            s0 = base + off // SLOT_MINUTES
            off_slots.update(range(s0, s0 + br.length_minutes // SLOT_MINUTES))
        served[(ai, d)] = {}
        for s in range(base, min(base + slot_len[k], n_slots)):
            if s not in off_slots:
                work(ai, d, gi, s)

    def remove(ai: int, d: int) -> None:
        k, _ = result[ai].pop(d)
        for s in list(served[(ai, d)]):
            rest(ai, d, s)
        del served[(ai, d)]
        del sched[ai].days[d]
        sched[ai].minutes[d // 7] -= shapes[k][0].paid_minutes
        if p.is_weekend(d):
            weekend[ai] -= 1
        if shapes[k][0].late:
            late[ai] -= 1

    def best_option(ai: int, gi: int, d: int) -> tuple[float, int, tuple[int, ...]] | None:
        prefix = np.concatenate(([0], np.cumsum(marginal(gi))))
        best = None
        for ti, ks_all in by_template.items():
            ks = [
                k
                for k in ks_all
                if k in allowed_sets[ai][d] and sched[ai].can_add(d, k, max_week[ai])
            ]
            if not ks:
                continue
            gains = option_gains(prefix, d, np.array(ks), templates[ti])
            j = int(np.argmax(gains))
            if best is None or gains[j] > best[0]:
                best = (float(gains[j]), ks[j])
        if best is None:
            return None
        _, k = best
        base = d * SLOTS_PER_DAY + start_slot[k]
        loss, offs = best_breaks(prefix, base, k)
        return float(prefix[base + slot_len[k]] - prefix[base] - loss), k, offs

    def improve_shifts(passes: int, deadline: float | None) -> None:
        """Local search: move each shift to its best start/template that day,
        drop it when it only adds over-staffing and the contract allows, and
        add shifts on free days where they cover a shortfall."""
        for _ in range(passes):
            changed = 0
            for ai in range(len(p.agents)):
                if deadline is not None and time.monotonic() > deadline:
                    return
                gi = group_of[ai]
                for d in range(p.days):
                    if d in result[ai]:
                        k_old, offs_old = result[ai][d]
                        remove(ai, d)
                        prefix = np.concatenate(([0], np.cumsum(marginal(gi))))
                        base = d * SLOTS_PER_DAY + start_slot[k_old]
                        loss = sum(
                            prefix[base + o // SLOT_MINUTES + br.length_minutes // SLOT_MINUTES]
                            - prefix[base + o // SLOT_MINUTES]
                            for o, br in zip(offs_old, shapes[k_old][0].breaks, strict=True)
                        )
                        old_gain = float(prefix[base + slot_len[k_old]] - prefix[base] - loss)
                        cand = best_option(ai, gi, d)
                        target_day = d
                        paid_old = shapes[k_old][0].paid_minutes
                        need = minimum[ai][d // 7] - sched[ai].week_minutes(d)
                        can_drop = need <= 0
                        # or move the shift to a free day of the same week
                        w0 = d - d % 7
                        for dd in range(w0, min(w0 + 7, p.days)):
                            if dd == d or dd in result[ai]:
                                continue
                            other = best_option(ai, gi, dd)
                            if (
                                other is not None
                                and (cand is None or other[0] > cand[0])
                                and shapes[other[1]][0].paid_minutes >= need
                            ):
                                cand, target_day = other, dd
                        if cand is not None and cand[0] > old_gain + 1e-9:
                            take(ai, gi, target_day, cand[1], cand[2])
                            changed += 1
                        elif can_drop and old_gain < 0 and paid_old > 0:
                            changed += 1
                        else:
                            take(ai, gi, d, k_old, offs_old)
                    else:
                        cand = best_option(ai, gi, d)
                        if cand is not None and cand[0] > 0:
                            take(ai, gi, d, cand[1], cand[2])
                            changed += 1
            if not changed:
                break

    def polish_breaks(passes: int, deadline: float | None) -> None:
        """Move each break to its best place given everybody else's shifts."""
        for _ in range(passes):
            moved = 0
            for ai, days in enumerate(result):
                if deadline is not None and time.monotonic() > deadline:
                    return
                gi = group_of[ai]
                for d, (k, offs) in list(days.items()):
                    t = shapes[k][0]
                    if not t.breaks:
                        continue
                    base = d * SLOTS_PER_DAY + start_slot[k]
                    new = list(offs)
                    for bi, br in enumerate(t.breaks):
                        bl = br.length_minutes // SLOT_MINUTES
                        s0 = base + new[bi] // SLOT_MINUTES
                        for s in range(s0, min(s0 + bl, n_slots)):
                            work(ai, d, gi, s)
                        lo = br.earliest_after
                        if bi > 0:
                            lo = max(lo, new[bi - 1] + t.breaks[bi - 1].length_minutes)
                        hi = br.latest_after
                        if bi + 1 < len(t.breaks):
                            hi = min(hi, new[bi + 1] - br.length_minutes)
                        best = None
                        for off in range(lo, hi + 1, SLOT_MINUTES):
                            b0 = base + off // SLOT_MINUTES
                            cost = 0
                            for s in range(b0, min(b0 + bl, n_slots)):
                                q = served[(ai, d)].get(s)
                                if q is not None:
                                    surplus = cover[q, s] - demand[q, s]
                                    cost += wt.under if surplus <= 0 else -wt.over
                                    cost -= 1e-3 * surplus
                            if best is None or cost < best[0]:
                                best = (cost, off)
                        assert best is not None
                        if best[1] != new[bi]:
                            moved += 1
                        new[bi] = best[1]
                        b0 = base + new[bi] // SLOT_MINUTES
                        for s in range(b0, min(b0 + bl, n_slots)):
                            rest(ai, d, s)
                    days[d] = (k, tuple(new))
            if not moved:
                break

    def priority(ai: int, d: int, k: int) -> tuple:
        agent = p.agents[ai]
        t = shapes[k][0]
        wish = 0
        if agent.preferred_shifts and t.name not in agent.preferred_shifts:
            wish += 1
        if d in agent.preferred_days_off:
            wish += 2
        need = minimum[ai][d // 7] - sched[ai].week_minutes(d)
        return (wish, -need, weekend[ai] if p.is_weekend(d) else 0, late[ai] if t.late else 0, ai)

    def take(ai: int, gi: int, d: int, k: int, offs: tuple[int, ...]) -> None:
        sched[ai].add(d, k)
        result[ai][d] = (k, offs)
        if p.is_weekend(d):
            weekend[ai] += 1
        if shapes[k][0].late:
            late[ai] += 1
        apply(ai, gi, d, k, offs)

    # options per template, for vectorised evaluation
    by_template: dict[int, list[int]] = {}
    template_ids = {id(t): i for i, t in enumerate({id(t): t for t, _ in shapes}.values())}
    for k, (t, _) in enumerate(shapes):
        by_template.setdefault(template_ids[id(t)], []).append(k)
    templates = {template_ids[id(t)]: t for t, _ in shapes}

    def option_gains(prefix: np.ndarray, d: int, ks: np.ndarray, t: ShiftTemplate) -> np.ndarray:
        """Shift value minus the cheapest placement of each break (order ignored)."""
        bases = d * SLOTS_PER_DAY + np.array([start_slot[k] for k in ks])
        length = t.length_minutes // SLOT_MINUTES
        gain = prefix[bases + length] - prefix[bases]
        for br in t.breaks:
            offs = np.arange(br.earliest_after, br.latest_after + 1, SLOT_MINUTES) // SLOT_MINUTES
            bl = br.length_minutes // SLOT_MINUTES
            starts = bases[:, None] + offs[None, :]
            gain = gain - (prefix[starts + bl] - prefix[starts]).min(axis=1)
        return gain

    limits = None
    if targets is not None:
        limits = {key: int(np.ceil(v - 1e-6)) for key, v in targets.items() if v > 1e-6}
    # spread each group's weekly hours over the days in proportion to demand
    # (or as the targets do)
    day_demand = demand.reshape(len(queues), p.days, SLOTS_PER_DAY).sum(axis=(0, 2)).astype(float)
    budget: dict[tuple[int, int], float] = {}
    for gi, g in enumerate(group_list):
        for week in p.weeks():
            total = day_demand[list(week)].sum() or 1.0
            cap = sum(max_week[ai] for ai in groups[g]) * len(week) / 7
            for d in week:
                budget[(gi, d)] = 1.05 * cap * day_demand[d] / total
    if targets is not None:
        gindex = {g: gi for gi, g in enumerate(group_list)}
        budget = dict.fromkeys(budget, 0.0)
        for (g, d, k), v in targets.items():
            budget[(gindex[g], d)] += v * shapes[k][0].paid_minutes
    used = dict.fromkeys(budget, 0.0)

    def assign(gi: int, d: int, k: int) -> bool:
        candidates = sorted(
            (
                ai
                for ai in groups[group_list[gi]]
                if k in allowed_sets[ai][d] and d not in sched[ai].days
            ),
            key=lambda a: priority(a, d, k),
        )
        ai = next((a for a in candidates if sched[a].can_add(d, k, max_week[a])), None)
        if ai is None:
            return False
        prefix = np.concatenate(([0], np.cumsum(marginal(gi))))
        _, offs = best_breaks(prefix, d * SLOTS_PER_DAY + start_slot[k], k)
        take(ai, gi, d, k, offs)
        return True

    # scarce days first: within each week, the days with the fewest agents
    # available per wanted shift are dealt before the others
    def scarcity(d: int) -> float:
        wanted = sum(v for (g, dd, k), v in (targets or {}).items() if dd == d) or 1e-9
        free = sum(1 for a in range(len(p.agents)) if allowed[a][d])
        return free / wanted

    if initial is not None:
        mode = "initial"
        starts = sorted(
            (d, start_slot[k], ai, k) for ai, days in enumerate(initial) for d, k in days.items()
        )
        # every shift first counts as fully worked; then each one's breaks go
        # where taking that agent away costs least given everybody else
        for d, _, ai, k in starts:
            take(ai, group_of[ai], d, k, ())
        for d, _, ai, k in starts:
            gi = group_of[ai]
            rows = group_q[gi]
            surplus = cover[rows] - demand[rows]
            # the penalty change, ties broken towards the largest surplus
            loss = (np.where(surplus <= 0, wt.under, -wt.over) - 1e-3 * surplus).min(axis=0)
            removal = np.zeros(n_slots + pad)
            removal[:n_slots] = loss
            prefix = np.concatenate(([0], np.cumsum(removal)))
            base = d * SLOTS_PER_DAY + start_slot[k]
            _, offs = best_breaks(prefix, base, k)
            for off, br in zip(offs, shapes[k][0].breaks, strict=True):
                s0 = base + off // SLOT_MINUTES
                for s in range(s0, min(s0 + br.length_minutes // SLOT_MINUTES, n_slots)):
                    rest(ai, d, s)
            result[ai][d] = (k, offs)
    order = [d for week in p.weeks() for d in sorted(week, key=scarcity)]
    for d in order if mode == "deal" else ():
        # deal the rounded targets: whole parts, then the largest remainders
        units: list[tuple[int, int]] = []
        for gi, g in enumerate(group_list):
            todays = [(k, v) for (gg, dd, k), v in (targets or {}).items() if gg == g and dd == d]
            rema = []
            for k, v in todays:
                units += [(gi, k)] * int(v + 1e-6)
                rema.append((v - int(v + 1e-6), k))
            extra = round(sum(r for r, _ in rema))
            rema.sort(reverse=True)
            units += [(gi, k) for _, k in rema[:extra]]
        units.sort(key=lambda u: (start_slot[u[1]], shapes[u[1]][0].length_minutes))
        for gi, k in units:
            assign(gi, d, k)

    for d in range(p.days if mode == "gain" else 0):
        allowed_today = {
            gi: {k for ai in groups[g] for k in allowed[ai][d]} for gi, g in enumerate(group_list)
        }
        dead: set[tuple[int, int]] = set()
        left: dict[tuple[int, int], int] = {}
        if limits is not None:
            for gi, g in enumerate(group_list):
                allowed_today[gi] = {k for k in allowed_today[gi] if limits.get((g, d, k), 0) > 0}
                for k in allowed_today[gi]:
                    left[(gi, k)] = limits[(g, d, k)]
        while True:
            best = None
            for gi in range(len(group_list)):
                if used[(gi, d)] >= budget[(gi, d)] - 240:
                    continue
                prefix = np.concatenate(([0], np.cumsum(marginal(gi))))
                for ti, ks_all in by_template.items():
                    ks = [k for k in ks_all if k in allowed_today[gi] and (gi, k) not in dead]
                    if not ks:
                        continue
                    gains = option_gains(prefix, d, np.array(ks), templates[ti])
                    j = int(np.argmax(gains))
                    if gains[j] > 0 and (best is None or gains[j] > best[0]):
                        best = (gains[j], gi, ks[j], prefix)
            if best is None:
                break
            _, gi, k, prefix = best
            candidates = sorted(
                (
                    ai
                    for ai in groups[group_list[gi]]
                    if k in allowed_sets[ai][d] and d not in sched[ai].days
                ),
                key=lambda a: priority(a, d, k),
            )
            ai = next((a for a in candidates if sched[a].can_add(d, k, max_week[a])), None)
            if ai is None:
                dead.add((gi, k))
                continue
            _, offs = best_breaks(prefix, d * SLOTS_PER_DAY + start_slot[k], k)
            take(ai, gi, d, k, offs)
            used[(gi, d)] += shapes[k][0].paid_minutes
            if limits is not None:
                left[(gi, k)] -= 1
                if left[(gi, k)] <= 0:
                    dead.add((gi, k))
    # top up agents below their contract minimum with their best-valued shift
    for ai in range(len(p.agents)):
        gi = group_of[ai]
        for w, week in enumerate(p.weeks()):
            while sched[ai].minutes.get(w, 0) < minimum[ai][w]:
                prefix = np.concatenate(([0], np.cumsum(marginal(gi))))
                best = None
                for d in week:
                    for k in allowed[ai][d]:
                        if not sched[ai].can_add(d, k, max_week[ai]):
                            continue
                        base = d * SLOTS_PER_DAY + start_slot[k]
                        loss, offs = best_breaks(prefix, base, k)
                        gain = prefix[base + slot_len[k]] - prefix[base] - loss
                        if best is None or gain > best[0]:
                            best = (gain, d, k, offs)
                if best is None:
                    break
                _, d, k, offs = best
                take(ai, gi, d, k, offs)
    polish_breaks(passes, deadline)
    improve_shifts(passes, deadline)
    polish_breaks(passes, deadline)
    return result
