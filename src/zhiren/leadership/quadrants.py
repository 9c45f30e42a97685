"""The four-quadrant board's rules (四象限, seed 004): urgent × important, on plain values.

I: urgent and important (do now) · II: important, not urgent (talks, coaching, planning) ·
III: urgent, not important (delegate) · IV: neither (drop or batch). No Django here.
"""

from __future__ import annotations

from datetime import date, timedelta

DO, PLAN, DELEGATE, DROP = 1, 2, 3, 4
QUADRANTS = (DO, PLAN, DELEGATE, DROP)
DEFAULT_WINDOW_DAYS = 2
MAX_WINDOW_DAYS = 30


def is_urgent(due: date | None, today: date, window_days: int = DEFAULT_WINDOW_DAYS) -> bool:
    """Urgent: the deadline falls within the window (today counts, overdue counts)."""
    return due is not None and due <= today + timedelta(days=window_days)


def quadrant(urgent: bool, important: bool) -> int:
    if important:
        return DO if urgent else PLAN
    return DELEGATE if urgent else DROP


def place(
    due: date | None, important: bool, today: date, window_days: int = DEFAULT_WINDOW_DAYS
) -> int:
    return quadrant(is_urgent(due, today, window_days), important)


def overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def sort_key(quadrant_no: int, due: date | None) -> tuple[int, date]:
    """Board order: quadrant I first, then by deadline (none last)."""
    return (quadrant_no, due or date.max)
