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


def review(
    decided: list[tuple[int, str, int | None]],
    open_now: list[int],
    moved_up: int,
) -> dict:
    """The weekly quadrant review on plain values.

    ``decided``: ``(quadrant, status, minutes or None)`` of each card decided in the week;
    ``open_now``: the quadrant of each card still open; ``moved_up``: cards first seen in II
    that reached I. Returns per quadrant the cards decided, minutes and share of the decided
    cards, and the share of quadrant I with the cards that slid there from II (seed 004: how do
    we keep things out of quadrant I?).
    """
    rows = {}
    total = len(decided)
    for q in QUADRANTS:
        mine = [d for d in decided if d[0] == q]
        rows[q] = {
            "decided": len(mine),
            "minutes": sum(m or 0 for _, _, m in mine),
            "share": round(100 * len(mine) / total) if total else 0,
            "open": sum(1 for o in open_now if o == q),
            "by_status": {
                status: sum(1 for _, st, _ in mine if st == status)
                for status in sorted({st for _, st, _ in mine})
            },
        }
    minutes = sum(r["minutes"] for r in rows.values())
    for r in rows.values():
        r["minute_share"] = round(100 * r["minutes"] / minutes) if minutes else 0
    return {
        "quadrants": rows,
        "decided": total,
        "minutes": minutes,
        "share_do": rows[DO]["share"],
        "share_plan": rows[PLAN]["share"],
        "moved_up": moved_up,
    }
