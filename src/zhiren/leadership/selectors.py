"""Reads of the lead's workspace, scoped through ``zhiren.org.scoping`` (denial: 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhiren.coaching.guidance import check_after_days, delegation_questions
from zhiren.coaching.models import StateChoice
from zhiren.coaching.selectors import agent_states
from zhiren.core.registries import BoardCard, board_feeds
from zhiren.org.models import Agent, AgentStatus, Role, Team
from zhiren.org.scoping import covers_any, get_or_404
from zhiren.wellbeing import selectors as wellbeing_selectors
from zhiren.wellbeing.models import FACES, Score
from zhiren.wellbeing.services import may_lead
from zhiren.wellbeing.workspace import observed_mood

from . import agenda, facts, growth, quadrants, wheel
from .models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    CardState,
    CardStatus,
    Huddle,
    HuddleStatus,
    Importance,
    Report,
    ReportStatus,
    Request,
    SelfCheck,
    Task,
    TaskIntake,
    render_text,
)

# Who may open a team's huddles: its lead, the site manager, an administrator.
HUDDLE_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)
# The board is the lead's own, over the teams they lead.
BOARD_ROLES = (Role.TEAM_LEAD,)


def huddle_teams(user) -> QuerySet[Team]:
    return (
        Team.objects.select_related("site")
        .order_by("site__code", "code")
        .visible_to(user, HUDDLE_ROLES)
    )


def get_huddle_team(user, pk) -> Team:
    return get_or_404(huddle_teams(user), pk)


def visible_huddles(user) -> QuerySet[Huddle]:
    return Huddle.objects.select_related("team").visible_to(user, HUDDLE_ROLES, via="team")


def get_huddle(user, pk) -> Huddle:
    return get_or_404(visible_huddles(user), pk)


def get_item(user, pk) -> AgendaItem:
    items = AgendaItem.objects.select_related("huddle", "huddle__team").visible_to(
        user, HUDDLE_ROLES, via="huddle__team"
    )
    return get_or_404(items, pk)


def may_huddle(user) -> bool:
    return covers_any(user, HUDDLE_ROLES)


def huddle_list(user, now: datetime) -> dict:
    """The user's teams with their coming and recent huddles (two queries)."""
    teams = list(huddle_teams(user)[:200])
    since = now - timedelta(days=7)
    huddles = list(
        Huddle.objects.filter(team_id__in=[t.pk for t in teams], shift_start__gte=since)
        .select_related("team")
        .order_by("shift_start")[:500]
    )
    coming = [
        h
        for h in huddles
        if h.status != HuddleStatus.DONE and h.shift_start >= now - timedelta(hours=12)
    ]
    held = [h for h in reversed(huddles) if h.status == HuddleStatus.DONE]
    return {"teams": teams, "coming": coming, "held": held[:20]}


def next_huddle(user, now: datetime) -> Huddle | None:
    """The next huddle not yet held of the teams the user leads (one query)."""
    return (
        Huddle.objects.select_related("team")
        .visible_to(user, BOARD_ROLES, via="team")
        .filter(shift_start__gte=now - timedelta(hours=2))
        .exclude(status=HuddleStatus.DONE)
        .order_by("shift_start")
        .first()
    )


SECTION_LABELS = {
    "numbers": _("Yesterday's numbers"),
    "praise": _("Praise"),
    "rules": _("Rules"),
    "today": _("Today"),
    "ahead": _("Coming up"),
    "topics": _("Topics"),
    "follow_ups": _("Follow-ups"),
}
QUADRANT_LABELS = {
    quadrants.DO: _("I · Urgent and important: do now"),
    quadrants.PLAN: _("II · Important, not urgent: plan"),
    quadrants.DELEGATE: _("III · Urgent, not important: delegate"),
    quadrants.DROP: _("IV · Neither: drop or batch"),
}
IMPORTANCE_LABELS = dict(Importance.choices)


@dataclass
class Section:
    key: str
    items: list[AgendaItem]

    @property
    def label(self) -> str:
        return str(SECTION_LABELS.get(self.key, self.key))


def _sections(items: list[AgendaItem]) -> list[Section]:
    result: list[Section] = []
    for item in agenda.ordered(items):
        if not result or result[-1].key != item.section:
            result.append(Section(item.section, []))
        result[-1].items.append(item)
    return result


def huddle_page(huddle: Huddle, now: datetime) -> dict:
    """The lead's page: the whole agenda (private points too), attendance, the timer (three queries)."""
    items = list(huddle.items.all())
    attendance = {a.agent_id: a.present for a in Attendance.objects.filter(huddle=huddle)}
    agents = list(
        Agent.objects.filter(team_id=huddle.team_id, status=AgentStatus.ACTIVE).order_by(
            "employee_no"
        )
    )
    left = (
        agenda.minutes_left(huddle.started_at, now, huddle.minutes)
        if huddle.started_at
        else huddle.minutes
    )
    return {
        "huddle": huddle,
        "sections": _sections([i for i in items if not i.hidden]),
        "hidden": [i for i in items if i.hidden],
        "agents": [
            (a, attendance.get(a.pk, huddle.status == HuddleStatus.PLANNED or not attendance))
            for a in agents
        ],
        "attendance_recorded": bool(attendance),
        "present": sum(1 for p in attendance.values() if p),
        "minutes_left": left,
        # The timer counts from the server's clock, not the device's (a phone's clock may be off).
        "seconds_left": int(
            (huddle.started_at + timedelta(minutes=huddle.minutes) - now).total_seconds()
        )
        if huddle.started_at
        else huddle.minutes * 60,
        "observed": observed_mood(huddle.team_id, huddle_day(huddle)),
    }


def tv_page(huddle: Huddle) -> dict:
    """The shared screen: no private point, nothing hidden, no names of corrections (sources send
    none), the moods observed only as an aggregate of five people or more."""
    items = [i for i in huddle.items.all() if not i.hidden]
    return {
        "huddle": huddle,
        "sections": _sections(agenda.shared(items)),
        "observed": observed_mood(huddle.team_id, huddle_day(huddle)),
    }


# --- the team's robot -----------------------------------------------------------------------------


def robot_hooks(user) -> list:
    """The user's own active group robots (set up under people's digest settings)."""
    from zhiren.people.models import DigestWebhook

    return list(DigestWebhook.objects.filter(owner=user, active=True).order_by("pk"))


def huddle_sends(huddle: Huddle, limit: int = 10) -> list:
    """The huddle's latest sends, newest first, each with ``may_retry``: it failed and no later
    send to the same robot went through (sending it again then would post the agenda twice)."""
    sends = list(huddle.sends.all()[:limit])
    delivered_later: set[str] = set()
    for send in sends:  # newest first
        send.may_retry = bool(send.error) and send.sent_at is None and send.robot not in delivered_later
        if send.sent_at is not None:
            delivered_later.add(send.robot)
    return sends


def robot_message(huddle: Huddle, *, with_notes: bool, link: str = ""):
    """What the team's robot posts: only what the TV view shows (no private point, nothing hidden,
    moods only as an average of five or more), then the notes if the lead chose them. In the
    active language."""
    from zhiren.people.robots import Message

    items = [i for i in huddle.items.all() if not i.hidden]
    lines: list[str] = []
    number = gettext("Today's number")
    for section in _sections(agenda.shared(items)):
        lines.append(f"## {section.label}")
        for item in section.items:
            mark = "✓ " if item.resolved else ""
            focus = f"{number}: " if item.focus else ""
            lines.append(f"{mark}{focus}{item.display}")
    observed = observed_mood(huddle.team_id, huddle_day(huddle))
    if observed:
        lines.append(f"## {gettext('Moods observed')}")
        lines.append(
            gettext("%(average)s of 5, %(count)s people")
            % {"average": observed[0], "count": observed[1]}
        )
    notes = [line.strip() for line in huddle.notes.splitlines() if line.strip()]
    if with_notes and notes:
        lines.append(f"## {gettext('Notes')}")
        lines.extend(notes)
    local = timezone.localtime(huddle.shift_start)
    title = f"{gettext('Shift huddle')} · {huddle.team.name} · {local:%m-%d %H:%M}"
    return Message(title, lines, link)


# --- moods observed at the huddle (wellbeing's morning-meeting observation) ---------------------


def huddle_day(huddle: Huddle) -> date:
    """The day the huddle's moods are observed on: the local day of its shift start."""
    return timezone.localdate(huddle.shift_start)


def may_observe(user, huddle: Huddle) -> bool:
    """Only the team's lead records and sees each person's observed mood (wellbeing's rule)."""
    return may_lead(user, huddle.team_id)


def mood_faces() -> list[tuple[int, str]]:
    return [(v, f"{FACES[v]} {label}") for v, label in reversed(Score.choices)]


def mood_grid(huddle: Huddle) -> list[tuple[Agent, int | None]]:
    """Each active agent of the team with the mood the lead observed on the huddle's day: the
    rows of wellbeing's morning grid (two queries). The agent's own check-in is left out."""
    return [
        (row["agent"], row["observed"].score if row["observed"] else None)
        for row in wellbeing_selectors.team_grid(huddle.team, huddle_day(huddle))
    ]


# --- the board ---------------------------------------------------------------------------------


def led_team_ids(user) -> list[int]:
    return list(Team.objects.visible_to(user, BOARD_ROLES).values_list("pk", flat=True))


def may_board(user) -> bool:
    return covers_any(user, BOARD_ROLES)


@dataclass
class Card:
    key: str
    kind: str
    text: str
    params: dict
    due: date | None
    important: str
    link: str
    own: bool
    quadrant: int
    overdue: bool
    state: CardState | None = None
    subject_agent_id: int | None = None
    audit_type: str = ""
    audit_fields: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return self.text if self.own else render_text(self.text, self.params)

    @property
    def why_important(self) -> str:
        return str(IMPORTANCE_LABELS.get(self.important, "")) if self.important else ""


def window_days(user) -> int:
    prefs = BoardSettings.objects.filter(owner=user).first()
    return prefs.window_days if prefs else quadrants.DEFAULT_WINDOW_DAYS


def _card(c: BoardCard, today: date, window: int, own: bool = False) -> Card:
    return Card(
        c.key,
        c.kind,
        c.text,
        dict(c.params),
        c.due,
        c.important,
        c.link,
        own,
        quadrants.place(c.due, bool(c.important), today, window),
        quadrants.overdue(c.due, today),
        subject_agent_id=c.subject_agent_id,
        audit_type=c.audit_type,
        audit_fields=tuple(c.audit_fields),
    )


def system_cards(team_ids: list[int], today: date) -> list[BoardCard]:
    cards: list[BoardCard] = []
    for feed in board_feeds:
        cards.extend(feed(team_ids, today))
    return cards


# Set-aside cards the board still lists (with their text): delegated and scheduled ones.
SHOWN_ASIDE = (CardStatus.DELEGATED, CardStatus.SCHEDULED)


def board(user, today: date, *, agents: bool = True, team_ids: list[int] | None = None) -> dict:
    """Cards of the user's teams and their own tasks, by quadrant; decided cards set aside.

    A scheduled card comes back on its day; done, dropped and delegated ones leave the quadrants.
    """
    window = window_days(user)
    team_ids = led_team_ids(user) if team_ids is None else team_ids
    cards = [_card(c, today, window) for c in system_cards(team_ids, today)]
    for task in Task.objects.filter(owner=user):
        cards.append(
            _card(
                BoardCard(task.card_key, "task", task.title, {}, task.due, task.important),
                today,
                window,
                own=True,
            )
        )
    # Only the states of the cards shown: a year of decided cards stays in the database.
    states = {
        s.key: s
        for s in CardState.objects.filter(
            owner=user, key__in=[c.key[:80] for c in cards]
        ).select_related("delegated_to")
    }
    open_cards: list[Card] = []
    set_aside: list[Card] = []
    for card in cards:
        card.state = states.get(card.key)
        status = card.state.status if card.state else CardStatus.OPEN
        if status == CardStatus.OPEN or (
            status == CardStatus.SCHEDULED
            and card.state
            and card.state.scheduled_for
            and card.state.scheduled_for <= today
        ):
            open_cards.append(card)
        else:
            set_aside.append(card)
    open_cards.sort(key=lambda c: quadrants.sort_key(c.quadrant, c.due))
    delegates = (
        list(
            Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE).order_by(
                "employee_no"
            )
        )
        if agents
        else []
    )
    return {
        "window_days": window,
        "quadrants": [
            (q, QUADRANT_LABELS[q], [c for c in open_cards if c.quadrant == q])
            for q in quadrants.QUADRANTS
        ],
        "top": open_cards[:3],
        "open_count": len(open_cards),
        "delegated": [c for c in set_aside if c.state and c.state.status == CardStatus.DELEGATED],
        "scheduled": [c for c in set_aside if c.state and c.state.status == CardStatus.SCHEDULED],
        "agents": delegates,
        "today": today,
        "shown": open_cards + [c for c in set_aside if c.state and c.state.status in SHOWN_ASIDE],
        "all": cards,
    }


def find_card(user, key: str, today: date) -> Card | None:
    """A card of the user's board by its key (open or set aside), or None."""
    data = board(user, today, agents=False)
    return next((c for c in data["all"] if c.key == key), None)


def delegate_page(user, card: Card, agent: Agent | None, today: date) -> dict:
    """The six guiding questions, put for the chosen agent's development state (coaching)."""
    state = agent_states([agent], today)[agent.pk].state if agent else "unknown"
    return {
        "card": card,
        "agent": agent,
        "agents": list(
            Agent.objects.filter(
                team_id__in=led_team_ids(user), status=AgentStatus.ACTIVE
            ).order_by("employee_no")
        ),
        "questions": delegation_questions(state),
        "state": state,
        "state_label": StateChoice(state).label,
        "check_on": today + timedelta(days=check_after_days(state)),
    }


def week_of(today: date) -> tuple[date, date]:
    """The seven days up to today, today included."""
    return today - timedelta(days=6), today


def weekly_review(user, today: date) -> dict:
    """Where the week's cards went, by quadrant, and what slid from II to I (two queries plus
    the board's)."""
    start, end = week_of(today)
    data = board(user, today, agents=False)
    decided = list(
        CardState.objects.filter(owner=user, decided_on__range=(start, end))
        .exclude(status=CardStatus.OPEN)
        .values_list("quadrant", "status", "minutes")
    )
    moved_up = list(
        CardState.objects.filter(
            owner=user, first_quadrant=quadrants.PLAN, quadrant=quadrants.DO
        ).filter(Q(decided_on__range=(start, end)) | Q(status=CardStatus.OPEN))
        .values_list("key", flat=True)
    )
    open_quadrants = [c.quadrant for _, _, cards in data["quadrants"] for c in cards]
    summary = quadrants.review(decided, open_quadrants, len(moved_up))
    on_board = {c.key: c for c in data["all"]}
    return {
        "start": start,
        "end": end,
        "summary": summary,
        "rows": [
            (q, QUADRANT_LABELS[q], summary["quadrants"][q]) for q in quadrants.QUADRANTS
        ],
        "moved_cards": [on_board[k] for k in moved_up if k in on_board],
        "shown": [on_board[k] for k in moved_up if k in on_board],
    }


# --- 请示 -----------------------------------------------------------------------------------------

# Who answers a team's 请示: the lead's manager (the site manager over the team).
APPROVER_ROLES = (Role.SITE_MANAGER,)


def visible_requests(user) -> QuerySet[Request]:
    """The user's own requests and those waiting on them as an approver."""
    mine = Request.objects.filter(author=user) if user.is_authenticated else Request.objects.none()
    theirs = Request.objects.visible_to(user, APPROVER_ROLES, via="team")
    return (mine | theirs).select_related("team", "author").distinct()


def get_request(user, pk) -> Request:
    return get_or_404(visible_requests(user), pk)


def may_answer(user, request: Request) -> bool:
    return (
        Request.objects.visible_to(user, APPROVER_ROLES, via="team").filter(pk=request.pk).exists()
    )


def may_see_requests(user) -> bool:
    return covers_any(user, BOARD_ROLES + APPROVER_ROLES)


def may_request(user) -> bool:
    return may_board(user)


def requests_page(user) -> dict:
    rows = list(visible_requests(user)[:200])
    return {
        "mine": [r for r in rows if r.author_id == user.pk],
        "to_answer": [r for r in rows if r.author_id != user.pk],
        "may_request": may_request(user),
    }


def evidence_preview(user, teams, params, today: date) -> dict:
    """The tables a lead may attach, for the team and period chosen on the page (first team, week)."""
    team = next((t for t in teams if str(t.pk) == params.get("team")), None) or (
        teams[0] if teams else None
    )
    kind = params.get("period") if params.get("period") in facts.PERIOD_DAYS else "week"
    start, end = facts.period(kind, today)
    tables = facts.collect(team.pk, start, end) if team else []
    return {
        "tables": tables,
        "preview": facts.shown(facts.snapshot(tables, start, end)),
        "preview_team": team,
        "preview_period": kind,
        "preview_start": start,
        "preview_end": end,
    }


def request_page(user, request: Request) -> dict:
    return {
        "item": request,
        "evidence_tables": facts.shown(request.evidence_data),
        "replies": list(request.replies.select_related("author")),
        "may_answer": may_answer(user, request) and request.author_id != user.pk,
    }


# --- 汇报 -----------------------------------------------------------------------------------------


def visible_reports(user) -> QuerySet[Report]:
    """The user's own reports (drafts too) and the sent ones of teams they manage."""
    mine = Report.objects.filter(author=user) if user.is_authenticated else Report.objects.none()
    theirs = Report.objects.visible_to(user, APPROVER_ROLES, via="team").filter(
        status=ReportStatus.SENT
    )
    return (mine | theirs).select_related("team", "author").distinct()


def get_report(user, pk) -> Report:
    return get_or_404(visible_reports(user), pk)


def reports_page(user) -> dict:
    rows = list(visible_reports(user)[:200])
    return {
        "mine": [r for r in rows if r.author_id == user.pk],
        "to_read": [r for r in rows if r.author_id != user.pk],
        "may_report": may_request(user),
    }


def report_page(user, report: Report) -> dict:
    return {
        "item": report,
        "tables": facts.shown(report.data),
        "comments": list(report.comments.select_related("author")),
        "editable": report.author_id == user.pk and report.status == ReportStatus.DRAFT,
        "may_comment": report.status == ReportStatus.SENT,
    }


def intakes(user) -> list[TaskIntake]:
    return list(TaskIntake.objects.filter(owner=user).select_related("task")[:50])


# --- the lead's growth self-check ---------------------------------------------------------------

WHEEL_RADIUS, WHEEL_CENTRE = 90.0, 130.0


def _points(values: dict) -> str:
    return " ".join(f"{p.x},{p.y}" for p in wheel.polygon(values, WHEEL_RADIUS, WHEEL_CENTRE))


def wheel_view(check: SelfCheck | None, previous: SelfCheck | None = None) -> dict | None:
    """What the balance wheel draws: the lead's ratings, the evidence's readings, the last check."""
    if check is None:
        return None
    readings = {code: (e or {}).get("reading") for code, e in check.evidence.items()}
    return {
        "self": _points(check.ratings),
        "system": _points(readings),
        "previous": _points(previous.ratings) if previous else "",
        "rings": [round(WHEEL_RADIUS * n / wheel.TOP, 1) for n in range(1, wheel.TOP + 1)],
        "centre": WHEEL_CENTRE,
        "spokes": [
            (str(growth.ABILITY_LABELS[code]), p) for code, p in wheel.spokes(WHEEL_RADIUS + 14, WHEEL_CENTRE)
        ],
    }


def evidence_rows(data: dict, ratings: dict | None = None) -> list[dict]:
    return [
        {
            "code": code,
            "label": growth.ABILITY_LABELS[code],
            "reading": (data.get(code) or {}).get("reading"),
            "text": render_text((data.get(code) or {}).get("text", ""), (data.get(code) or {}).get("params", {})),
            "rating": (ratings or {}).get(code),
        }
        for code in wheel.ABILITIES
    ]


def growth_page(user, today: date) -> dict:
    """The lead's own checks (latest first) with today's evidence; a manager's shared checks of
    their leads."""
    mine = list(SelfCheck.objects.filter(owner=user)[:24])
    team_ids = led_team_ids(user)
    shared = list(
        SelfCheck.objects.visible_to(user, APPROVER_ROLES, via="team")
        .filter(shared=True)
        .exclude(owner=user)
        .select_related("owner", "team")[:100]
    )
    return {
        "may_check": bool(team_ids),
        "evidence": evidence_rows(growth.evidence(user, team_ids, today)) if team_ids else [],
        "checks": [(c, wheel.balance(c.ratings)) for c in mine],
        "wheel": wheel_view(mine[0] if mine else None, mine[1] if len(mine) > 1 else None),
        "shared": shared,
        "abilities": [(code, growth.ABILITY_LABELS[code]) for code in wheel.ABILITIES],
    }


def visible_self_checks(user) -> QuerySet[SelfCheck]:
    mine = SelfCheck.objects.filter(owner=user) if user.is_authenticated else SelfCheck.objects.none()
    theirs = SelfCheck.objects.visible_to(user, APPROVER_ROLES, via="team").filter(shared=True)
    return (mine | theirs).select_related("owner", "team").distinct()


def get_self_check(user, pk) -> SelfCheck:
    return get_or_404(visible_self_checks(user), pk)


def self_check_page(user, check: SelfCheck) -> dict:
    previous = (
        SelfCheck.objects.filter(owner_id=check.owner_id, taken_on__lte=check.taken_on)
        .exclude(pk=check.pk)
        .order_by("-taken_on", "-pk")
        .first()
    )
    return {
        "check": check,
        "own": check.owner_id == user.pk,
        "rows": evidence_rows(check.evidence, check.ratings),
        "wheel": wheel_view(check, previous),
        "balance": wheel.balance(check.ratings),
    }
