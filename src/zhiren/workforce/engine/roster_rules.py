"""Independent roster checker: recompute every hard rule from the assignments.

This module deliberately shares nothing with the solver's model (`roster.py`):
it reads only the plain data in `roster_problem.py` and walks the returned
shifts minute by minute, so a bug in the model or in its read-back shows up
here as a `Violation`.
"""

from __future__ import annotations

from collections import defaultdict

from .roster_problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    Assignment,
    RosterProblem,
    RosterResult,
    Violation,
)

__all__ = ["RULES", "check_roster", "rule_names"]

RULES: dict[str, str] = {
    "known_agent_and_template": "every shift names a known agent and template",
    "shift_shape": "start inside the template window on its step, template length, midnight rule",
    "one_shift_per_day": "at most one shift per agent and day",
    "leave": "no work on a fixed leave day",
    "availability": "every shift inside one of the agent's availability windows",
    "breaks": "breaks as the template says: count, length, window, order, no overlap",
    "min_rest": "minimum rest between consecutive shifts of an agent",
    "max_consecutive_days": "no more consecutive working days than allowed",
    "rest_days_per_week": "at least the required rest days in every full week",
    "max_hours_per_day": "paid minutes of a shift within the daily limit",
    "max_hours_per_week": "paid minutes per week within the legal and contract maximum",
    "min_contract_hours": "paid minutes per week at least the contract minimum (pro rata leave)",
    "transition_ban": "no banned shift kind on the day after another",
    "queue_assignment": "one queue per working interval, among the agent's skills; none on break",
    "coverage_report": "reported coverage, under- and over-staffing match the assignments",
}


def rule_names() -> list[str]:
    return list(RULES)


def check_roster(problem: RosterProblem, result: RosterResult) -> list[Violation]:
    """Return every hard-rule violation found in ``result`` (empty list = valid)."""
    out: list[Violation] = []

    def bad(rule: str, agent: str | None, day: int | None, detail: str) -> None:
        out.append(Violation(rule, agent, day, detail))

    agents = {a.id: a for a in problem.agents}
    templates = {t.name: t for t in problem.templates}
    rules = problem.rules
    by_agent: dict[str, list[Assignment]] = defaultdict(list)
    for s in result.assignments:
        if s.agent_id not in agents or s.template not in templates:
            bad("known_agent_and_template", s.agent_id, s.day, f"{s.agent_id}/{s.template}")
            continue
        by_agent[s.agent_id].append(s)

    for agent_id, shifts in by_agent.items():
        agent = agents[agent_id]
        shifts.sort(key=lambda s: (s.day, s.start))
        worked_days: dict[int, int] = defaultdict(int)
        paid_by_day: dict[int, int] = defaultdict(int)
        kinds_by_day: dict[int, set[str]] = defaultdict(set)
        for s in shifts:
            t = templates[s.template]
            d = s.day
            worked_days[d] += 1
            kinds_by_day[d].add(t.kind)
            # shape
            if not 0 <= d < problem.days:
                bad("shift_shape", agent_id, d, "day outside the horizon")
            if not (
                t.earliest_start <= s.start <= t.latest_start
                and (s.start - t.earliest_start) % t.start_step == 0
            ):
                bad("shift_shape", agent_id, d, f"start {s.start} not allowed by {t.name}")
            if s.end - s.start != t.length_minutes:
                bad("shift_shape", agent_id, d, f"length {s.end - s.start} != {t.length_minutes}")
            if s.end > MINUTES_PER_DAY and not t.may_cross_midnight:
                bad("shift_shape", agent_id, d, "crosses midnight")
            abs_start = d * MINUTES_PER_DAY + s.start
            abs_end = d * MINUTES_PER_DAY + s.end
            # leave: any minute of the shift on a leave day
            for leave in agent.leave_days:
                if abs_start < (leave + 1) * MINUTES_PER_DAY and leave * MINUTES_PER_DAY < abs_end:
                    bad("leave", agent_id, d, f"shift touches leave day {leave}")
            if agent.availability is not None and not any(
                wd * MINUTES_PER_DAY + ws <= abs_start and abs_end <= wd * MINUTES_PER_DAY + we
                for wd, ws, we in agent.availability
            ):
                bad("availability", agent_id, d, f"{s.start}-{s.end} outside availability")
            # breaks
            if len(s.breaks) != len(t.breaks):
                bad("breaks", agent_id, d, f"{len(s.breaks)} breaks, template has {len(t.breaks)}")
            else:
                prev_end = s.start
                for (bs, be), rule in zip(s.breaks, t.breaks, strict=True):
                    after = bs - s.start
                    if be - bs != rule.length_minutes:
                        bad("breaks", agent_id, d, f"{rule.name} lasts {be - bs}")
                    if not rule.earliest_after <= after <= rule.latest_after:
                        bad("breaks", agent_id, d, f"{rule.name} starts {after} min after start")
                    if after % SLOT_MINUTES:
                        bad("breaks", agent_id, d, f"{rule.name} off the grid")
                    if bs < prev_end:
                        bad("breaks", agent_id, d, f"{rule.name} overlaps or precedes the previous")
                    if be > s.end:
                        bad("breaks", agent_id, d, f"{rule.name} ends after the shift")
                    prev_end = be
            paid = (s.end - s.start) - sum(
                be - bs for (bs, be), r in zip(s.breaks, t.breaks, strict=False) if not r.paid
            )
            paid_by_day[d] += paid
            if paid > rules.max_minutes_per_day:
                bad("max_hours_per_day", agent_id, d, f"{paid} paid minutes")
            # queues
            n_slots = (s.end - s.start) // SLOT_MINUTES
            if len(s.queues) != n_slots:
                bad(
                    "queue_assignment",
                    agent_id,
                    d,
                    f"{len(s.queues)} queue entries for {n_slots} intervals",
                )
            else:
                for i, q in enumerate(s.queues):
                    m = s.start + i * SLOT_MINUTES
                    in_break = any(bs <= m < be for bs, be in s.breaks)
                    beyond = d * MINUTES_PER_DAY + m >= problem.days * MINUTES_PER_DAY
                    if in_break or beyond:
                        if q is not None:
                            bad("queue_assignment", agent_id, d, f"serves {q} at {m} while off")
                    elif q is None:
                        bad("queue_assignment", agent_id, d, f"no queue at minute {m}")
                    elif q not in agent.skills:
                        bad("queue_assignment", agent_id, d, f"serves {q} without the skill")
        for d, n in worked_days.items():
            if n > 1:
                bad("one_shift_per_day", agent_id, d, f"{n} shifts")
        # rest between consecutive shifts
        for a, b in zip(shifts, shifts[1:], strict=False):
            gap = (b.day * MINUTES_PER_DAY + b.start) - (a.day * MINUTES_PER_DAY + a.end)
            if gap < rules.min_rest_minutes:
                bad("min_rest", agent_id, b.day, f"rest {gap} min before this shift")
        # consecutive days
        run = 0
        for d in range(problem.days):
            run = run + 1 if worked_days.get(d) else 0
            if run > rules.max_consecutive_days:
                bad("max_consecutive_days", agent_id, d, f"{run} days in a row")
        # transition bans
        for d in range(problem.days - 1):
            for ka, kb in rules.banned_transitions:
                if ka in kinds_by_day.get(d, ()) and kb in kinds_by_day.get(d + 1, ()):
                    bad("transition_ban", agent_id, d + 1, f"{kb} after {ka}")
    # weekly rules for every agent (also those without shifts)
    for agent in problem.agents:
        shifts = by_agent.get(agent.id, [])
        for w in range(0, problem.days, 7):
            days = range(w, min(w + 7, problem.days))
            worked = {s.day for s in shifts if s.day in days}
            minutes = 0
            for s in shifts:
                if s.day in days:
                    t = templates[s.template]
                    minutes += t.length_minutes - sum(
                        b.length_minutes for b in t.breaks if not b.paid
                    )
            if len(days) == 7 and 7 - len(worked) < rules.min_rest_days_per_week:
                bad("rest_days_per_week", agent.id, w, f"{7 - len(worked)} rest days")
            limit = min(rules.max_minutes_per_week, agent.max_minutes_week)
            if minutes > limit:
                bad("max_hours_per_week", agent.id, w, f"{minutes} > {limit} minutes")
            on_duty_days = sum(1 for d in days if d not in agent.leave_days)
            minimum = agent.min_minutes_week * on_duty_days // 7
            if minutes < minimum:
                bad("min_contract_hours", agent.id, w, f"{minutes} < {minimum} minutes")
    # coverage as reported
    n_slots = problem.num_slots
    served = {q: [0] * n_slots for q in problem.demand}
    for s in result.assignments:
        base = (s.day * MINUTES_PER_DAY + s.start) // SLOT_MINUTES
        for i, q in enumerate(s.queues):
            if q is not None and 0 <= base + i < n_slots and q in served:
                served[q][base + i] += 1
    if result.assignments or result.coverage:
        for q, dem in problem.demand.items():
            cov = served[q]
            if result.coverage.get(q) != cov:
                bad("coverage_report", None, None, f"coverage of {q} differs from the shifts")
            under = [max(0, r - c) for r, c in zip(dem, cov, strict=True)]
            over = [max(0, c - r) for r, c in zip(dem, cov, strict=True)]
            if result.under.get(q) != under or result.over.get(q) != over:
                bad("coverage_report", None, None, f"under/over of {q} differ from the shifts")
    return out
