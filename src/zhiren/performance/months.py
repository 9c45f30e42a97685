"""Calendar months and the grain of a dashboard's range: plain dates, no Django.

A long range is read from monthly summaries for the months it holds whole and from daily
rows for the days at its ends (:func:`split_by_month`); its trends are drawn by month
(:func:`grain_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAY = "day"
MONTH = "month"
# Up to this many days a trend has a point per day; beyond, a point per month.
DAILY_TREND_MAX_DAYS = 92


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def months_of(days: Iterable[date]) -> set[date]:
    """The first days of the months that ``days`` fall in."""
    return {month_start(d) for d in days}


@dataclass(frozen=True)
class MonthSplit:
    """A range as the months it holds whole, and the days outside them (at most two runs)."""

    months: tuple[date, ...]
    edges: tuple[tuple[date, date], ...]


def split_by_month(start: date, end: date) -> MonthSplit:
    months: list[date] = []
    edges: list[tuple[date, date]] = []
    first = start if start.day == 1 else next_month(start)
    month = first
    while month_end(month) <= end:
        months.append(month)
        month = next_month(month)
    if not months:
        return MonthSplit((), ((start, end),) if start <= end else ())
    if start < months[0]:
        edges.append((start, months[0] - timedelta(days=1)))
    after = next_month(months[-1])
    if after <= end:
        edges.append((after, end))
    return MonthSplit(tuple(months), tuple(edges))


def grain_for(start: date, end: date) -> str:
    return DAY if (end - start).days + 1 <= DAILY_TREND_MAX_DAYS else MONTH


def buckets(start: date, end: date, grain: str) -> list[date]:
    """The trend's points: every day, or the first day of every month the range touches."""
    if grain == DAY:
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]
    result, month = [], month_start(start)
    while month <= end:
        result.append(month)
        month = next_month(month)
    return result


def bucket_of(day: date, grain: str) -> date:
    return day if grain == DAY else month_start(day)
