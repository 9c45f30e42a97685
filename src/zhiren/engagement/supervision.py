"""The staff supervision group (员工督办组): its items' state machine, deadlines and the
monthly report. Plain Python, no Django.

raised → accepted (an owner and a due date are required) → done; raised or accepted →
dropped (a reason is required). An accepted item past its due date is overdue and, from
that day, escalated to the site manager; nothing needs to run for it to happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

RAISED, ACCEPTED, DONE, DROPPED = "raised", "accepted", "done", "dropped"
MOVES: dict[str, frozenset[str]] = {
    RAISED: frozenset({ACCEPTED, DROPPED}),
    ACCEPTED: frozenset({DONE, DROPPED}),
    DONE: frozenset(),
    DROPPED: frozenset(),
}


class SupervisionError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_move(
    current: str, target: str, *, owner: object = None, due_on: date | None = None, reason: str = ""
) -> None:
    if target not in MOVES.get(current, frozenset()):
        raise SupervisionError("not_allowed", f"{current} → {target} is not allowed")
    if target == ACCEPTED and (owner is None or due_on is None):
        raise SupervisionError("owner_and_due", "an accepted item needs an owner and a due date")
    if target == DROPPED and not reason.strip():
        raise SupervisionError("reason_required", "a dropped item needs a reason")


def overdue_days(status: str, due_on: date | None, today: date) -> int:
    """Days past the due date of an accepted item (0 when not overdue)."""
    if status != ACCEPTED or due_on is None or due_on >= today:
        return 0
    return (today - due_on).days


def in_term(start: date, end: date | None, today: date) -> bool:
    return start <= today and (end is None or today <= end)


@dataclass(frozen=True)
class ItemFacts:
    raised_on: date
    status: str
    due_on: date | None
    done_on: date | None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def monthly_report(items: Iterable[ItemFacts], year: int, month: int) -> dict[str, int]:
    """Raised and done during the month, and, at its end, still open and overdue."""
    start, end = month_bounds(year, month)
    last = date.fromordinal(end.toordinal() - 1)
    report = {"raised": 0, "done": 0, "open": 0, "overdue": 0}
    for item in items:
        if start <= item.raised_on < end:
            report["raised"] += 1
        if item.done_on is not None and start <= item.done_on < end:
            report["done"] += 1
        if (
            item.raised_on < end
            and (item.done_on is None or item.done_on >= end)
            and item.status != DROPPED
        ):
            report["open"] += 1
            if item.due_on is not None and item.due_on < last and item.status in (ACCEPTED, DONE):
                report["overdue"] += 1
    return report
