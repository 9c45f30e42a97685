"""Upcoming personal dates, on plain inputs (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def next_occurrence(month_day: dt.date, today: dt.date) -> dt.date:
    """The next date on or after ``today`` with the month and day of ``month_day``.

    29 February falls on 28 February in common years.
    """
    for year in (today.year, today.year + 1):
        try:
            candidate = month_day.replace(year=year)
        except ValueError:  # 29 Feb in a common year
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class DateReminder:
    kind: str  # "birthday" | "anniversary" | "important_date"
    agent_id: int
    on: dt.date
    days_away: int
    years: int | None = None  # completed years at an anniversary
    label: str = ""


def upcoming_dates(
    people: list[tuple[int, dt.date | None, dt.date | None]],
    today: dt.date,
    horizon_days: int = 7,
    important: list[tuple[int, str, dt.date, bool]] = (),
) -> list[DateReminder]:
    """Birthdays, work anniversaries (whole years) and important dates within the horizon.

    ``people``: (agent id, birthday, hire date). ``important``: (agent id, label, date, yearly).
    """
    result: list[DateReminder] = []
    end = today + dt.timedelta(days=horizon_days)
    for agent_id, birthday, hired in people:
        if birthday:
            on = next_occurrence(birthday, today)
            if on <= end:
                result.append(DateReminder("birthday", agent_id, on, (on - today).days))
        if hired:
            on = next_occurrence(hired, today)
            years = on.year - hired.year
            if years >= 1 and on <= end:
                result.append(DateReminder("anniversary", agent_id, on, (on - today).days, years))
    for agent_id, label, date, yearly in important:
        on = next_occurrence(date, today) if yearly else date
        if today <= on <= end:
            result.append(DateReminder("important_date", agent_id, on, (on - today).days, label=label))
    result.sort(key=lambda r: (r.on, r.kind, r.agent_id))
    return result
