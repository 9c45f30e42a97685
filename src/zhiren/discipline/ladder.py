"""Consequence ladders: which consequence each violation gets. Plain inputs, no Django.

The answer depends only on the rule's terms and the agent's own history under
that rule — never on who the agent is. Two agents with the same history get
the same consequences; the only way to differ is an exception (``exempt``),
which the services accept only with a written reason.

Counting, per rule:

- **Phase** from the rule's life cycle: before the announcement the rule is not
  in force; for ``grace_days`` after it a violation is a *warning* only and
  does not count; then the rule is enforced until it is retired.
- **Window**: occurrences are counted within the calendar month (``month``),
  the calendar quarter (``quarter``) or the trailing ``window_days`` days
  (``rolling``).
- **Units**: each occurrence is one unit, except that with
  ``lates_per_absence = N`` every N-th late of the window makes one unit (it
  counts as one absence) and the lates in between are only *tallied*.
- **Free units**: the first ``free_per_window`` units of a window carry no
  consequence ("first N free per month").
- **Ladder**: the k-th unit after the free ones gets ``ladder[k-1]``; beyond
  the last step the last step repeats.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Phases
NOT_IN_FORCE, GRACE, ENFORCED, RETIRED = "not_in_force", "grace", "enforced", "retired"

# Consequences. The first group needs a response from the lead; the second does not.
WARNING = "warning"  # inside the grace period
REMINDER, TALK, WRITTEN_WARNING, FINAL_WARNING, ESCALATION = (
    "reminder", "talk", "written_warning", "final_warning", "escalation",
)
FREE, TALLY, EXCUSED, NONE = "free", "tally", "excused", "none"
LADDER_STEPS = (REMINDER, TALK, WRITTEN_WARNING, FINAL_WARNING, ESCALATION)
NEEDS_RESPONSE = frozenset({WARNING, *LADDER_STEPS})

MONTH, QUARTER, ROLLING = "month", "quarter", "rolling"
LATE = "late"


@dataclass(frozen=True)
class Terms:
    """A rule's counting terms and life-cycle dates."""

    ladder: tuple[str, ...] = (REMINDER, TALK, WRITTEN_WARNING, ESCALATION)
    window: str = MONTH
    window_days: int = 30
    free_per_window: int = 0
    lates_per_absence: int = 0
    announced_on: date | None = None
    grace_days: int = 0
    retired_on: date | None = None

    @property
    def enforced_from(self) -> date | None:
        if self.announced_on is None:
            return None
        return self.announced_on + timedelta(days=self.grace_days)

    def phase(self, day: date) -> str:
        if self.announced_on is None or day < self.announced_on:
            return NOT_IN_FORCE
        if self.retired_on is not None and day >= self.retired_on:
            return RETIRED
        if day < self.enforced_from:
            return GRACE
        return ENFORCED

    def step(self, unit: int) -> str:
        """Consequence of the ``unit``-th unit of a window."""
        if unit <= self.free_per_window:
            return FREE
        if not self.ladder:
            return NONE
        return self.ladder[min(unit - self.free_per_window, len(self.ladder)) - 1]


@dataclass(frozen=True)
class Occurrence:
    """One violation of one agent under one rule. ``order`` breaks ties within a day."""

    key: Hashable
    day: date
    kind: str
    order: float = 0.0
    exempt: bool = False


@dataclass(frozen=True)
class Decision:
    key: Hashable
    phase: str
    consequence: str
    unit: int | None = None  # which unit of the window this occurrence made, if any
    lates: int = 0  # lates tallied in the window so far (with lates_per_absence)
    window_start: date | None = None


def window_start(terms: Terms, day: date) -> date:
    if terms.window == MONTH:
        return day.replace(day=1)
    if terms.window == QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day - timedelta(days=max(terms.window_days, 1) - 1)


def settled(terms: Terms, days: Iterable[tuple[Hashable, date]], today: date) -> list[Hashable]:
    """Keys of one agent's occurrences under one rule that stopped counting before ``today``.

    Removing them (a retention period) changes no other occurrence's consequence, now or on
    a recount: a calendar window is settled once it has closed, all of it at once. In a
    rolling window an occurrence counts for ``window_days``; occurrences that fall within
    each other's windows form a chain that is settled when ``window_days`` have passed after
    its last one (the next occurrence then counts none of them).
    """
    if terms.window in (MONTH, QUARTER):
        closed = window_start(terms, today)
        return [key for key, day in days if day < closed]
    span = timedelta(days=max(terms.window_days, 1))
    ordered = sorted(days, key=lambda item: item[1])
    result: list[Hashable] = []
    chain: list[Hashable] = []
    last: date | None = None
    for key, day in ordered:
        if last is not None and day - last >= span:  # the chain before has ended
            if last + span <= today:
                result.extend(chain)
            chain = []
        chain.append(key)
        last = day
    if last is not None and last + span <= today:
        result.extend(chain)
    return result


def decide(terms: Terms, occurrences: Iterable[Occurrence]) -> list[Decision]:
    """Consequence of each occurrence of one agent under one rule, in chronological order."""
    ordered = sorted(occurrences, key=lambda o: (o.day, o.order, o.kind, str(o.key)))
    n = terms.lates_per_absence
    calendar = terms.window in (MONTH, QUARTER)
    span = timedelta(days=max(terms.window_days, 1))
    decisions: list[Decision] = []
    # Counted (non-exempt, enforced) occurrences of the current window: (day, is_late).
    counted: deque[tuple[date, bool]] = deque()
    lates = others = 0
    current_start: date | None = None
    for occ in ordered:
        phase = terms.phase(occ.day)
        if phase != ENFORCED:
            consequence = WARNING if phase == GRACE else NONE
            if occ.exempt:
                consequence = EXCUSED
            decisions.append(Decision(occ.key, phase, consequence))
            continue
        start = window_start(terms, occ.day)
        if calendar:
            if start != current_start:
                counted.clear()
                lates = others = 0
                current_start = start
        else:
            while counted and counted[0][0] <= occ.day - span:
                _, was_late = counted.popleft()
                if was_late:
                    lates -= 1
                else:
                    others -= 1
        if occ.exempt:
            decisions.append(Decision(occ.key, phase, EXCUSED, window_start=start))
            continue
        is_late = occ.kind == LATE and n > 0
        counted.append((occ.day, is_late))
        if is_late:
            lates += 1
            if lates % n:
                decisions.append(Decision(occ.key, phase, TALLY, lates=lates, window_start=start))
                continue
        else:
            others += 1
        unit = others + (lates // n if n > 0 else 0)
        decisions.append(Decision(occ.key, phase, terms.step(unit), unit=unit, lates=lates, window_start=start))
    return decisions


def naive_decide(terms: Terms, occurrences: Iterable[Occurrence]) -> list[Decision]:
    """The same answer by recounting each occurrence's window from scratch (quadratic).

    The reference the property tests compare :func:`decide` with, and the
    baseline of the benchmark.
    """
    ordered = sorted(occurrences, key=lambda o: (o.day, o.order, o.kind, str(o.key)))
    n = terms.lates_per_absence
    result = []
    for i, occ in enumerate(ordered):
        phase = terms.phase(occ.day)
        if phase != ENFORCED:
            result.append(Decision(occ.key, phase, EXCUSED if occ.exempt else (WARNING if phase == GRACE else NONE)))
            continue
        start = window_start(terms, occ.day)
        if occ.exempt:
            result.append(Decision(occ.key, phase, EXCUSED, window_start=start))
            continue
        before = [
            o for o in ordered[: i + 1]
            if not o.exempt and terms.phase(o.day) == ENFORCED and start <= o.day
            and (terms.window == ROLLING or window_start(terms, o.day) == start)
        ]
        lates = sum(1 for o in before if o.kind == LATE and n > 0)
        others = len(before) - lates
        if occ.kind == LATE and n > 0 and lates % n:
            result.append(Decision(occ.key, phase, TALLY, lates=lates, window_start=start))
            continue
        unit = others + (lates // n if n > 0 else 0)
        result.append(Decision(occ.key, phase, terms.step(unit), unit=unit, lates=lates, window_start=start))
    return result
