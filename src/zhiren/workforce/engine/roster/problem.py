"""Plain data for rostering: the instance (`RosterProblem`) and the answer (`RosterResult`).

Time is measured in minutes. A roster covers ``days`` calendar days; day ``d``
starts at absolute minute ``d * 1440``. Demand and coverage are given per
15-minute interval ("slot"): slot ``t`` covers absolute minutes
``[15 t, 15 t + 15)``, so a horizon has ``days * 96`` slots.

A shift belongs to the day on which it starts; it may run past midnight when
its template allows it. Both the solver (the other modules of this package)
and the independent checker (`rules`) read these classes; neither shares model
code.

The end of the module names the solver's working types: options (a template
at one start), the choice of an option and break offsets for one agent and
day, and the keys of the LP's shift counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

SLOT_MINUTES = 15
MINUTES_PER_DAY = 24 * 60
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
WEEKEND_WEEKDAYS = frozenset({5, 6})  # Saturday, Sunday (0 = Monday)


@dataclass(frozen=True)
class BreakRule:
    """One break (or lunch) inside a shift.

    The break starts between ``earliest_after`` and ``latest_after`` minutes
    after the shift start (on the 15-minute grid) and lasts ``length_minutes``.
    Breaks of one template are taken in the order listed and never overlap.
    Unpaid breaks do not count towards worked hours.
    """

    name: str
    length_minutes: int
    earliest_after: int
    latest_after: int
    paid: bool = True


@dataclass(frozen=True)
class ShiftTemplate:
    """A family of shifts: start anywhere in ``[earliest_start, latest_start]``
    (minutes after midnight, every ``start_step`` minutes), lasting ``length_minutes``."""

    name: str
    earliest_start: int
    latest_start: int
    length_minutes: int
    start_step: int = SLOT_MINUTES
    may_cross_midnight: bool = False
    breaks: tuple[BreakRule, ...] = ()
    category: str = ""  # used by transition bans; empty means the template name
    late: bool = False  # counts as a late shift for fairness
    # only agents in one of these groups may work it (e.g. a peak shift for
    # part-timers only); empty: open to everyone
    agent_groups: frozenset[str] = frozenset()
    # only agents whose weekly contract maximum is at most this (part-timers); None: all
    max_contract_minutes: int | None = None

    @property
    def kind(self) -> str:
        return self.category or self.name

    @property
    def limited(self) -> bool:
        """Whether only some agents may work it (groups or contracts)."""
        return bool(self.agent_groups) or self.max_contract_minutes is not None

    def open_to(self, agent: Agent) -> bool:
        """Whether ``agent``'s groups and contract allow it this template."""
        if self.agent_groups and not self.agent_groups & agent.groups:
            return False
        return (
            self.max_contract_minutes is None or agent.max_minutes_week <= self.max_contract_minutes
        )

    def starts(self) -> range:
        return range(self.earliest_start, self.latest_start + 1, self.start_step)

    @property
    def paid_minutes(self) -> int:
        return self.length_minutes - sum(b.length_minutes for b in self.breaks if not b.paid)


@dataclass(frozen=True)
class Agent:
    """A named agent.

    ``availability``: ``None`` means always available; otherwise a tuple of
    ``(day, start_minute, end_minute)`` windows (minutes from that day's
    midnight, ``end`` may exceed 1440) and every shift must lie inside one.
    ``leave_days``: calendar days with no work at all (fixed leave).
    Contract minutes per week: the minimum is reduced pro rata for leave days.
    ``groups``: names a template may be limited to (`ShiftTemplate.agent_groups`),
    e.g. ``"part_time"``.
    """

    id: str
    skills: tuple[str, ...]
    min_minutes_week: int = 0
    max_minutes_week: int = 40 * 60
    availability: tuple[tuple[int, int, int], ...] | None = None
    leave_days: frozenset[int] = frozenset()
    preferred_shifts: frozenset[str] = frozenset()  # template names; empty = no wish
    preferred_days_off: frozenset[int] = frozenset()
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LaborRules:
    """Hard labour rules, applied to every agent.

    Weeks are consecutive 7-day blocks starting at day 0; the rest-day rule
    applies to full weeks only, the hour limits to every block.
    ``banned_transitions``: ``(kind_a, kind_b)`` forbids a shift of kind ``b``
    on the day after a shift of kind ``a`` (kind = template category or name).
    """

    min_rest_minutes: int = 11 * 60
    max_consecutive_days: int = 6
    min_rest_days_per_week: int = 1
    max_minutes_per_day: int = 10 * 60
    max_minutes_per_week: int = 48 * 60
    banned_transitions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RosterWeights:
    """Objective weights (integers; the solver minimises the weighted sum).

    Coverage is per agent-interval (15 minutes); wishes per occurrence;
    fairness per unit of spread (max minus min over agents).
    """

    under: int = 100
    over: int = 10
    preferred_shift: int = 4
    preferred_day_off: int = 6
    weekend_spread: int = 20
    late_spread: int = 10


@dataclass
class RosterProblem:
    """``demand[queue][t]``: agents required on ``queue`` during slot ``t``
    (length ``days * 96``). ``start_weekday``: weekday of day 0 (0 = Monday)."""

    days: int
    demand: dict[str, list[int]]
    agents: list[Agent]
    templates: list[ShiftTemplate]
    rules: LaborRules = field(default_factory=LaborRules)
    weights: RosterWeights = field(default_factory=RosterWeights)
    start_weekday: int = 0

    @property
    def num_slots(self) -> int:
        return self.days * SLOTS_PER_DAY

    def is_weekend(self, day: int) -> bool:
        return (self.start_weekday + day) % 7 in WEEKEND_WEEKDAYS

    def weeks(self) -> list[range]:
        return [range(w, min(w + 7, self.days)) for w in range(0, self.days, 7)]

    def template(self, name: str) -> ShiftTemplate:
        for t in self.templates:
            if t.name == name:
                return t
        raise KeyError(name)


@dataclass(frozen=True)
class Assignment:
    """One shift of one agent.

    ``start``/``end`` are minutes from midnight of ``day`` (``end`` may exceed
    1440). ``breaks`` are ``(start, end)`` in the same frame. ``queues`` has one
    entry per 15-minute slot of the shift: the queue the agent serves, or
    ``None`` while on break.
    """

    agent_id: str
    day: int
    template: str
    start: int
    end: int
    breaks: tuple[tuple[int, int], ...]
    queues: tuple[str | None, ...]


@dataclass(frozen=True)
class UnmetWish:
    agent_id: str
    day: int
    kind: str  # "preferred_shift" or "preferred_day_off"
    detail: str  # plain English for logs and the CLI
    # The templates behind it (``got``, ``wished``) for a caller that words it itself.
    params: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``detail`` is a plain English note for logs and the CLI; ``params``
    are the numbers behind it (``value``, ``limit``, …) for a caller that words the
    violation itself, in its user's language."""

    rule: str
    agent_id: str | None
    day: int | None
    detail: str
    params: Mapping[str, int | str] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class RosterResult:
    """What the solver returns. ``objective``/``bound`` are in weight units;
    ``gap = (objective - bound) / max(1, objective)``. ``under``/``over`` are
    per queue and slot, in agents. ``rule_checks`` maps each hard rule to the
    number of violations the independent checker found (0 expected)."""

    status: str
    assignments: list[Assignment]
    coverage: dict[str, list[int]]
    under: dict[str, list[int]]
    over: dict[str, list[int]]
    objective: float | None
    bound: float | None
    gap: float | None
    wall_time_s: float
    solver_parameters: dict[str, object]
    unmet_wishes: list[UnmetWish]
    objective_terms: dict[str, int] = field(default_factory=dict)
    rule_checks: dict[str, int] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)

    @property
    def under_agent_hours(self) -> float:
        return sum(sum(v) for v in self.under.values()) * SLOT_MINUTES / 60

    @property
    def over_agent_hours(self) -> float:
        return sum(sum(v) for v in self.over.values()) * SLOT_MINUTES / 60


# ----------------------------------------------------------------------------
# the solver's working types

SkillGroup = tuple[str, ...]
"""The sorted skills (queues) of a group of interchangeable agents."""


class ShiftShape(NamedTuple):
    """A concrete shift without a day: a template at one start (minutes from midnight)."""

    template: ShiftTemplate
    start: int


@dataclass(frozen=True)
class ShiftOption:
    """Option ``index``: template ``template_index`` starting at ``start``
    (minutes from the day's midnight). Every model and heuristic numbers the
    options the same way (templates in order, then starts)."""

    index: int
    template: ShiftTemplate
    template_index: int
    start: int

    @property
    def end(self) -> int:
        return self.start + self.template.length_minutes


class ShiftChoice(NamedTuple):
    """One agent's shift on one day: the option and each break's offset
    (minutes after the shift's start, in the template's break order)."""

    option: int
    break_offsets: tuple[int, ...]


AgentShifts = dict[int, ShiftChoice]
"""One agent's roster: day -> shift."""

RosterChoices = list[AgentShifts]
"""The whole roster, one `AgentShifts` per agent (in ``problem.agents`` order)."""

DealtDays = list[dict[int, int]]
"""Per agent, day -> option: who works which shift, before breaks are placed."""

ShiftTargets = dict[tuple[SkillGroup, int, int], float]
"""(group, day, option) -> the LP's fractional number of agents on that shift."""

ShiftCounts = dict[tuple[SkillGroup, int], dict[int, int]]
"""(group, day) -> {option: agents}: the LP's counts rounded to integers."""

AllowedOptions = list[list[list[int]]]
"""``allowed[agent][day]``: the options the agent may work that day (leave, availability)."""

SkillGroups = dict[SkillGroup, list[int]]
"""Skill group -> indices of its agents."""


class LpSlack(NamedTuple):
    """The LP relaxation's under- and over-staffing of one queue in one slot (agents)."""

    under: float
    over: float
