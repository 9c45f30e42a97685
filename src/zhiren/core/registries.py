"""The hooks through which apps plug into each other.

One mechanism for every cross-app hook: a ``Registry`` here in ``core``, filled in the
providing app's ``AppConfig.ready`` and read by the app that needs the values. The reader
never imports the provider, so an app can be added or left out without editing another.
(The main navigation, ``core.navigation``, works the same way.)

=====================  ===================================  ==================================
registry               filled by (``AppConfig.ready``)      read by
=====================  ===================================  ==================================
``home_cards``         people, wellbeing, discipline        ``core.views.home``
``ability_inputs``     coaching (KPIs from performance)     ``coaching.providers``
``fit_inputs``         placement (performance, people, …)   ``placement.inputs``
``hard_queue_feeds``   workforce (published schedules)      ``wellbeing.queues``
``work_day_feeds``     workforce (published schedules)      ``wellbeing.queues`` (mood board)
``holiday_feeds``      workforce (its holiday calendar)     ``wellbeing.queues`` (cycles)
``agent_scores``       quality (QA score)                   ``performance.views`` (ranking, agent page)
``kpi_sources``        quality (QA score, pass rates)       performance (goals), coaching (plan goals)
``demo_loaders``       demo, then each app with demo data   ``demo.services``
``personal_data``      every app holding data on agents     ``privacy`` (export, corrections,
                                                            erasure on leaving)
``retention_rules``    apps keeping data for a set time     ``privacy`` (``zhiren purge``)
``periodic_jobs``      apps with work to run on a schedule  ``zhiren worker`` (``core.periodic``)
``lead_notifiers``     people (the lead's group robots)     wellbeing (an alert the same hour)
``queue_limits``       training (nesting exposure)          ``workforce.staff`` (the roster)
``onboarding_steps``   people (profile), training,          ``recruiting`` (an accepted offer)
                       wellbeing (buddy)
``nesting_outcomes``   training (cohort enrolments)         ``recruiting`` (the channel report)
``huddle_sources``     performance, people, wellbeing,      ``leadership`` (the 晨会 agenda)
                       discipline, quality, workforce,
                       coaching, training, engagement
``shift_start_feeds``  workforce (published schedules)      ``leadership`` (when huddles are)
``board_feeds``        people, wellbeing, quality,          ``leadership`` (the 四象限 board)
                       workforce, discipline
``team_facts``         performance, quality, discipline,    ``leadership`` (请示 evidence,
                       wellbeing, people, coaching          汇报 pre-filled)
=====================  ===================================  ==================================

An entry has a name (registering the same name again is a no-op, so ``ready`` may run
twice) and an order (entries are read in ``(order, name)`` order).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    order: int
    value: T


class Registry(Generic[T]):
    """Named values of one hook, kept in ``(order, name)`` order."""

    def __init__(self, hook: str) -> None:
        self.hook = hook
        self._entries: list[Entry[T]] = []

    def register(self, name: str, value: T, *, order: int = 100) -> None:
        if any(entry.name == name for entry in self._entries):
            return
        self._entries.append(Entry(name, order, value))
        self._entries.sort(key=lambda entry: (entry.order, entry.name))

    def entries(self) -> list[Entry[T]]:
        return list(self._entries)

    def values(self) -> list[T]:
        return [entry.value for entry in self._entries]

    def __iter__(self) -> Iterator[T]:
        return iter(self.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.hook}: {', '.join(e.name for e in self._entries)}>"

    @contextmanager
    def replaced(self, entries: Iterable[tuple[str, T]] = ()) -> Iterator[Registry[T]]:
        """Tests: these entries (in the given order) instead of the registered ones, restored after."""
        saved = self._entries
        self._entries = [Entry(name, n, value) for n, (name, value) in enumerate(entries)]
        try:
            yield self
        finally:
            self._entries = saved


# --- home cards -----------------------------------------------------------------------------


HOME_AGENT, HOME_LEAD, HOME_OVERVIEW = "agent", "lead", "overview"


@dataclass(frozen=True)
class HomeCard:
    """A panel on one of the home pages (``HOME_AGENT``, ``HOME_LEAD`` or ``HOME_OVERVIEW``).

    ``context(request)`` returns what ``template`` needs besides the page's own context (the
    request, the user, the CSRF token); the template decides itself whether it shows anything.
    """

    home: str
    template: str
    context: Callable[[Any], Mapping[str, Any]]


home_cards: Registry[HomeCard] = Registry("home cards")


# --- inputs and feeds between feature apps ---------------------------------------------------

# ``fn(agents, today) -> {agent id: [coaching.situational.AbilityInput, …]}``: evidence of an
# agent's ability for the coaching map. An agent the provider knows nothing about is left out.
AbilityInputs = Callable[[Sequence[Any], date], Mapping[int, list[Any]]]
ability_inputs: Registry[AbilityInputs] = Registry("ability inputs")


@dataclass(frozen=True)
class FitInputs:
    """``fn(agents, today) -> {agent id: {"ability", "skills", "traits", "wishes", …}}`` for the
    placement fit (keys described in ``placement.inputs``); ``label`` says where they come from."""

    fn: Callable[[list[Any], date], dict[int, dict]]
    label: Any


fit_inputs: Registry[FitInputs] = Registry("fit inputs")

# ``fn(agent_ids, days) -> {(agent id, day), …}``: who works a complaints (hard) queue on a day.
# The first registered feed answers; with none, wellbeing falls back to agents' positions.
HardQueueFeed = Callable[[Iterable[int], Iterable[date]], set[tuple[int, date]]]
hard_queue_feeds: Registry[HardQueueFeed] = Registry("hard queue feeds")

# ``fn(team_id, start, end) -> {day, …}``: the days from start to end on which someone of the
# team is scheduled. The first registered feed answers; with none, wellbeing knows no schedule.
WorkDayFeed = Callable[[int, date, date], set[date]]
work_day_feeds: Registry[WorkDayFeed] = Registry("work day feeds")

# ``fn(start, end) -> {day, …}``: the public holidays' days off from start to end (China's
# statutory holidays and a site's own table). The first registered feed answers; with none,
# wellbeing does not look for a mood change before holidays.
HolidayFeed = Callable[[date, date], set[date]]
holiday_feeds: Registry[HolidayFeed] = Registry("holiday feeds")


@dataclass(frozen=True)
class AgentScore:
    """One agent's score from another module over a period; ``reliable`` False: too few to rank."""

    value: float | None
    count: int = 0
    reliable: bool = True


@dataclass(frozen=True)
class AgentScores:
    """``fn(agent_ids, start, end) -> {agent id: AgentScore}`` (one query, agents without data left
    out): a column of performance's team ranking and a card of the agent page; ``label`` names it."""

    fn: Callable[[Sequence[int], date, date], Mapping[int, AgentScore]]
    label: Any


agent_scores: Registry[AgentScores] = Registry("agent scores")


@dataclass(frozen=True)
class Metric:
    """A measure another app computes, accepted by goals and improvement plans beside the KPIs.

    ``unit`` is ``"percent"`` or ``"score"`` (as ``performance.kpis``); ``code`` is what a goal
    stores, at most 60 characters, and never one of the KPIs' codes.
    """

    code: str
    label: Any
    unit: str
    higher_is_better: bool = True
    default_target: float | None = None

    def meets(self, value: float | None, target: float | None) -> bool | None:
        if value is None or target is None:
            return None
        return value >= target if self.higher_is_better else value <= target


@dataclass(frozen=True)
class MetricAsk:
    """One value wanted: the metric ``code`` for an agent, a team or a site (``level`` "agent",
    "team" or "site", ``subject_id`` its id) over the days ``start`` to ``end``."""

    code: str
    level: str
    subject_id: int
    start: date
    end: date


@dataclass(frozen=True)
class MetricValue:
    """A measured value (None: no data, never 0) and its volume (the denominator: how many
    evaluations or answers it stands on), by which the values of parts are weighed."""

    value: float | None
    volume: float = 0.0


@dataclass(frozen=True)
class KpiSource:
    """Metrics an app measures for SMART goals and improvement-plan goals.

    ``offered()`` lists the metrics a goal form offers; ``describe(code)`` returns the metric
    of a stored code (also one no longer offered) or None when it is not this source's;
    ``measure(asks)`` returns one ``MetricValue`` per ask, in order, with a fixed number of
    queries however many asks.
    """

    offered: Callable[[], Sequence[Metric]]
    describe: Callable[[str], Metric | None]
    measure: Callable[[Sequence[MetricAsk]], list[MetricValue]]


kpi_sources: Registry[KpiSource] = Registry("kpi sources")


def find_metric(code: str) -> tuple[KpiSource, Metric] | None:
    """The registered source and metric of a code, or None (a KPI, or a source since removed)."""
    for source in kpi_sources:
        metric = source.describe(code)
        if metric is not None:
            return source, metric
    return None

# ``fn(agent_ids, start, end) -> {agent id: frozenset of queue codes}``: the only queues an agent
# may take on every day from start to end (training: a nesting cohort's graduated exposure).
# Agents left out are not limited; several entries intersect. An empty set: no queue at all.
QueueLimits = Callable[[Sequence[int], date, date], Mapping[int, frozenset[str]]]
queue_limits: Registry[QueueLimits] = Registry("queue limits")


# --- demo data --------------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What a demo loader gets: the demo's today, a seeded random source and the demo logins."""

    today: date
    rng: random.Random
    users: dict[str, Any] = field(default_factory=dict)  # demo login name -> User


# ``fn(context: DemoContext) -> None``; must be idempotent (the demo can be run again).
DemoLoader = Callable[[DemoContext], None]
demo_loaders: Registry[DemoLoader] = Registry("demo loaders")


def deferred(path: str) -> Callable[..., Any]:
    """``"package.module:function"``, imported on its first call rather than when an app starts.

    For entries whose module pulls in heavy libraries (the workforce demo reaches OR-Tools and
    SciPy's optimisers): every process start, command and test run would pay for them.
    """
    module_name, _, attribute = path.partition(":")

    def call(*args: Any, **kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(module_name), attribute)(*args, **kwargs)

    call.__qualname__ = call.__name__ = f"deferred({path})"
    return call


# --- personal data (PIPL Art. 44–47: access, copy, correction, deletion) -----------------------


@dataclass(frozen=True)
class DataSection:
    """One kind of record an app holds about an agent, as plain values.

    ``fields`` are ``(name, label)`` pairs in display order; each row maps the names to
    JSON-able values (str, int, float, bool, None, lists of those; dates may be given as
    ``date`` / ``datetime`` and are written out as ISO 8601). ``note`` explains the section
    (e.g. that only a summary is shown), or is empty.
    """

    key: str
    label: Any
    fields: tuple[tuple[str, Any], ...]
    rows: list[dict[str, Any]]
    note: Any = ""


@dataclass(frozen=True)
class CorrectionTopic:
    """Data an agent may ask to have corrected, and who decides.

    ``approver`` is ``"hr"`` or ``"lead"`` (the agent's team lead; HR decides too where a
    team has none). ``apply(agent, value, actor)``, when given, makes the change on approval
    (a simple field); it raises ``ValueError`` with a message for a value it cannot take.
    Without it the approver corrects the data on its own page and records the outcome.
    """

    key: str
    label: Any
    approver: str
    apply: Callable[[Any, str, Any], None] | None = None


APPROVER_HR, APPROVER_LEAD = "hr", "lead"


@dataclass(frozen=True)
class PersonalDataSource:
    """What one app holds about an agent.

    ``collect(agent) -> [DataSection, …]`` returns everything, with a fixed number of
    queries. ``erase(agent_ids, dry_run) -> rows`` deletes or blanks the sensitive part for
    agents who left more than the ``leavers`` retention period ago (``dry_run``: only
    count); None when the app keeps nothing sensitive. ``corrections`` are the topics of
    correction requests about this app's data.
    """

    label: Any
    collect: Callable[[Any], list[DataSection]]
    erase: Callable[[list[int], bool], int] | None = None
    corrections: tuple[CorrectionTopic, ...] = ()


personal_data: Registry[PersonalDataSource] = Registry("personal data")


@dataclass(frozen=True)
class RetentionRule:
    """A class of data kept for a set time, then deleted or blanked by ``zhiren purge``.

    ``kept()`` says how long (read from the settings when called); ``purge(cutoff, dry_run)``
    removes what is older than ``cutoff`` and returns how many rows (or files) it removed,
    or with ``dry_run`` would remove. ``counted_from`` says where the age starts.
    """

    label: Any
    kept: Callable[[], timedelta]
    purge: Callable[[datetime, bool], int]
    counted_from: Any = ""


retention_rules: Registry[RetentionRule] = Registry("retention rules")


@dataclass(frozen=True)
class PeriodicJob:
    """Work the task worker starts every ``every()`` (``zhiren worker``; see ``core.periodic``).

    ``start()`` should hand the work to the task queue (``my_task.enqueue()``) and return
    quickly; the job is started by one worker only, however many run. With ``at``, the job is
    daily instead: started once per day at the first tick from ``at()`` (local time) on, or
    never while ``at()`` is None (switched off by a setting); ``every`` is then not read.
    """

    label: Any
    every: Callable[[], timedelta]
    start: Callable[[], Any]
    at: Callable[[], time | None] | None = None


periodic_jobs: Registry[PeriodicJob] = Registry("periodic jobs")


@dataclass(frozen=True)
class LeadNotice:
    """Something a lead should see within the hour, sent through ``lead_notifiers``.

    It travels to places others may read (a team's group chat), so it carries no personal
    details: a title, lines and a link to the page that holds the rest behind a login.
    """

    title: str
    lines: tuple[str, ...]
    link: str = ""


# ``fn(user, notice) -> None``: deliver a notice to one lead (people: the lead's own robots).
# A failing channel logs and returns; it never stops the caller.
LeadNotifier = Callable[[Any, LeadNotice], None]
lead_notifiers: Registry[LeadNotifier] = Registry("lead notifiers")


# ``fn(agent, offer) -> description``: one step of onboarding, run when a candidate accepts an
# offer and ``recruiting`` has created their agent (``offer`` is a ``recruiting.models.Offer``;
# its ``candidate`` and ``requisition`` say the role and team). The step does its part (open a
# profile, enrol in a programme, book a buddy) in the same transaction and returns a short,
# translatable line saying what it did, shown to the recruiter; "" when there was nothing to do.
OnboardingStep = Callable[[Any, Any], Any]
onboarding_steps: Registry[OnboardingStep] = Registry("onboarding steps")

# ``fn(agent_ids) -> {agent id: True | False | None}``: how each agent's nesting (哺育期) ended:
# True graduated, False withdrawn, None still in training or nesting. Agents never in a
# nesting cohort are left out. The first registered entry answers; with none, recruiting's
# channel report shows no graduation rate.
NestingOutcomes = Callable[[Sequence[int]], Mapping[int, bool | None]]
nesting_outcomes: Registry[NestingOutcomes] = Registry("nesting outcomes")


# --- the team lead's workspace (leadership) ---------------------------------------------------

# Sections of a 晨会 (shift huddle) agenda, in the order it is read out.
HUDDLE_NUMBERS, HUDDLE_PRAISE, HUDDLE_RULES, HUDDLE_TODAY, HUDDLE_AHEAD = (
    "numbers", "praise", "rules", "today", "ahead",
)


@dataclass(frozen=True)
class HuddleItem:
    """One point of a team's 晨会 agenda, as plain values.

    ``text`` is an English msgid (mark it with ``gettext_noop``) with ``%(name)s`` slots filled
    from ``params`` (strings); the huddle translates it when shown, in the reader's language.
    ``private``: for the lead's eyes only, never on the TV view. ``focus``: the one number to
    improve today. ``key`` names the item within its source (``"performance:aht"``). A source
    never contributes a correction of a named person (private criticism stays private), nor a
    mood of fewer than five people.
    """

    kind: str
    section: str
    text: str
    params: Mapping[str, str] = field(default_factory=dict)
    private: bool = False
    focus: bool = False
    key: str = ""


# ``fn(team_id, starts_at) -> [HuddleItem, …]``: the agenda points of one source for the team's
# huddle before the shift starting at ``starts_at`` (aware). A fixed number of queries.
HuddleSource = Callable[[int, datetime], Sequence[HuddleItem]]
huddle_sources: Registry[HuddleSource] = Registry("huddle sources")

# ``fn(team_id, day) -> [aware datetime, …]``: when shifts of the team start on ``day``. The first
# registered feed answers; with none, huddles are only planned by hand.
ShiftStartFeed = Callable[[int, date], list[datetime]]
shift_start_feeds: Registry[ShiftStartFeed] = Registry("shift start feeds")

# Why a board card is important (empty: it is not).
IMPORTANT_PERSON, IMPORTANT_COMPLIANCE, IMPORTANT_KPI = "person", "compliance", "kpi"


@dataclass(frozen=True)
class BoardCard:
    """A card a module puts on a lead's four-quadrant board (四象限).

    ``key`` is stable while the event lasts (``"wellbeing.alert:12"``): the lead's decision on
    the card (done, delegated, scheduled, dropped) is kept under it. ``due`` is the deadline the
    board measures urgency against (within the lead's window: urgent); ``important`` says why it
    matters (``IMPORTANT_PERSON``, ``IMPORTANT_COMPLIANCE``, ``IMPORTANT_KPI``) or is empty.
    ``text``/``params`` as for ``HuddleItem``; ``link`` the page where the work is done.
    ``subject_agent_id``/``audit_type``/``audit_fields``: set when the card names a person next
    to sensitive data (a mood alert): showing the card is then a read the workspace audit-logs
    (``audit_type`` the object type, e.g. ``"wellbeing.moodalert"``, and the field names).
    ``team_id``: the team the event belongs to (None: several), for the site manager's view of
    their leads' boards.
    """

    key: str
    kind: str
    text: str
    params: Mapping[str, str] = field(default_factory=dict)
    due: date | None = None
    important: str = ""
    link: str = ""
    subject_agent_id: int | None = None
    audit_type: str = ""
    audit_fields: tuple[str, ...] = ()
    team_id: int | None = None


# ``fn(team_ids, today) -> [BoardCard, …]``: open events of these teams. A fixed number of queries.
BoardFeed = Callable[[Sequence[int], date], Sequence[BoardCard]]
board_feeds: Registry[BoardFeed] = Registry("board feeds")


# --- engagement's attrition risk ----------------------------------------------------------------


@dataclass(frozen=True)
class RiskSignal:
    """Dated events of one identified operational signal for engagement's attrition risk.

    ``signal`` names one of ``engagement.attrition.history.SIGNALS`` (discipline: ``absence``,
    ``lateness``; quality: ``qa``; training: ``nesting``). ``fn(agent_ids, start, end)``
    returns ``(agent id, day, value)`` for the days from ``start`` to ``end``, in one query.
    Nothing from an anonymous survey may be registered here.
    """

    signal: str
    fn: Callable[[Sequence[int], date, date], Iterable[tuple[int, date, float]]]


risk_signals: Registry[RiskSignal] = Registry("risk signals")


# --- team life -----------------------------------------------------------------------------------

# ``fn(agent_ids, start, end) -> {agent id: {day, …}}``: days an agent is away from the phones for
# another module's reason (engagement: 当一天经理, manager for a day). The roster treats them as
# leave. One query.
AwayDays = Callable[[Sequence[int], date, date], Mapping[int, set[date]]]
away_days: Registry[AwayDays] = Registry("away days")


@dataclass(frozen=True)
class WallItem:
    """A card on a team's recognition wall from another module (engagement: a competition won).
    ``title`` and ``text`` are already translated for the request's language."""

    title: str
    text: str
    day: date


# ``fn(team_id) -> [WallItem, …]``: the newest first, a fixed number of queries.
WallFeed = Callable[[int], Sequence[WallItem]]
wall_feeds: Registry[WallFeed] = Registry("wall feeds")


# --- leadership's 请示 evidence and 汇报 ---------------------------------------------------------


@dataclass(frozen=True)
class FactTable:
    """A table of one team's data over a period, as plain values: the evidence a lead attaches
    to a 请示 and the body of a 汇报 (weekly or monthly report).

    ``title`` and ``columns`` are English msgids; each row's first cell is a msgid when
    ``labels`` is true (else shown as is), the other cells are values (strings). ``chart``: the
    index of a numeric column the page draws as bars, or None. No names of corrected people, no
    mood of fewer than five people (as on the huddle).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: int | None = None
    labels: bool = True


# ``fn(team_id, start, end) -> [FactTable, …]``: the team's data from ``start`` to ``end``
# (dates, both included). A fixed number of queries.
TeamFacts = Callable[[int, date, date], Sequence[FactTable]]
team_facts: Registry[TeamFacts] = Registry("team facts")
