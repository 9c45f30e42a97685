"""A survey wave's automatic reminder plan: plain date arithmetic, no Django.

A wave may carry two reminders, each sent at most once to the leads' group robots (the same
message as a runner's "remind"): one ``after_days`` days after the wave opens, and one on
its last day (the closing day still takes answers). The default, chosen at launch, is one
halfway and one on the last day. A reminder never goes out on or before the day the wave was
launched (the launch message has just gone), twice on one day, or once the wave is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

AFTER = "after"
LAST_DAY = "last_day"


@dataclass(frozen=True)
class Plan:
    """``after_days``: remind that many days after opening (None: not); ``last_day``: remind
    on the closing day."""

    after_days: int | None = None
    last_day: bool = False


def halfway(opens_on: dt.date, closes_on: dt.date) -> int | None:
    """Days from opening to the middle of the wave; None when it is too short for one."""
    span = (closes_on - opens_on).days
    return span // 2 if span >= 2 else None


def default_plan(opens_on: dt.date, closes_on: dt.date) -> Plan:
    return Plan(halfway(opens_on, closes_on), True)


def valid_after_days(after_days: int | None, opens_on: dt.date, closes_on: dt.date) -> bool:
    """Whether ``after_days`` falls within the wave (from the day after opening to closing)."""
    return after_days is None or 1 <= after_days <= (closes_on - opens_on).days


def schedule(
    plan: Plan, opens_on: dt.date, closes_on: dt.date, launched_on: dt.date
) -> list[tuple[str, dt.date]]:
    """The reminders of the plan as (kind, day), in day order, one per day at most."""
    days: dict[dt.date, str] = {}
    if plan.last_day:
        days[closes_on] = LAST_DAY
    if plan.after_days:
        day = opens_on + dt.timedelta(days=plan.after_days)
        if day <= closes_on:
            days.setdefault(day, AFTER)  # on the closing day, the last-day reminder is it
    first = max(opens_on, launched_on)
    return sorted(((kind, day) for day, kind in days.items() if day > first), key=lambda r: r[1])


def due(
    plan: Plan,
    opens_on: dt.date,
    closes_on: dt.date,
    launched_on: dt.date,
    sent: set[str],
    today: dt.date,
) -> list[str]:
    """The kinds to send today: their day has come, they were not sent, the wave is open.

    Several due at once (the workers were away) go out as one message."""
    if not opens_on <= today <= closes_on:
        return []
    return [
        kind
        for kind, day in schedule(plan, opens_on, closes_on, launched_on)
        if day <= today and kind not in sent
    ]
