"""Talk cadence and suggested groupings for heart-to-heart talks (plain inputs)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class TalkStatus:
    agent_id: int
    last_talk: dt.date | None
    due_on: dt.date
    days_overdue: int  # > 0 when overdue, 0 when due today, negative when not yet due

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


def talk_status(
    agent_id: int,
    last_talk: dt.date | None,
    hire_date: dt.date | None,
    cadence_weeks: int,
    today: dt.date,
) -> TalkStatus:
    """When the agent's next talk is due: a cadence after the last one, or after hiring.

    An agent never talked to and with no hire date is due today.
    """
    interval = dt.timedelta(weeks=cadence_weeks)
    start = last_talk or hire_date
    due = start + interval if start else today
    return TalkStatus(agent_id, last_talk, due, (today - due).days)


def overdue_first(statuses: list[TalkStatus]) -> list[TalkStatus]:
    """Longest overdue first; never-talked-to before talked-to at equal due dates."""
    return sorted(statuses, key=lambda s: (s.due_on, s.last_talk is not None, s.agent_id))


def suggest_groups(
    candidates: list[tuple[int, dt.date | None, dt.date | None]],
    today: dt.date,
    group_size: int = 4,
    limit: int | None = None,
) -> list[list[int]]:
    """Groups of agent ids for the next talks.

    ``candidates``: (agent id, last talk, hire date). Agents not talked to for the
    longest come first; the chosen agents are dealt across the groups by tenure
    in a snake order, so each group mixes newcomers with old hands.
    """
    if group_size < 1:
        raise ValueError("group_size must be at least 1")
    ordered = sorted(
        candidates,
        key=lambda c: (c[1] is not None, c[1] or dt.date.min, c[0]),
    )
    if limit is not None:
        ordered = ordered[:limit]
    if not ordered:
        return []
    n_groups = math.ceil(len(ordered) / group_size)
    by_tenure = sorted(ordered, key=lambda c: (c[2] or today, c[0]))  # longest tenure first
    groups: list[list[int]] = [[] for _ in range(n_groups)]
    for index, candidate in enumerate(by_tenure):
        lap, pos = divmod(index, n_groups)
        target = pos if lap % 2 == 0 else n_groups - 1 - pos
        groups[target].append(candidate[0])
    return [g for g in groups if g]
