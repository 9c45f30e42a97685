"""Emotional bank account arithmetic and nudges (plain inputs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NO_DEPOSIT_DAYS = 14


@dataclass(frozen=True)
class AccountSummary:
    agent_id: int
    balance: int
    last_deposit: dt.date | None
    trend: int  # balance change over the last 30 days

    def nudges(self, today: dt.date, since: dt.date | None = None) -> list[str]:
        """``"negative_balance"`` and/or ``"no_deposit"`` (no deposit for 14 days).

        ``since`` is when the pair started (e.g. hire date): a newcomer is not
        nagged about before the window has passed.
        """
        result = []
        if self.balance < 0:
            result.append("negative_balance")
        reference = self.last_deposit or since
        if reference is None or (today - reference).days >= NO_DEPOSIT_DAYS:
            result.append("no_deposit")
        return result


def summarize(
    entries: list[tuple[int, dt.date, int]], today: dt.date, trend_days: int = 30
) -> dict[int, AccountSummary]:
    """``entries``: (agent id, date, signed amount) → summary per agent (entries after today ignored)."""
    balance: dict[int, int] = {}
    trend: dict[int, int] = {}
    last_deposit: dict[int, dt.date] = {}
    trend_start = today - dt.timedelta(days=trend_days)
    for agent_id, on, amount in entries:
        if on > today:
            continue
        balance[agent_id] = balance.get(agent_id, 0) + amount
        if on > trend_start:
            trend[agent_id] = trend.get(agent_id, 0) + amount
        if amount > 0 and (agent_id not in last_deposit or on > last_deposit[agent_id]):
            last_deposit[agent_id] = on
    return {
        agent_id: AccountSummary(agent_id, total, last_deposit.get(agent_id), trend.get(agent_id, 0))
        for agent_id, total in balance.items()
    }


def running_balance(entries: list[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    """(date, amount) in any order → balance at the end of each date with an entry."""
    points: list[tuple[dt.date, int]] = []
    total = 0
    for on, amount in sorted(entries):
        total += amount
        if points and points[-1][0] == on:
            points[-1] = (on, total)
        else:
            points.append((on, total))
    return points
