"""Greedy construction of a complete, rule-abiding roster.

Day by day, repeatedly add the shift (skill group, template, start, break
placement) with the largest marginal coverage value, given to the eligible
agent of that group who most needs hours (and whose wishes it meets), while
that value is positive. With the LP's targets the day's rounded targets are
dealt instead; with an ``initial`` dealing (`week_dealing`, `day_dealing`)
only its breaks are placed. Afterwards agents below their contract minimum
are topped up with their best-valued allowed shift, and the local search
(`local_search`) improves the result. Every labour rule is checked per agent
(`schedule.Schedule`), so the result is feasible for the full model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from . import local_search
from .problem import (
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    AllowedOptions,
    DealtDays,
    RosterChoices,
    RosterProblem,
    ShiftChoice,
    ShiftTargets,
    ShiftTemplate,
    SkillGroups,
)
from .schedule import Schedule, as_shapes

if TYPE_CHECKING:
    from .model import RosterModel

__all__ = [
    "RosterBuilder",
    "greedy_for_model",
    "greedy_roster",
    "repair_contracts",
    "week_search",
]

_HOURS_SLACK_MINUTES = 240  # a group's day stops taking shifts this close to its hours
_REPAIR_NODES = 20000  # steps of one agent's week search in the contract repair


def greedy_roster(
    problem: RosterProblem,
    shapes: Sequence[tuple[ShiftTemplate, int]],
    allowed: AllowedOptions,
    groups: SkillGroups,
    minimum: list[list[int]],
    targets: ShiftTargets | None = None,
    mode: str = "deal",
    passes: int = 3,
    deadline: float | None = None,
    initial: DealtDays | None = None,
) -> RosterChoices:
    """Return per agent ``{day: (option index, break offsets)}``.

    ``shapes[k]``: option ``k`` as (template, start minute); ``allowed[a][d]``:
    options agent ``a`` may take on day ``d``; ``minimum[a][w]``: contract
    minimum (minutes) of week block ``w``; ``targets[(group, d, k)]``: a
    (fractional) number of agents of the group wanted on option ``k`` of day
    ``d``, e.g. from the LP relaxation. With targets, a day uses at most the
    rounded-up target of each option and about the targets' total paid hours;
    other options wait for the contract top-up. ``initial``: per agent
    ``{day: option}`` (e.g. from `day_dealing.deal_days`) replaces the
    construction; its breaks are placed, contract minimums topped up and the
    local search run as usual. ``passes`` and ``deadline`` bound the local
    search.
    """
    builder = RosterBuilder(problem, shapes, allowed, groups, minimum)
    if targets is None:
        mode = "gain"
    if initial is not None:
        builder.place_initial(initial)
    elif mode == "deal":
        builder.deal_targets(targets or {})
    elif mode == "gain":
        builder.add_by_gain(targets)
    builder.top_up_contracts()
    local_search.polish_breaks(builder, passes, deadline)
    local_search.improve_shifts(builder, passes, deadline)
    local_search.polish_breaks(builder, passes, deadline)
    return builder.result


def greedy_for_model(
    problem: RosterProblem,
    model: RosterModel,
    targets: ShiftTargets | None = None,
    deadline: float | None = None,
    passes: int = 3,
    initial: DealtDays | None = None,
) -> RosterChoices:
    """`greedy_roster` on the options, permissions and groups of ``model``
    (a `model.RosterModel`), with the problem's contract minimums."""
    from .model import contract_minimums

    shapes = [(o.template, o.start) for o in model.options]
    return greedy_roster(
        problem,
        shapes,
        model.allowed,
        model.groups,
        contract_minimums(problem),
        targets,
        passes=passes,
        deadline=deadline,
        initial=initial,
    )


def repair_contracts(
    problem: RosterProblem,
    model: RosterModel,
    choices: RosterChoices,
    deadline: float | None = None,
) -> tuple[RosterChoices, list[tuple[int, int]]]:
    """The last repair before a roster is returned: agents below their
    contract minimum get shifts added, lengthened or their week re-dealt
    (`RosterBuilder.repair_contracts`); the other agents keep their shifts
    and breaks. After ``deadline`` no more weeks are re-dealt (adding and
    lengthening shifts are cheap and go on). Returns the roster and the
    (agent, week) pairs still short."""
    from .model import contract_minimums

    minimum = contract_minimums(problem)
    builder = RosterBuilder(
        problem,
        [(o.template, o.start) for o in model.options],
        model.allowed,
        model.groups,
        minimum,
    )
    for ai, days in enumerate(choices):
        for day, (k, offsets) in sorted(days.items()):
            builder.take(ai, builder.group_of[ai], day, k, offsets)
    if not builder.short_weeks():
        return choices, []
    short = builder.repair_contracts(deadline=deadline)
    return builder.result, short


class RosterBuilder:
    """A roster under construction and the coverage it gives.

    ``cover[queue row, slot]`` counts the agents serving each queue;
    ``served[(agent, day)]`` maps each working slot of a shift to the queue
    row it serves. ``result`` is the roster so far, ``schedules`` the
    per-agent rule checks, ``weekend``/``late`` the fairness counts.
    """

    def __init__(
        self,
        problem: RosterProblem,
        shapes: Sequence[tuple[ShiftTemplate, int]],
        allowed: AllowedOptions,
        groups: SkillGroups,
        minimum: list[list[int]],
    ):
        self.problem = problem
        self.shapes = as_shapes(shapes)
        self.allowed = allowed
        self.groups = groups
        self.minimum = minimum
        self.weights = problem.weights
        self.n_slots = problem.num_slots
        queues = list(problem.demand)
        queue_row = {q: i for i, q in enumerate(queues)}
        self.queues = queues
        self.demand = np.array([problem.demand[q] for q in queues], dtype=np.int64)
        self.cover = np.zeros_like(self.demand)
        # padding so shifts running past the horizon index safely (value 0 there)
        self.padding = 2 * SLOTS_PER_DAY
        self.schedules = [Schedule(problem, self.shapes) for _ in problem.agents]
        self.allowed_sets = [[set(day) for day in row] for row in allowed]
        self.max_week = [
            min(a.max_minutes_week, problem.rules.max_minutes_per_week) for a in problem.agents
        ]
        self.weekend = [0] * len(problem.agents)
        self.late = [0] * len(problem.agents)
        self.result: RosterChoices = [{} for _ in problem.agents]
        self.group_list = list(groups)
        self.group_rows = [np.array([queue_row[q] for q in g]) for g in self.group_list]
        self.group_of = {ai: gi for gi, g in enumerate(self.group_list) for ai in groups[g]}
        self.slot_length = [t.length_minutes // SLOT_MINUTES for t, _ in self.shapes]
        self.start_slot = [s // SLOT_MINUTES for _, s in self.shapes]
        self.served: dict[tuple[int, int], dict[int, int]] = {}
        # options per template, for vectorised evaluation
        self.by_template: dict[int, list[int]] = {}
        template_ids = {id(t): i for i, t in enumerate({id(t): t for t, _ in self.shapes}.values())}
        for k, (template, _) in enumerate(self.shapes):
            self.by_template.setdefault(template_ids[id(template)], []).append(k)
        self.templates = {template_ids[id(t)]: t for t, _ in self.shapes}

    # -- values ----------------------------------------------------------
    def marginal(self, gi: int) -> np.ndarray:
        """Value of one more agent of group ``gi`` in each slot (best queue)."""
        rows = self.group_rows[gi]
        short = self.cover[rows] < self.demand[rows]
        value = np.where(short, self.weights.under, -self.weights.over).max(axis=0)
        padded = np.zeros(self.n_slots + self.padding, dtype=np.int64)
        padded[: self.n_slots] = value
        return padded

    def prefix(self, gi: int) -> np.ndarray:
        """Running sums of `marginal`: a span's value is a difference of two."""
        return np.concatenate(([0], np.cumsum(self.marginal(gi))))

    def best_breaks(
        self, prefix: np.ndarray, first_slot: int, k: int
    ) -> tuple[int, tuple[int, ...]]:
        """The cheapest placement of option ``k``'s breaks, in order: their
        summed loss and their offsets."""
        template = self.shapes[k][0]
        loss = 0
        offsets = []
        earliest = 0
        for rule in template.breaks:
            length = rule.length_minutes // SLOT_MINUTES
            best = None
            for offset in range(
                max(rule.earliest_after, earliest), rule.latest_after + 1, SLOT_MINUTES
            ):
                break_slot = first_slot + offset // SLOT_MINUTES
                value = prefix[break_slot + length] - prefix[break_slot]
                if best is None or value < best[0]:
                    best = (value, offset)
            assert best is not None  # validated: windows allow an ordered placement
            loss += best[0]
            offsets.append(best[1])
            earliest = best[1] + rule.length_minutes
        return loss, tuple(offsets)

    def option_gains(
        self, prefix: np.ndarray, day: int, ks: np.ndarray, template: ShiftTemplate
    ) -> np.ndarray:
        """Shift value minus the cheapest placement of each break (order ignored)."""
        first_slots = day * SLOTS_PER_DAY + np.array([self.start_slot[k] for k in ks])
        length = template.length_minutes // SLOT_MINUTES
        gain = prefix[first_slots + length] - prefix[first_slots]
        for rule in template.breaks:
            offsets = (
                np.arange(rule.earliest_after, rule.latest_after + 1, SLOT_MINUTES) // SLOT_MINUTES
            )
            break_length = rule.length_minutes // SLOT_MINUTES
            starts = first_slots[:, None] + offsets[None, :]
            gain = gain - (prefix[starts + break_length] - prefix[starts]).min(axis=1)
        gains: np.ndarray = gain
        return gains

    def best_option(
        self, ai: int, gi: int, day: int, min_paid: int = 0
    ) -> tuple[float, int, tuple[int, ...]] | None:
        """Agent ``ai``'s best-valued allowed shift on ``day`` paying at least
        ``min_paid`` minutes: (value, option, break offsets)."""
        prefix = self.prefix(gi)
        best = None
        for ti, ks_all in self.by_template.items():
            if self.templates[ti].paid_minutes < min_paid:
                continue
            ks = [
                k
                for k in ks_all
                if k in self.allowed_sets[ai][day]
                and self.schedules[ai].can_add(day, k, self.max_week[ai])
            ]
            if not ks:
                continue
            gains = self.option_gains(prefix, day, np.array(ks), self.templates[ti])
            j = int(np.argmax(gains))
            if best is None or gains[j] > best[0]:
                best = (float(gains[j]), ks[j])
        if best is None:
            return None
        _, k = best
        first_slot = day * SLOTS_PER_DAY + self.start_slot[k]
        loss, offsets = self.best_breaks(prefix, first_slot, k)
        value = float(prefix[first_slot + self.slot_length[k]] - prefix[first_slot] - loss)
        return value, k, offsets

    def priority(self, ai: int, day: int, k: int) -> tuple[int, int, int, int, int]:
        """Who gets a shift first: wishes met, most hours needed, fewest
        weekend / late shifts so far, then agent order."""
        agent = self.problem.agents[ai]
        template = self.shapes[k][0]
        wish = 0
        if agent.preferred_shifts and template.name not in agent.preferred_shifts:
            wish += 1
        if day in agent.preferred_days_off:
            wish += 2
        need = self.minimum[ai][day // 7] - self.schedules[ai].week_minutes(day)
        return (
            wish,
            -need,
            self.weekend[ai] if self.problem.is_weekend(day) else 0,
            self.late[ai] if template.late else 0,
            ai,
        )

    # -- changes ---------------------------------------------------------
    def work(self, ai: int, day: int, gi: int, slot: int) -> None:
        """Agent ``ai`` serves the group's queue with the largest gap in ``slot``."""
        rows = self.group_rows[gi]
        gaps = self.demand[rows, slot] - self.cover[rows, slot]
        row = int(rows[int(np.argmax(gaps))])
        self.cover[row, slot] += 1
        self.served[(ai, day)][slot] = row

    def rest(self, ai: int, day: int, slot: int) -> None:
        """Agent ``ai`` stops serving in ``slot`` (a break)."""
        row = self.served[(ai, day)].pop(slot, None)
        if row is not None:
            self.cover[row, slot] -= 1

    def _serve(self, ai: int, gi: int, day: int, k: int, offsets: tuple[int, ...]) -> None:
        first_slot = day * SLOTS_PER_DAY + self.start_slot[k]
        template = self.shapes[k][0]
        break_slots: set[int] = set()
        for offset, rule in zip(offsets, template.breaks, strict=False):
            s0 = first_slot + offset // SLOT_MINUTES
            break_slots.update(range(s0, s0 + rule.length_minutes // SLOT_MINUTES))
        self.served[(ai, day)] = {}
        for slot in range(first_slot, min(first_slot + self.slot_length[k], self.n_slots)):
            if slot not in break_slots:
                self.work(ai, day, gi, slot)

    def take(self, ai: int, gi: int, day: int, k: int, offsets: tuple[int, ...]) -> None:
        """Give agent ``ai`` option ``k`` on ``day`` with these break offsets."""
        self.schedules[ai].add(day, k)
        self.result[ai][day] = ShiftChoice(k, offsets)
        if self.problem.is_weekend(day):
            self.weekend[ai] += 1
        if self.shapes[k][0].late:
            self.late[ai] += 1
        self._serve(ai, gi, day, k, offsets)

    def remove(self, ai: int, day: int) -> None:
        """Take agent ``ai``'s shift on ``day`` away."""
        k, _ = self.result[ai].pop(day)
        for slot in list(self.served[(ai, day)]):
            self.rest(ai, day, slot)
        del self.served[(ai, day)]
        del self.schedules[ai].days[day]
        self.schedules[ai].minutes[day // 7] -= self.shapes[k][0].paid_minutes
        if self.problem.is_weekend(day):
            self.weekend[ai] -= 1
        if self.shapes[k][0].late:
            self.late[ai] -= 1

    def _first_eligible(self, gi: int, day: int, k: int) -> int | None:
        """The group's agent who should take option ``k`` on ``day`` (by
        `priority`), among those the rules allow; ``None`` if nobody may."""
        candidates = sorted(
            (
                ai
                for ai in self.groups[self.group_list[gi]]
                if k in self.allowed_sets[ai][day] and day not in self.schedules[ai].days
            ),
            key=lambda a: self.priority(a, day, k),
        )
        return next(
            (a for a in candidates if self.schedules[a].can_add(day, k, self.max_week[a])), None
        )

    # -- construction ----------------------------------------------------
    def place_initial(self, initial: DealtDays) -> None:
        """Take a dealt roster (who works which option) and place its breaks."""
        weights = self.weights
        starts = sorted(
            (day, self.start_slot[k], ai, k)
            for ai, days in enumerate(initial)
            for day, k in days.items()
        )
        # every shift first counts as fully worked; then each one's breaks go
        # where taking that agent away costs least given everybody else
        for day, _, ai, k in starts:
            self.take(ai, self.group_of[ai], day, k, ())
        for day, _, ai, k in starts:
            rows = self.group_rows[self.group_of[ai]]
            surplus = self.cover[rows] - self.demand[rows]
            # the penalty change, ties broken towards the largest surplus
            loss = (np.where(surplus <= 0, weights.under, -weights.over) - 1e-3 * surplus).min(
                axis=0
            )
            removal = np.zeros(self.n_slots + self.padding)
            removal[: self.n_slots] = loss
            prefix = np.concatenate(([0], np.cumsum(removal)))
            first_slot = day * SLOTS_PER_DAY + self.start_slot[k]
            _, offsets = self.best_breaks(prefix, first_slot, k)
            for offset, rule in zip(offsets, self.shapes[k][0].breaks, strict=True):
                s0 = first_slot + offset // SLOT_MINUTES
                for slot in range(s0, min(s0 + rule.length_minutes // SLOT_MINUTES, self.n_slots)):
                    self.rest(ai, day, slot)
            self.result[ai][day] = ShiftChoice(k, offsets)

    def deal_targets(self, targets: ShiftTargets) -> None:
        """Deal the rounded targets day by day (scarce days of a week first):
        whole parts, then the largest remainders, early and short shifts first."""
        problem = self.problem

        def scarcity(day: int) -> float:
            wanted = sum(v for (_g, d, _k), v in targets.items() if d == day) or 1e-9
            free = sum(1 for a in range(len(problem.agents)) if self.allowed[a][day])
            return free / wanted

        order = [day for week in problem.weeks() for day in sorted(week, key=scarcity)]
        for day in order:
            units: list[tuple[int, int]] = []
            for gi, group in enumerate(self.group_list):
                todays = [(k, v) for (g, d, k), v in targets.items() if g == group and d == day]
                remainders = []
                for k, v in todays:
                    units += [(gi, k)] * int(v + 1e-6)
                    remainders.append((v - int(v + 1e-6), k))
                extra = round(sum(r for r, _ in remainders))
                remainders.sort(reverse=True)
                units += [(gi, k) for _, k in remainders[:extra]]
            units.sort(key=lambda u: (self.start_slot[u[1]], self.shapes[u[1]][0].length_minutes))
            for gi, k in units:
                ai = self._first_eligible(gi, day, k)
                if ai is None:
                    continue
                _, offsets = self.best_breaks(
                    self.prefix(gi), day * SLOTS_PER_DAY + self.start_slot[k], k
                )
                self.take(ai, gi, day, k, offsets)

    def _hours_per_group_day(self, targets: ShiftTargets | None) -> dict[tuple[int, int], float]:
        """Paid minutes each group may use per day: the targets' (with
        targets), else its agents' weekly maximum spread over the week in
        proportion to demand (plus 5 %)."""
        problem, demand = self.problem, self.demand
        day_demand = (
            demand.reshape(len(self.queues), problem.days, SLOTS_PER_DAY)
            .sum(axis=(0, 2))
            .astype(float)
        )
        hours: dict[tuple[int, int], float] = {}
        for gi, group in enumerate(self.group_list):
            for week in problem.weeks():
                total = day_demand[list(week)].sum() or 1.0
                cap = sum(self.max_week[ai] for ai in self.groups[group]) * len(week) / 7
                for day in week:
                    hours[(gi, day)] = 1.05 * cap * day_demand[day] / total
        if targets is not None:
            group_index = {g: gi for gi, g in enumerate(self.group_list)}
            hours = dict.fromkeys(hours, 0.0)
            for (group, day, k), v in targets.items():
                hours[(group_index[group], day)] += v * self.shapes[k][0].paid_minutes
        return hours

    def add_by_gain(self, targets: ShiftTargets | None) -> None:
        """Day by day, add the most valuable shift of any group while its value
        is positive and the group has hours left that day (with targets: at
        most the rounded-up target of each option)."""
        problem = self.problem
        hours = self._hours_per_group_day(targets)
        used = dict.fromkeys(hours, 0.0)
        limits = None
        if targets is not None:
            limits = {key: int(np.ceil(v - 1e-6)) for key, v in targets.items() if v > 1e-6}
        for day in range(problem.days):
            options_today = {
                gi: {k for ai in self.groups[g] for k in self.allowed[ai][day]}
                for gi, g in enumerate(self.group_list)
            }
            exhausted: set[tuple[int, int]] = set()
            left: dict[tuple[int, int], int] = {}
            if limits is not None:
                for gi, group in enumerate(self.group_list):
                    options_today[gi] = {
                        k for k in options_today[gi] if limits.get((group, day, k), 0) > 0
                    }
                    for k in options_today[gi]:
                        left[(gi, k)] = limits[(group, day, k)]
            while True:
                best = self._best_shift_of_day(day, hours, used, options_today, exhausted)
                if best is None:
                    break
                _, gi, k, prefix = best
                ai = self._first_eligible(gi, day, k)
                if ai is None:
                    exhausted.add((gi, k))
                    continue
                _, offsets = self.best_breaks(prefix, day * SLOTS_PER_DAY + self.start_slot[k], k)
                self.take(ai, gi, day, k, offsets)
                used[(gi, day)] += self.shapes[k][0].paid_minutes
                if limits is not None:
                    left[(gi, k)] -= 1
                    if left[(gi, k)] <= 0:
                        exhausted.add((gi, k))

    def _best_shift_of_day(
        self,
        day: int,
        hours: dict[tuple[int, int], float],
        used: dict[tuple[int, int], float],
        options_today: dict[int, set[int]],
        exhausted: set[tuple[int, int]],
    ) -> tuple[float, int, int, np.ndarray] | None:
        """(value, group, option, prefix) of the most valuable positive shift, or None."""
        best: tuple[float, int, int, np.ndarray] | None = None
        for gi in range(len(self.group_list)):
            if used[(gi, day)] >= hours[(gi, day)] - _HOURS_SLACK_MINUTES:
                continue
            prefix = self.prefix(gi)
            for ti, ks_all in self.by_template.items():
                ks = [k for k in ks_all if k in options_today[gi] and (gi, k) not in exhausted]
                if not ks:
                    continue
                gains = self.option_gains(prefix, day, np.array(ks), self.templates[ti])
                j = int(np.argmax(gains))
                if gains[j] > 0 and (best is None or gains[j] > best[0]):
                    best = (gains[j], gi, ks[j], prefix)
        return best

    def top_up_contracts(self) -> None:
        """Give agents below their contract minimum shifts until it is met
        (`repair_contracts`)."""
        self.repair_contracts()

    def short_weeks(self) -> list[tuple[int, int]]:
        """(agent, week block) pairs below the contract minimum."""
        return [
            (ai, w)
            for ai in range(len(self.problem.agents))
            for w in range(len(self.problem.weeks()))
            if self.schedules[ai].minutes.get(w, 0) < self.minimum[ai][w]
        ]

    def repair_contracts(
        self, node_limit: int = _REPAIR_NODES, deadline: float | None = None
    ) -> list[tuple[int, int]]:
        """Bring every agent's weeks up to the contract minimum, cheapest
        coverage loss first: add the best-valued shift on a free day that
        keeps the minimum reachable (`_reachable`: short shifts on the last
        free days cannot add up to it), else trade a shift for a longer one
        the same day, else re-deal the agent's whole week (`week_search`).
        No week is re-dealt after ``deadline``. Returns the (agent, week)
        pairs still short."""
        for ai in range(len(self.problem.agents)):
            for w in range(len(self.problem.weeks())):
                self._repair_week(ai, w, node_limit, deadline)
        return self.short_weeks()

    def _repair_week(self, ai: int, w: int, node_limit: int, deadline: float | None) -> None:
        schedule = self.schedules[ai]
        while schedule.minutes.get(w, 0) < self.minimum[ai][w]:
            if self._add_for_contract(ai, w) or self._lengthen_for_contract(ai, w):
                continue
            if deadline is None or time.monotonic() < deadline:
                self._rebuild_week(ai, w, node_limit)
            return

    def _shift_gain(self, prefix: np.ndarray, day: int, k: int) -> tuple[float, tuple[int, ...]]:
        first_slot = day * SLOTS_PER_DAY + self.start_slot[k]
        loss, offsets = self.best_breaks(prefix, first_slot, k)
        gain = prefix[first_slot + self.slot_length[k]] - prefix[first_slot] - loss
        return float(gain), offsets

    def _free_days(self, ai: int, w: int) -> int:
        """Days of week ``w`` the agent could still work at most (free, allowed,
        within the week's rest days)."""
        problem, schedule = self.problem, self.schedules[ai]
        week = problem.weeks()[w]
        free = sum(1 for d in week if d not in schedule.days and self.allowed[ai][d])
        if len(week) == 7:
            worked = sum(1 for d in week if d in schedule.days)
            free = min(free, 7 - problem.rules.min_rest_days_per_week - worked)
        return max(0, free)

    def _longest(self, ai: int, w: int) -> int:
        """The longest paid shift the agent may work in week ``w``."""
        return max(
            (
                self.shapes[k][0].paid_minutes
                for d in self.problem.weeks()[w]
                for k in self.allowed[ai][d]
            ),
            default=0,
        )

    def _add_for_contract(self, ai: int, w: int) -> bool:
        """Add the best-valued shift on a free day of week ``w``, preferring
        those after which the minimum stays reachable; whether one was added."""
        gi, schedule = self.group_of[ai], self.schedules[ai]
        need = self.minimum[ai][w] - schedule.minutes.get(w, 0)
        longest = self._longest(ai, w)
        later = max(0, self._free_days(ai, w) - 1)
        prefix = self.prefix(gi)
        best = None
        for day in self.problem.weeks()[w]:
            for k in self.allowed[ai][day]:
                if not schedule.can_add(day, k, self.max_week[ai]):
                    continue
                paid = self.shapes[k][0].paid_minutes
                reachable = paid + later * longest >= need
                gain, offsets = self._shift_gain(prefix, day, k)
                key = (reachable, gain, paid)
                if best is None or key > best[0]:
                    best = (key, day, k, offsets)
        if best is None:
            return False
        _, day, k, offsets = best
        self.take(ai, gi, day, k, offsets)
        return True

    def _lengthen_for_contract(self, ai: int, w: int) -> bool:
        """Trade one shift of week ``w`` for a longer one the same day (the
        best-valued among those closing most of the shortfall); whether one was."""
        gi, schedule = self.group_of[ai], self.schedules[ai]
        need = self.minimum[ai][w] - schedule.minutes.get(w, 0)
        best = None
        for day in [d for d in self.problem.weeks()[w] if d in self.result[ai]]:
            old, old_offsets = self.result[ai][day]
            old_paid = self.shapes[old][0].paid_minutes
            self.remove(ai, day)
            prefix = self.prefix(gi)
            for k in self.allowed[ai][day]:
                extra = self.shapes[k][0].paid_minutes - old_paid
                if extra <= 0 or not schedule.can_add(day, k, self.max_week[ai]):
                    continue
                gain, offsets = self._shift_gain(prefix, day, k)
                key = (min(extra, need), gain)
                if best is None or key > best[0]:
                    best = (key, day, k, offsets)
            self.take(ai, gi, day, old, old_offsets)
        if best is None:
            return False
        _, day, k, offsets = best
        self.remove(ai, day)
        self.take(ai, gi, day, k, offsets)
        return True

    def _rebuild_week(self, ai: int, w: int, node_limit: int) -> bool:
        """Re-deal the agent's week ``w`` (`week_search`, the other weeks
        fixed), else weeks ``w - 1`` and ``w`` together, else ``w`` and
        ``w + 1`` (runs, rest and bans across the week boundary), when some
        choice of days and templates meets every minimum of the weeks
        re-dealt; whether it did."""
        n_weeks = len(self.problem.weeks())
        for weeks in ([w], [w - 1, w], [w, w + 1]):
            if all(0 <= x < n_weeks for x in weeks) and self._rebuild_weeks(ai, weeks, node_limit):
                return True
        return False

    def _rebuild_weeks(self, ai: int, weeks: list[int], node_limit: int) -> bool:
        gi, schedule = self.group_of[ai], self.schedules[ai]
        days = [d for x in weeks for d in self.problem.weeks()[x]]
        old = {d: self.result[ai][d] for d in days if d in self.result[ai]}
        for day in old:
            self.remove(ai, day)
        prefix = self.prefix(gi)
        candidates = {day: self._week_candidates(ai, day, prefix, old.get(day)) for day in days}
        found = week_search(
            schedule,
            days,
            candidates,
            {x: self.minimum[ai][x] for x in weeks},
            self.max_week[ai],
            node_limit,
        )
        if found is None:
            for day, (k, offsets) in old.items():
                self.take(ai, gi, day, k, offsets)
            return False
        for day, k in found.items():
            _, offsets = self._shift_gain(self.prefix(gi), day, k)
            self.take(ai, gi, day, k, offsets)
        return True

    def _week_candidates(
        self, ai: int, day: int, prefix: np.ndarray, old: ShiftChoice | None
    ) -> list[int]:
        """The options `week_search` tries on ``day``: the old one, then per
        template (longest paid first) its best-valued, earliest and latest start."""
        allowed = self.allowed_sets[ai][day]
        options: list[int] = [old.option] if old is not None else []
        templates = sorted(
            self.by_template.items(), key=lambda item: -self.templates[item[0]].paid_minutes
        )
        for ti, ks_all in templates:
            ks = [k for k in ks_all if k in allowed]
            if not ks:
                continue
            gains = self.option_gains(prefix, day, np.array(ks), self.templates[ti])
            for k in (ks[int(np.argmax(gains))], ks[0], ks[-1]):
                if k not in options:
                    options.append(k)
        return options


def week_search(
    schedule: Schedule,
    days: list[int],
    candidates: dict[int, list[int]],
    minimum: dict[int, int],
    maximum: int,
    node_limit: int,
) -> dict[int, int] | None:
    """One agent's shifts on ``days`` (whole weeks; options tried in the
    order ``candidates`` gives, a day off last) so that each week block
    ``w`` in ``minimum`` reaches ``minimum[w]`` paid minutes under every
    labour rule of ``schedule`` (whose other shifts stay), at most
    ``maximum`` a week; ``None`` if none is found within ``node_limit``
    steps. ``schedule`` is left as it was."""
    free = [d for d in days if d not in schedule.days and candidates.get(d)]
    longest = {
        d: max((schedule.shapes[k][0].paid_minutes for k in candidates[d]), default=0) for d in free
    }
    # per position and week: the most the remaining days of that week can add
    potential: list[dict[int, int]] = [dict.fromkeys(minimum, 0) for _ in range(len(free) + 1)]
    for i in range(len(free) - 1, -1, -1):
        potential[i] = dict(potential[i + 1])
        week = free[i] // 7
        if week in potential[i]:
            potential[i][week] += longest[free[i]]
    nodes = 0
    chosen: dict[int, int] = {}

    def minutes(week: int) -> int:
        return schedule.minutes.get(week, 0)

    def visit(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if all(minutes(w) >= need for w, need in minimum.items()):
            return True
        if i == len(free) or nodes > node_limit:
            return False
        if any(minutes(w) + potential[i][w] < need for w, need in minimum.items()):
            return False
        day = free[i]
        for k in candidates[day]:
            if schedule.can_add(day, k, maximum):
                schedule.add(day, k)
                chosen[day] = k
                if visit(i + 1):
                    return True
                schedule.remove(day)
                del chosen[day]
        return visit(i + 1)

    found = visit(0)
    for day in chosen:
        schedule.remove(day)
    return dict(chosen) if found else None
