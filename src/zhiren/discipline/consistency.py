"""The consistency report: broken windows, exceptions by agent, time to response.

Plain inputs (one :class:`Fact` per violation), no Django. 执法从严: a rule
that is announced and then not enforced teaches the floor that it does not
count (the broken window); leniency that falls on a few people teaches that it
depends on who you are.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Fact:
    violation_id: int
    agent_id: int
    group: Hashable  # a team (or a lead): the unit the report compares
    rule_id: int
    unit: int | None
    consequence: str
    needs_response: bool
    recorded_at: datetime
    responded_at: datetime | None = None
    exempt: bool = False


@dataclass
class AgentLeniency:
    agent_id: int
    violations: int
    exceptions: int
    rate: float  # share of the agent's violations excused or left unanswered past due
    flagged: bool = False  # leniency concentrated on this agent
    unanswered: int = 0  # left without response past due (broken windows)


@dataclass
class GroupReport:
    group: Hashable
    violations: int = 0
    needing_response: int = 0
    responded: int = 0
    broken_windows: list[int] = field(default_factory=list)  # violation ids left unanswered past due
    pending: int = 0  # unanswered, not yet due
    exceptions: int = 0
    exception_rate: float = 0.0
    median_response_hours: float | None = None
    p90_response_hours: float | None = None
    leniency: list[AgentLeniency] = field(default_factory=list)
    inconsistent: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)

    @property
    def broken_window_count(self) -> int:
        return len(self.broken_windows)

    @property
    def response_rate(self) -> float | None:
        if not self.needing_response:
            return None
        return round(100.0 * self.responded / self.needing_response, 1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def report(
    facts: Iterable[Fact],
    *,
    now: datetime,
    due: timedelta = timedelta(days=3),
    min_exceptions: int = 2,
    favoritism_ratio: float = 2.0,
) -> list[GroupReport]:
    """One report per group, ordered by the number of broken windows (most first).

    Leniency is an exception or a violation left unanswered past due. An agent is
    *flagged* when at least ``min_exceptions`` of their violations met leniency and
    their lenient share is at least ``favoritism_ratio`` times the share of the
    rest of their group — does leniency follow favourites?
    """
    by_group: dict[Hashable, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_group[fact.group].append(fact)
    reports = []
    for group, group_facts in by_group.items():
        rep = GroupReport(group)
        hours: list[float] = []
        per_agent: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # violations, exceptions, unanswered
        consequences: dict[tuple[int, int], set[str]] = defaultdict(set)
        for fact in group_facts:
            rep.violations += 1
            counts = per_agent[fact.agent_id]
            counts[0] += 1
            if fact.exempt:
                rep.exceptions += 1
                counts[1] += 1
                continue
            if fact.unit is not None:
                consequences[(fact.rule_id, fact.unit)].add(fact.consequence)
            if not fact.needs_response:
                continue
            rep.needing_response += 1
            if fact.responded_at is not None:
                rep.responded += 1
                hours.append(max((fact.responded_at - fact.recorded_at).total_seconds(), 0) / 3600)
            elif now - fact.recorded_at > due:
                rep.broken_windows.append(fact.violation_id)
                counts[2] += 1
            else:
                rep.pending += 1
        if hours:
            rep.median_response_hours = round(statistics.median(hours), 1)
            rep.p90_response_hours = round(_percentile(hours, 0.9), 1)
        rep.exception_rate = round(100.0 * rep.exceptions / rep.violations, 1) if rep.violations else 0.0
        lenient_total = rep.exceptions + len(rep.broken_windows)
        for agent_id, (violations, exceptions, unanswered) in per_agent.items():
            lenient = exceptions + unanswered
            if not lenient:
                continue
            rest_v = rep.violations - violations
            rest_rate = (lenient_total - lenient) / rest_v if rest_v else 0.0
            rate = lenient / violations
            flagged = lenient >= min_exceptions and (rest_rate == 0 or rate >= favoritism_ratio * rest_rate)
            rep.leniency.append(
                AgentLeniency(agent_id, violations, exceptions, round(100 * rate, 1), flagged, unanswered)
            )
        rep.leniency.sort(key=lambda a: (-a.exceptions, -a.rate, a.agent_id))
        rep.inconsistent = sorted(
            (rule, unit, tuple(sorted(found))) for (rule, unit), found in consequences.items() if len(found) > 1
        )
        rep.broken_windows.sort()
        reports.append(rep)
    reports.sort(key=lambda r: (-r.broken_window_count, str(r.group)))
    return reports
