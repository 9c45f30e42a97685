"""The pure part of the nightly evaluation: one mood per day, then cycles and alerts. No Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from . import alerts as rules
from . import cycles

SELF = "self"  # models.Source.SELF


def daily_moods(rows: Iterable[tuple]) -> dict[int, list[rules.DayMood]]:
    """One mood per agent and day from (agent_id, day, source, score, causes) rows ordered by
    agent and day; the agent's own check-in wins over the lead's observation."""
    result: dict[int, list[rules.DayMood]] = {}
    for agent_id, day, source, score, causes in rows:
        moods = result.setdefault(agent_id, [])
        mood = rules.DayMood(day, score, tuple(causes or ()))
        if moods and moods[-1].day == day:
            if source == SELF:
                moods[-1] = mood
            continue
        moods.append(mood)
    return result


def evaluate_moods(
    by_agent: Mapping[int, list[rules.DayMood]],
    today: date,
    hard: set[tuple[int, date]] | None = None,
    holidays: Sequence[date] = (),
) -> tuple[dict[int, cycles.CycleReport], dict[int, list[rules.Alert]]]:
    """The pure part of the nightly job: cycles and alerts for every agent (``holidays``:
    the public holidays' days off, for the mood before them)."""
    hard = hard or set()
    reports, raised = {}, {}
    for agent_id, moods in by_agent.items():
        reports[agent_id] = cycles.detect(
            [m.day for m in moods], [m.score for m in moods], holidays=holidays
        )
        found = rules.evaluate(moods, today, lambda d, a=agent_id: (a, d) in hard)
        if found:
            raised[agent_id] = found
    return reports, raised
