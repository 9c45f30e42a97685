"""Parting on good terms: the handover checklist, when an offboarding may close, the tally
of reasons for the attrition report. Plain Python, no Django."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

# the handover, in the order it is usually done
CHECKLIST: tuple[str, ...] = ("tickets", "knowledge", "customers", "equipment", "accounts", "pay")

# why an offboarding cannot close yet
NO_REASON, HANDOVER_OPEN, NOT_LEFT_YET = "no_reason", "handover_open", "not_left_yet"


def open_items(checklist: Mapping[str, str | None]) -> list[str]:
    """Checklist keys not done yet, in order."""
    return [key for key in CHECKLIST if not checklist.get(key)]


def close_problems(
    main_reason: str, checklist: Mapping[str, str | None], last_day: dt.date, today: dt.date
) -> list[str]:
    """What stands in the way of closing: a main reason, the whole handover, the last day."""
    problems = []
    if not main_reason:
        problems.append(NO_REASON)
    if open_items(checklist):
        problems.append(HANDOVER_OPEN)
    if last_day > today:
        problems.append(NOT_LEFT_YET)
    return problems


def tally(rows: Iterable[tuple[str, str]]) -> dict[str, Counter[str]]:
    """(group, main reason) pairs → per group, how many left for each reason."""
    out: dict[str, Counter[str]] = {}
    for group, reason in rows:
        out.setdefault(group, Counter())[reason] += 1
    return out
