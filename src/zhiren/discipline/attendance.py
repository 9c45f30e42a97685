"""Attendance against the published schedule: plain inputs, no Django.

:func:`evaluate` pairs each agent's clock events with their shifts and says, per
shift, when the agent arrived and left and what went wrong: late arrival, early
leave, absence, a missing punch, overtime. It is linear in the number of shifts
and events (both are walked once, sorted), so a month of a large centre takes
well under a second.

Night shifts that cross midnight need no special case: a shift is an interval
of aware datetimes and an event belongs to the shift it is nearest to, not to
the calendar day it happened on. A punch at 06:58 after a 22:00–07:00 shift is
that shift's clock-out, not the next day's clock-in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

IN, OUT, PUNCH = "in", "out", "punch"  # PUNCH: a time clock that does not record the direction

LATE, EARLY_LEAVE, ABSENCE, MISSING_PUNCH = "late", "early_leave", "absence", "missing_punch"
VIOLATION_KINDS = (LATE, EARLY_LEAVE, ABSENCE, MISSING_PUNCH)


@dataclass(frozen=True)
class Shift:
    """A scheduled shift. ``end`` may be on the next day. ``leave``: (start, end) intervals on leave."""

    agent_id: int
    day: date
    start: datetime
    end: datetime
    leave: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class Punch:
    agent_id: int
    at: datetime
    kind: str = PUNCH  # IN, OUT or PUNCH


@dataclass(frozen=True)
class Policy:
    """Per-site thresholds, in minutes."""

    late_grace: int = 5  # arriving up to this many minutes after the start is on time
    early_grace: int = 5  # leaving up to this many minutes before the end is on time
    overtime_minimum: int = 30  # staying at least this long after the end is overtime
    late_as_absence: int = 0  # arriving this late (or later) counts as an absence; 0: never
    window_before: int = 240  # a punch up to 4 h before a shift may belong to it
    window_after: int = 360  # and up to 6 h after its end


@dataclass
class ShiftResult:
    shift: Shift
    expected_start: datetime
    expected_end: datetime
    arrived: datetime | None = None
    left: datetime | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    overtime_minutes: int = 0
    absent: bool = False
    missing_in: bool = False
    missing_out: bool = False
    excused: bool = False  # the whole shift is on leave
    punches: int = 0

    @property
    def agent_id(self) -> int:
        return self.shift.agent_id

    @property
    def day(self) -> date:
        return self.shift.day

    @property
    def findings(self) -> list[tuple[str, int]]:
        """``(kind, minutes)`` for each violation of this shift."""
        if self.excused:
            return []
        if self.absent:
            return [(ABSENCE, self.late_minutes)]
        result = []
        if self.late_minutes:
            result.append((LATE, self.late_minutes))
        if self.early_minutes:
            result.append((EARLY_LEAVE, self.early_minutes))
        if self.missing_in or self.missing_out:
            result.append((MISSING_PUNCH, 0))
        return result

    @property
    def clean(self) -> bool:
        return not self.findings


@dataclass
class Evaluation:
    results: list[ShiftResult] = field(default_factory=list)
    unmatched: list[Punch] = field(default_factory=list)  # punches far from any shift

    @property
    def findings(self) -> list[tuple[ShiftResult, str, int]]:
        return [(r, kind, minutes) for r in self.results for kind, minutes in r.findings]


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _expected(shift: Shift) -> tuple[datetime, datetime, bool]:
    """The working interval once leave at the edges is taken off; excused when nothing is left."""
    start, end = shift.start, shift.end
    for leave_start, leave_end in sorted(shift.leave):
        if leave_start <= start < leave_end:
            start = leave_end
    for leave_start, leave_end in sorted(shift.leave, reverse=True):
        if leave_start < end <= leave_end:
            end = leave_start
    return start, end, end <= start


def _distance(at: datetime, start: datetime, end: datetime) -> float:
    if at < start:
        return (start - at).total_seconds()
    if at > end:
        return (at - end).total_seconds()
    return 0.0


def _assign(shifts: Sequence[Shift], punches: Sequence[Punch], policy: Policy):
    """Give each punch to the nearest shift whose window holds it. Both inputs sorted."""
    before = timedelta(minutes=policy.window_before)
    after = timedelta(minutes=policy.window_after)
    assigned: list[list[Punch]] = [[] for _ in shifts]
    unmatched: list[Punch] = []
    first = 0
    count = len(shifts)
    for punch in punches:
        while first < count and shifts[first].end + after < punch.at:
            first += 1
        best = None
        best_key = None
        index = first
        while index < count and shifts[index].start - before <= punch.at:
            shift = shifts[index]
            if punch.at <= shift.end + after:
                distance = _distance(punch.at, shift.start, shift.end)
                # On a tie between two shifts an in-punch opens the later one, an out-punch closes the earlier.
                tie = -index if punch.kind == IN else index
                key = (distance, tie)
                if best_key is None or key < best_key:
                    best, best_key = index, key
            index += 1
        if best is None:
            unmatched.append(punch)
        else:
            assigned[best].append(punch)
    return assigned, unmatched


def _judge(shift: Shift, punches: list[Punch], policy: Policy) -> ShiftResult:
    start, end, excused = _expected(shift)
    result = ShiftResult(shift, start, end, excused=excused, punches=len(punches))
    if excused:
        return result
    middle = start + (end - start) / 2
    ins = [p.at for p in punches if p.kind == IN or (p.kind == PUNCH and p.at < middle)]
    outs = [p.at for p in punches if p.kind == OUT or (p.kind == PUNCH and p.at >= middle)]
    if not punches:
        result.absent = True
        return result
    arrived = min(ins) if ins else None
    left = max(outs) if outs else None
    if arrived is not None and left is not None and left <= arrived:
        left = None
    result.arrived, result.left = arrived, left
    result.missing_in = arrived is None
    result.missing_out = left is None
    if arrived is not None:
        late = _minutes(arrived - start)
        if arrived >= end or (policy.late_as_absence and late >= policy.late_as_absence):
            result.absent = True
            result.late_minutes = max(late, 0)
            return result
        if arrived > start + timedelta(minutes=policy.late_grace):
            result.late_minutes = max(late, 1)
    if left is not None:
        early = _minutes(end - left)
        if left < end - timedelta(minutes=policy.early_grace):
            result.early_minutes = max(early, 1)
        over = _minutes(left - end)
        if over >= policy.overtime_minimum:
            result.overtime_minutes = over
    return result


def evaluate(
    shifts: Iterable[Shift],
    punches: Iterable[Punch],
    policy: Policy | dict[int, Policy] = Policy(),
) -> Evaluation:
    """Judge every shift against the punches. ``policy`` may map agent id → policy (grace per site)."""
    shifts_by_agent: dict[int, list[Shift]] = defaultdict(list)
    for shift in shifts:
        shifts_by_agent[shift.agent_id].append(shift)
    punches_by_agent: dict[int, list[Punch]] = defaultdict(list)
    for punch in punches:
        punches_by_agent[punch.agent_id].append(punch)
    evaluation = Evaluation()
    default = policy if isinstance(policy, Policy) else Policy()
    for agent_id in sorted(shifts_by_agent.keys() | punches_by_agent.keys()):
        agent_policy = policy.get(agent_id, default) if isinstance(policy, dict) else policy
        agent_shifts = sorted(shifts_by_agent.get(agent_id, ()), key=lambda s: s.start)
        agent_punches = sorted(punches_by_agent.get(agent_id, ()), key=lambda p: p.at)
        assigned, unmatched = _assign(agent_shifts, agent_punches, agent_policy)
        evaluation.unmatched.extend(unmatched)
        for shift, own in zip(agent_shifts, assigned, strict=True):
            evaluation.results.append(_judge(shift, own, agent_policy))
    return evaluation


def attendance_rate(results: Iterable[ShiftResult]) -> float | None:
    """Share of scheduled (not excused) shifts without a finding, 0–100; None without shifts."""
    judged = [r for r in results if not r.excused]
    if not judged:
        return None
    return round(100.0 * sum(1 for r in judged if r.clean) / len(judged), 1)
