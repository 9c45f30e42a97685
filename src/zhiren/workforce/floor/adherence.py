"""Real-time adherence and conformance from agent states against the published schedule.

Plain Python on :class:`~zhiren.workforce.schedules.PlannedShift` and
``(moment, state)`` pairs, so it can be tested without a database.

* **Adherence**: share of scheduled minutes in which the agent's state matches
  the planned activity (work ↔ logged in / available / on contact / after-contact
  work; break ↔ break; lunch ↔ lunch; meeting, training, coaching ↔ meeting).
* **Conformance**: minutes worked (productive states, at any time of the day)
  over the scheduled work minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..schedules import PlannedShift

PRODUCTIVE = frozenset({"logged_in", "available", "on_contact", "acw"})
MATCHING: dict[str, frozenset[str]] = {
    "work": PRODUCTIVE,
    "break": frozenset({"break"}),
    "lunch": frozenset({"lunch"}),
    "meeting": frozenset({"meeting"}),
    "training": frozenset({"meeting"}),
    "coaching": frozenset({"meeting"}),
    "leave": frozenset({"offline"}),
}


def matches(planned: str | None, state: str) -> bool:
    """Whether ``state`` is what the plan asks for (no plan: offline)."""
    if planned is None:
        return state == "offline"
    return state in MATCHING.get(planned, PRODUCTIVE)


def state_segments(
    events: Iterable[tuple[datetime, str]], start: datetime, end: datetime, initial: str = "offline"
) -> list[tuple[str, datetime, datetime]]:
    """States as ``(state, from, to)`` covering ``[start, end)``; ``initial`` holds before the first event.

    ``events`` need not be sorted; events before ``start`` set the state at ``start``.
    """
    ordered = sorted(events, key=lambda e: e[0])
    state = initial
    out: list[tuple[str, datetime, datetime]] = []
    cursor = start
    for moment, new_state in ordered:
        if moment <= start:
            state = new_state
            continue
        if moment >= end:
            break
        if moment > cursor:
            out.append((state, cursor, moment))
            cursor = moment
        state = new_state
    if cursor < end:
        out.append((state, cursor, end))
    return out


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


@dataclass
class Exception_:
    """A stretch out of adherence: planned vs actual."""

    start: datetime
    end: datetime
    planned: str | None
    actual: str

    @property
    def minutes(self) -> float:
        return _minutes(self.end - self.start)


@dataclass
class AdherenceResult:
    scheduled_minutes: float = 0.0
    in_adherence_minutes: float = 0.0
    work_minutes: float = 0.0
    worked_minutes: float = 0.0
    exceptions: list[Exception_] = field(default_factory=list)

    @property
    def adherence(self) -> float | None:
        return (
            self.in_adherence_minutes / self.scheduled_minutes if self.scheduled_minutes else None
        )

    @property
    def conformance(self) -> float | None:
        return self.worked_minutes / self.work_minutes if self.work_minutes else None


def adherence(
    shifts: Sequence[PlannedShift],
    events: Iterable[tuple[datetime, str]],
    start: datetime,
    end: datetime,
    *,
    initial: str = "offline",
    grace_minutes: float = 0.0,
) -> AdherenceResult:
    """Adherence and conformance of one agent over ``[start, end)``.

    Exceptions shorter than ``grace_minutes`` are still counted in the
    percentages but not listed.
    """
    result = AdherenceResult()
    segments = state_segments(events, start, end, initial)
    for state, a, b in segments:
        if state in PRODUCTIVE:
            result.worked_minutes += _minutes(b - a)
    for shift in shifts:
        for act in shift.activities:
            a0, b0 = max(act.start, start), min(act.end, end)
            if b0 <= a0:
                continue
            result.scheduled_minutes += _minutes(b0 - a0)
            if act.kind == "work":
                result.work_minutes += _minutes(b0 - a0)
            for state, a, b in segments:
                lo, hi = max(a, a0), min(b, b0)
                if hi <= lo:
                    continue
                if matches(act.kind, state):
                    result.in_adherence_minutes += _minutes(hi - lo)
                elif _minutes(hi - lo) >= grace_minutes:
                    result.exceptions.append(Exception_(lo, hi, act.kind, state))
    result.exceptions.sort(key=lambda e: e.start)
    return result


@dataclass(frozen=True)
class FloorLine:
    """The live picture of one agent."""

    agent_id: int
    planned: str | None
    state: str | None
    since: datetime | None
    out_since: datetime | None  # when the mismatch began (None: in adherence)
    out_minutes: float
    alert: bool  # out of adherence for longer than the grace


def floor_line(
    agent_id: int,
    shift: PlannedShift | None,
    state: str | None,
    since: datetime | None,
    now: datetime,
    grace_minutes: float,
) -> FloorLine:
    """Compare the planned activity at ``now`` with the agent's current state."""
    planned = None
    planned_since = None
    if shift is not None:
        for act in shift.activities:
            if act.start <= now < act.end:
                planned, planned_since = act.kind, act.start
                break
    actual = state or "offline"
    if matches(planned, actual):
        return FloorLine(agent_id, planned, state, since, None, 0.0, False)
    if planned is None and since is None:
        return FloorLine(agent_id, planned, state, since, None, 0.0, False)
    candidates = [t for t in (since, planned_since) if t is not None]
    out_since = max(candidates) if candidates else now
    minutes = max(0.0, _minutes(now - out_since))
    return FloorLine(agent_id, planned, state, since, out_since, minutes, minutes > grace_minutes)
