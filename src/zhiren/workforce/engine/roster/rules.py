"""Independent roster checker: recompute every hard rule from the assignments.

This module deliberately shares nothing with the solver's model (`model.py`):
it reads only the plain data in `problem.py` and walks the returned
shifts minute by minute, so a bug in the model or in its read-back shows up
here as a `Violation`.
"""

from __future__ import annotations

from collections import defaultdict

from .problem import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    Agent,
    Assignment,
    RosterProblem,
    RosterResult,
    ShiftTemplate,
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
    checker = _Checker(problem, result)
    by_agent = checker.known_shifts_by_agent()
    for agent_id, shifts in by_agent.items():
        shifts.sort(key=lambda s: (s.day, s.start))
        for shift in shifts:
            checker.shift(checker.agents[agent_id], shift)
        checker.agent_days(agent_id, shifts)
    # weekly rules for every agent (also those without shifts)
    for agent in problem.agents:
        checker.weeks(agent, by_agent.get(agent.id, []))
    checker.coverage_report()
    return checker.violations


class _Checker:
    """Collects the violations of one roster, rule by rule."""

    def __init__(self, problem: RosterProblem, result: RosterResult):
        self.problem = problem
        self.result = result
        self.rules = problem.rules
        self.agents = {a.id: a for a in problem.agents}
        self.templates = {t.name: t for t in problem.templates}
        self.violations: list[Violation] = []

    def bad(
        self, rule: str, agent: str | None, day: int | None, detail: str, **params: int | str
    ) -> None:
        self.violations.append(Violation(rule, agent, day, detail, params))

    def known_shifts_by_agent(self) -> dict[str, list[Assignment]]:
        by_agent: dict[str, list[Assignment]] = defaultdict(list)
        for shift in self.result.assignments:
            if shift.agent_id not in self.agents or shift.template not in self.templates:
                self.bad(
                    "known_agent_and_template",
                    shift.agent_id,
                    shift.day,
                    f"{shift.agent_id}/{shift.template}",
                )
                continue
            by_agent[shift.agent_id].append(shift)
        return by_agent

    # -- one shift -------------------------------------------------------
    def shift(self, agent: Agent, shift: Assignment) -> None:
        template = self.templates[shift.template]
        self._shape(agent.id, shift, template)
        self._leave_and_availability(agent, shift)
        self._breaks(agent.id, shift, template)
        paid = (shift.end - shift.start) - sum(
            end - start
            for (start, end), rule in zip(shift.breaks, template.breaks, strict=False)
            if not rule.paid
        )
        if paid > self.rules.max_minutes_per_day:
            self.bad(
                "max_hours_per_day",
                agent.id,
                shift.day,
                f"{paid} paid minutes",
                value=paid,
                limit=self.rules.max_minutes_per_day,
            )
        self._queues(agent, shift)

    def _shape(self, agent_id: str, shift: Assignment, template: ShiftTemplate) -> None:
        day = shift.day
        if not 0 <= day < self.problem.days:
            self.bad("shift_shape", agent_id, day, "day outside the horizon")
        if not (
            template.earliest_start <= shift.start <= template.latest_start
            and (shift.start - template.earliest_start) % template.start_step == 0
        ):
            self.bad(
                "shift_shape", agent_id, day, f"start {shift.start} not allowed by {template.name}"
            )
        if shift.end - shift.start != template.length_minutes:
            self.bad(
                "shift_shape",
                agent_id,
                day,
                f"length {shift.end - shift.start} != {template.length_minutes}",
            )
        if shift.end > MINUTES_PER_DAY and not template.may_cross_midnight:
            self.bad("shift_shape", agent_id, day, "crosses midnight")

    def _leave_and_availability(self, agent: Agent, shift: Assignment) -> None:
        day = shift.day
        shift_start = day * MINUTES_PER_DAY + shift.start
        shift_end = day * MINUTES_PER_DAY + shift.end
        # leave: any minute of the shift on a leave day
        for leave in agent.leave_days:
            if shift_start < (leave + 1) * MINUTES_PER_DAY and leave * MINUTES_PER_DAY < shift_end:
                self.bad("leave", agent.id, day, f"shift touches leave day {leave}", leave_day=leave)
        if agent.availability is not None and not any(
            window_day * MINUTES_PER_DAY + window_start <= shift_start
            and shift_end <= window_day * MINUTES_PER_DAY + window_end
            for window_day, window_start, window_end in agent.availability
        ):
            self.bad(
                "availability", agent.id, day, f"{shift.start}-{shift.end} outside availability"
            )

    def _breaks(self, agent_id: str, shift: Assignment, template: ShiftTemplate) -> None:
        day = shift.day
        if len(shift.breaks) != len(template.breaks):
            self.bad(
                "breaks",
                agent_id,
                day,
                f"{len(shift.breaks)} breaks, template has {len(template.breaks)}",
            )
            return
        previous_end = shift.start
        for (start, end), rule in zip(shift.breaks, template.breaks, strict=True):
            after = start - shift.start
            if end - start != rule.length_minutes:
                self.bad("breaks", agent_id, day, f"{rule.name} lasts {end - start}")
            if not rule.earliest_after <= after <= rule.latest_after:
                self.bad("breaks", agent_id, day, f"{rule.name} starts {after} min after start")
            if after % SLOT_MINUTES:
                self.bad("breaks", agent_id, day, f"{rule.name} off the grid")
            if start < previous_end:
                self.bad("breaks", agent_id, day, f"{rule.name} overlaps or precedes the previous")
            if end > shift.end:
                self.bad("breaks", agent_id, day, f"{rule.name} ends after the shift")
            previous_end = end

    def _queues(self, agent: Agent, shift: Assignment) -> None:
        day = shift.day
        n_slots = (shift.end - shift.start) // SLOT_MINUTES
        if len(shift.queues) != n_slots:
            self.bad(
                "queue_assignment",
                agent.id,
                day,
                f"{len(shift.queues)} queue entries for {n_slots} intervals",
            )
            return
        for i, queue in enumerate(shift.queues):
            minute = shift.start + i * SLOT_MINUTES
            on_break = any(start <= minute < end for start, end in shift.breaks)
            beyond = day * MINUTES_PER_DAY + minute >= self.problem.days * MINUTES_PER_DAY
            if on_break or beyond:
                if queue is not None:
                    self.bad(
                        "queue_assignment", agent.id, day, f"serves {queue} at {minute} while off"
                    )
            elif queue is None:
                self.bad("queue_assignment", agent.id, day, f"no queue at minute {minute}")
            elif queue not in agent.skills:
                self.bad("queue_assignment", agent.id, day, f"serves {queue} without the skill")

    # -- one agent's days and weeks --------------------------------------
    def agent_days(self, agent_id: str, shifts: list[Assignment]) -> None:
        """One shift a day, rest between shifts, runs and transition bans
        (``shifts`` sorted by day and start)."""
        rules = self.rules
        worked_days: dict[int, int] = defaultdict(int)
        kinds_by_day: dict[int, set[str]] = defaultdict(set)
        for shift in shifts:
            worked_days[shift.day] += 1
            kinds_by_day[shift.day].add(self.templates[shift.template].kind)
        for day, n in worked_days.items():
            if n > 1:
                self.bad("one_shift_per_day", agent_id, day, f"{n} shifts", value=n, limit=1)
        for first, second in zip(shifts, shifts[1:], strict=False):
            gap = (second.day * MINUTES_PER_DAY + second.start) - (
                first.day * MINUTES_PER_DAY + first.end
            )
            if gap < rules.min_rest_minutes:
                self.bad(
                    "min_rest",
                    agent_id,
                    second.day,
                    f"rest {gap} min before this shift",
                    value=gap,
                    limit=rules.min_rest_minutes,
                )
        run = 0
        for day in range(self.problem.days):
            run = run + 1 if worked_days.get(day) else 0
            if run > rules.max_consecutive_days:
                self.bad(
                    "max_consecutive_days",
                    agent_id,
                    day,
                    f"{run} days in a row",
                    value=run,
                    limit=rules.max_consecutive_days,
                )
        for day in range(self.problem.days - 1):
            for first_kind, second_kind in rules.banned_transitions:
                if first_kind in kinds_by_day.get(day, ()) and second_kind in kinds_by_day.get(
                    day + 1, ()
                ):
                    self.bad(
                        "transition_ban",
                        agent_id,
                        day + 1,
                        f"{second_kind} after {first_kind}",
                        first=first_kind,
                        second=second_kind,
                    )

    def weeks(self, agent: Agent, shifts: list[Assignment]) -> None:
        """Rest days, the weekly maximum and the contract minimum of every week block."""
        rules = self.rules
        for week_start in range(0, self.problem.days, 7):
            days = range(week_start, min(week_start + 7, self.problem.days))
            worked = {s.day for s in shifts if s.day in days}
            minutes = 0
            for shift in shifts:
                if shift.day in days:
                    template = self.templates[shift.template]
                    minutes += template.length_minutes - sum(
                        b.length_minutes for b in template.breaks if not b.paid
                    )
            if len(days) == 7 and 7 - len(worked) < rules.min_rest_days_per_week:
                self.bad(
                    "rest_days_per_week",
                    agent.id,
                    week_start,
                    f"{7 - len(worked)} rest days",
                    value=7 - len(worked),
                    limit=rules.min_rest_days_per_week,
                )
            limit = min(rules.max_minutes_per_week, agent.max_minutes_week)
            if minutes > limit:
                self.bad(
                    "max_hours_per_week",
                    agent.id,
                    week_start,
                    f"{minutes} > {limit} minutes",
                    value=minutes,
                    limit=limit,
                )
            on_duty_days = sum(1 for d in days if d not in agent.leave_days)
            minimum = agent.min_minutes_week * on_duty_days // 7
            if minutes < minimum:
                self.bad(
                    "min_contract_hours",
                    agent.id,
                    week_start,
                    f"{minutes} < {minimum} minutes",
                    value=minutes,
                    limit=minimum,
                )

    # -- the whole roster ------------------------------------------------
    def coverage_report(self) -> None:
        """Coverage, under- and over-staffing as reported match the shifts."""
        problem, result = self.problem, self.result
        n_slots = problem.num_slots
        served = {q: [0] * n_slots for q in problem.demand}
        for shift in result.assignments:
            first_slot = (shift.day * MINUTES_PER_DAY + shift.start) // SLOT_MINUTES
            for i, queue in enumerate(shift.queues):
                if queue is not None and 0 <= first_slot + i < n_slots and queue in served:
                    served[queue][first_slot + i] += 1
        if not (result.assignments or result.coverage):
            return
        for queue, demand in problem.demand.items():
            covered = served[queue]
            if result.coverage.get(queue) != covered:
                self.bad(
                    "coverage_report", None, None, f"coverage of {queue} differs from the shifts"
                )
            under = [max(0, r - c) for r, c in zip(demand, covered, strict=True)]
            over = [max(0, c - r) for r, c in zip(demand, covered, strict=True)]
            if result.under.get(queue) != under or result.over.get(queue) != over:
                self.bad(
                    "coverage_report", None, None, f"under/over of {queue} differ from the shifts"
                )
