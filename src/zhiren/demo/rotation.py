"""The demo centre's working pattern: the floor is staffed seven days a week.

Each rostered agent has two rest days in a row, staggered through the team by the
agent's place in it (employee number order), so every day of the week, Saturday
and Sunday included, has most of the team on the floor. Leads, QA inspectors and
trainers are not rostered and work Monday to Friday.

The workforce demo publishes its schedule from this pattern, and the demo's
history (moods, attendance) follows it for the weeks before that schedule, so
what a visitor sees is the same whatever day of the week the demo is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

NOT_ROSTERED = frozenset({"team_lead", "qa", "trainer"})
OFFICE_DAYS_OFF = frozenset({5, 6})


def days_off(place: int) -> frozenset[int]:
    """Weekdays (Monday = 0) off for the agent at ``place`` in the team's rota."""
    return frozenset({(place * 2) % 7, (place * 2 + 1) % 7})


def rest_days(agents: Iterable) -> dict[int, frozenset[int]]:
    """Agent id -> weekdays off, for agents with ``pk``, ``team_id``, ``employee_no``, ``position``."""
    by_team: dict[int, list] = {}
    result: dict[int, frozenset[int]] = {}
    for agent in agents:
        if agent.position in NOT_ROSTERED:
            result[agent.pk] = OFFICE_DAYS_OFF
        else:
            by_team.setdefault(agent.team_id, []).append(agent)
    for members in by_team.values():
        members.sort(key=lambda a: a.employee_no)
        for place, agent in enumerate(members):
            result[agent.pk] = days_off(place)
    return result


def works(off: frozenset[int], day: date) -> bool:
    return day.weekday() not in off
