"""Local search on a complete roster (`greedy.RosterBuilder`), in place.

Two moves, each applied agent by agent while it improves the coverage value
and every labour rule holds (`schedule.Schedule`):

* `improve_shifts`: move a shift to its best start and template that day or
  to a free day of the same week, drop it when it only adds over-staffing
  and the contract allows, add one on a free day where it covers a
  shortfall;
* `polish_breaks`: move each break to its best place given everybody
  else's shifts.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .problem import SLOT_MINUTES, SLOTS_PER_DAY, ShiftChoice

if TYPE_CHECKING:
    from .greedy import RosterBuilder

__all__ = ["improve_shifts", "polish_breaks"]

_SURPLUS_TIE_BREAK = 1e-3  # among equal penalties, a break goes where the surplus is largest


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def improve_shifts(builder: RosterBuilder, passes: int, deadline: float | None) -> None:
    """Up to ``passes`` rounds over every agent and day (until one changes nothing)."""
    problem = builder.problem
    for _ in range(passes):
        changed = 0
        for ai in range(len(problem.agents)):
            if _out_of_time(deadline):
                return
            gi = builder.group_of[ai]
            for day in range(problem.days):
                if day in builder.result[ai]:
                    changed += _improve_shift(builder, ai, gi, day)
                else:
                    candidate = builder.best_option(ai, gi, day)
                    if candidate is not None and candidate[0] > 0:
                        builder.take(ai, gi, day, candidate[1], candidate[2])
                        changed += 1
        if not changed:
            break


def _improve_shift(builder: RosterBuilder, ai: int, gi: int, day: int) -> int:
    """Re-place agent ``ai``'s shift on ``day``: its best option that day or a
    better one on a free day of the week, or none; 1 if it changed."""
    shapes = builder.shapes
    old_option, old_offsets = builder.result[ai][day]
    builder.remove(ai, day)
    prefix = builder.prefix(gi)
    first_slot = day * SLOTS_PER_DAY + builder.start_slot[old_option]
    loss = sum(
        prefix[first_slot + offset // SLOT_MINUTES + rule.length_minutes // SLOT_MINUTES]
        - prefix[first_slot + offset // SLOT_MINUTES]
        for offset, rule in zip(old_offsets, shapes[old_option][0].breaks, strict=True)
    )
    old_gain = float(
        prefix[first_slot + builder.slot_length[old_option]] - prefix[first_slot] - loss
    )
    need = builder.minimum[ai][day // 7] - builder.schedules[ai].week_minutes(day)
    old_paid = shapes[old_option][0].paid_minutes
    # never deeper below the contract minimum: a shorter shift only if the week keeps it
    candidate = builder.best_option(ai, gi, day, min_paid=min(need, old_paid))
    target_day = day
    can_drop = need <= 0
    # or move the shift to a free day of the same week
    week_start = day - day % 7
    for other_day in range(week_start, min(week_start + 7, builder.problem.days)):
        if other_day == day or other_day in builder.result[ai]:
            continue
        other = builder.best_option(ai, gi, other_day, min_paid=min(need, old_paid))
        if other is not None and (candidate is None or other[0] > candidate[0]):
            candidate, target_day = other, other_day
    if candidate is not None and candidate[0] > old_gain + 1e-9:
        builder.take(ai, gi, target_day, candidate[1], candidate[2])
        return 1
    if can_drop and old_gain < 0 and shapes[old_option][0].paid_minutes > 0:
        return 1
    builder.take(ai, gi, day, old_option, old_offsets)
    return 0


def polish_breaks(builder: RosterBuilder, passes: int, deadline: float | None) -> None:
    """Up to ``passes`` rounds of moving each break to its best place."""
    for _ in range(passes):
        moved = 0
        for ai, days in enumerate(builder.result):
            if _out_of_time(deadline):
                return
            gi = builder.group_of[ai]
            for day, (k, offsets) in list(days.items()):
                template = builder.shapes[k][0]
                if not template.breaks:
                    continue
                new = list(offsets)
                for break_index in range(len(template.breaks)):
                    if _move_break(builder, ai, gi, day, k, new, break_index):
                        moved += 1
                days[day] = ShiftChoice(k, tuple(new))
        if not moved:
            break


def _move_break(
    builder: RosterBuilder, ai: int, gi: int, day: int, k: int, offsets: list[int], break_index: int
) -> bool:
    """Put break ``break_index`` of the shift at its cheapest offset between
    its neighbours (``offsets`` updated in place); whether it moved."""
    template = builder.shapes[k][0]
    rule = template.breaks[break_index]
    weights, cover, demand = builder.weights, builder.cover, builder.demand
    n_slots = builder.n_slots
    first_slot = day * SLOTS_PER_DAY + builder.start_slot[k]
    length = rule.length_minutes // SLOT_MINUTES
    # back to work during the break, then find its best place
    s0 = first_slot + offsets[break_index] // SLOT_MINUTES
    for slot in range(s0, min(s0 + length, n_slots)):
        builder.work(ai, day, gi, slot)
    lowest = rule.earliest_after
    if break_index > 0:
        previous = template.breaks[break_index - 1]
        lowest = max(lowest, offsets[break_index - 1] + previous.length_minutes)
    highest = rule.latest_after
    if break_index + 1 < len(template.breaks):
        highest = min(highest, offsets[break_index + 1] - rule.length_minutes)
    served = builder.served[(ai, day)]
    best: tuple[float, int] | None = None
    for offset in range(lowest, highest + 1, SLOT_MINUTES):
        b0 = first_slot + offset // SLOT_MINUTES
        cost = 0.0
        for slot in range(b0, min(b0 + length, n_slots)):
            row = served.get(slot)
            if row is not None:
                surplus = cover[row, slot] - demand[row, slot]
                cost += weights.under if surplus <= 0 else -weights.over
                cost -= _SURPLUS_TIE_BREAK * surplus
        if best is None or cost < best[0]:
            best = (cost, offset)
    assert best is not None
    moved = best[1] != offsets[break_index]
    offsets[break_index] = best[1]
    b0 = first_slot + offsets[break_index] // SLOT_MINUTES
    for slot in range(b0, min(b0 + length, n_slots)):
        builder.rest(ai, day, slot)
    return moved
