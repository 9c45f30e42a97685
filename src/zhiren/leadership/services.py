"""Writes of the lead's workspace: planning and running huddles, decisions on board cards."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record, record_many
from zhiren.coaching.services import delegate_task
from zhiren.core.batch import batch
from zhiren.core.registries import HuddleItem, huddle_sources, shift_start_feeds
from zhiren.org.models import Agent, AgentStatus, Team

from . import agenda, facts, growth, quadrants, wheel
from .models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    CardState,
    CardStatus,
    Huddle,
    HuddleSend,
    HuddleStatus,
    ReplyKind,
    Report,
    ReportComment,
    ReportKind,
    ReportStatus,
    Request,
    RequestReply,
    RequestStatus,
    SelfCheck,
    Task,
    TaskIntake,
)

log = logging.getLogger(__name__)

# How far ahead the periodic job prepares huddles.
PLAN_AHEAD = timedelta(hours=3)


# --- when huddles are -------------------------------------------------------------------------


def shift_starts(team_id: int, day: date) -> list[datetime]:
    for feed in shift_start_feeds:
        return list(feed(team_id, day))
    return []


def huddle_starts(team_id: int, day: date) -> list[datetime]:
    return agenda.huddle_starts(shift_starts(team_id, day))


def next_shift_start(team_id: int, now: datetime) -> datetime | None:
    """The next shift (group) start of the team still ahead, today or tomorrow."""
    today = timezone.localdate(now)
    for day in (today, today + timedelta(days=1)):
        for start in huddle_starts(team_id, day):
            if start > now:
                return start
    return None


# --- generating the agenda ------------------------------------------------------------------------


def collect(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """Every source's points for the huddle, in reading order. A failing source is logged and skipped."""
    points: list[HuddleItem] = []
    for entry in huddle_sources.entries():
        try:
            points.extend(entry.value(team_id, shift_start))
        except Exception:  # a broken module must not cost the team its huddle
            log.exception("huddle source %s failed for team %s", entry.name, team_id)
    return agenda.ordered(points)


@transaction.atomic
def plan_huddle(team: Team, shift_start: datetime, *, now: datetime | None = None) -> Huddle:
    """The team's huddle before ``shift_start``, generated once: sources' points, then what carries over."""
    existing = Huddle.objects.filter(team=team, shift_start=shift_start).first()
    if existing:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            huddle = Huddle.objects.create(team=team, shift_start=shift_start, generated_at=now)
    except IntegrityError:  # planned meanwhile by another worker
        return Huddle.objects.get(team=team, shift_start=shift_start)
    rows = [
        AgendaItem(
            huddle=huddle,
            section=p.section,
            kind=p.kind,
            key=p.key,
            text=p.text[:300],
            params={k: str(v) for k, v in p.params.items()},
            private=p.private,
            focus=p.focus,
            position=n,
        )
        for n, p in enumerate(collect(team.pk, shift_start))
    ]
    previous = (
        Huddle.objects.filter(team=team, shift_start__lt=shift_start)
        .order_by("-shift_start")
        .first()
    )
    if previous:
        for item in previous.items.filter(section__in=agenda.CARRIED_SECTIONS, resolved=False):
            rows.append(
                AgendaItem(
                    huddle=huddle,
                    section=item.section,
                    kind=item.kind,
                    key=item.key,
                    text=item.text,
                    params=item.params,
                    own=item.own,
                    edited_text=item.edited_text,
                    private=item.private,
                    position=len(rows),
                    carried_from=item,
                )
            )
    AgendaItem.objects.bulk_create(rows)
    return huddle


def plan_due_huddles(now: datetime | None = None, ahead: timedelta = PLAN_AHEAD) -> int:
    """Prepare every team's huddles for shifts starting within ``ahead`` (the periodic job). Returns how many are new."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    teams = Team.objects.filter(agents__status=AgentStatus.ACTIVE).distinct()
    created = 0
    with batch():  # a source reading site-wide data (the forecast) reads it once for all teams
        for team in teams:
            for day in (today, today + timedelta(days=1)):
                for start in huddle_starts(team.pk, day):
                    if (
                        now < start <= now + ahead
                        and not Huddle.objects.filter(team=team, shift_start=start).exists()
                    ):
                        plan_huddle(team, start, now=now)
                        created += 1
    return created


# --- running it --------------------------------------------------------------------------------


def start(huddle: Huddle, *, actor, now: datetime | None = None) -> Huddle:
    if huddle.status == HuddleStatus.PLANNED:
        huddle.status, huddle.started_at = HuddleStatus.RUNNING, now or timezone.now()
        huddle.save(update_fields=["status", "started_at"])
    return huddle


def finish(huddle: Huddle, *, actor, notes: str = "", now: datetime | None = None) -> Huddle:
    now = now or timezone.now()
    huddle.status, huddle.ended_at = HuddleStatus.DONE, now
    huddle.started_at = huddle.started_at or now
    huddle.notes = notes[:4000]
    huddle.save(update_fields=["status", "ended_at", "started_at", "notes"])
    return huddle


def team_agents(huddle: Huddle) -> list[Agent]:
    return list(
        Agent.objects.filter(team_id=huddle.team_id, status=AgentStatus.ACTIVE).order_by(
            "employee_no"
        )
    )


@transaction.atomic
def record_attendance(huddle: Huddle, present_ids: set[int], *, actor) -> int:
    """Who was there, among the team's active agents (others are ignored). Returns how many were present."""
    agents = team_agents(huddle)
    Attendance.objects.filter(huddle=huddle).delete()
    Attendance.objects.bulk_create(
        [Attendance(huddle=huddle, agent=a, present=a.pk in present_ids) for a in agents]
    )
    return sum(1 for a in agents if a.pk in present_ids)


# --- sending to the team's robot ------------------------------------------------------------------


def send_to_robots(
    huddle: Huddle, *, actor, hook_ids: list[int], with_notes: bool, now: datetime | None = None
) -> list[HuddleSend]:
    """Ask for the huddle's agenda (and notes) to go to the chosen robots of the actor's own; each
    goes through the task queue once the request is saved. Robots not theirs are ignored."""
    from zhiren.people.models import DigestWebhook

    now = now or timezone.now()
    hooks = DigestWebhook.objects.filter(owner=actor, active=True, pk__in=hook_ids).order_by("pk")
    sends = [
        HuddleSend.objects.create(
            huddle=huddle,
            hook=hook,
            robot=str(hook)[:60],
            with_notes=with_notes,
            requested_by=actor,
            requested_at=now,
        )
        for hook in hooks
    ]
    for item in sends:
        transaction.on_commit(partial(send_huddle.enqueue, item.pk))
    return sends


def deliver(send_id: int, *, now: datetime | None = None) -> str:
    """Post one asked-for send: "sent", "failed" (the error kept for the lead, the send kept to try
    again), or "skipped" (gone or already sent)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from zhiren.people import robots

    from .selectors import robot_message

    item = HuddleSend.objects.select_related("huddle__team", "hook").filter(pk=send_id).first()
    if item is None or item.sent_at:
        return "skipped"
    hook = item.hook
    if hook is None or not hook.active:
        item.error = gettext_noop("The robot was removed or switched off.")
        item.save(update_fields=["error"])
        return "failed"
    base = getattr(settings, "ZHIREN_BASE_URL", "").rstrip("/")
    link = f"{base}{reverse('leadership:huddle_tv', args=[item.huddle_id])}" if base else ""
    with translation.override(settings.LANGUAGE_CODE):
        message = robot_message(item.huddle, with_notes=item.with_notes, link=link)
    try:
        robots.post(hook.kind, hook.url, message, hook.secret)
    except (robots.DeliveryError, OSError) as exc:
        item.error = str(exc)[:300] or exc.__class__.__name__
        item.save(update_fields=["error"])
        return "failed"
    item.sent_at, item.error = now or timezone.now(), ""
    item.save(update_fields=["sent_at", "error"])
    return "sent"


def send_again(item: HuddleSend, *, actor, now: datetime | None = None) -> HuddleSend | None:
    """A failed send asked for once more (a new send, the failed one kept); None if the robot
    is no longer the actor's and active."""
    if item.hook is None:
        return None
    sends = send_to_robots(
        item.huddle, actor=actor, hook_ids=[item.hook_id], with_notes=item.with_notes, now=now
    )
    return sends[0] if sends else None


@task()
def send_huddle(send_id: int) -> str:
    """The background task of ``send_to_robots``: post one send to its robot.

    Declared here, beside the service that enqueues it (``tasks`` re-exports it)."""
    return deliver(send_id)


def record_moods(huddle: Huddle, scores: dict[int, int | None], *, actor) -> int:
    """The moods the lead observed at the huddle, kept as wellbeing's morning-meeting observation
    of the huddle's day (``record_observed``: the team's lead only; None clears one)."""
    from zhiren.wellbeing.services import record_observed

    return record_observed(actor, huddle.team, timezone.localdate(huddle.shift_start), scores)


def log_mood_reads(user, agent_ids: list[int], *, request=None) -> int:
    """Audit the lead's read of each person's observed mood shown on the huddle page (field
    names only, one row per person), as wellbeing logs reads of mood data."""
    from zhiren.wellbeing.models import MoodEntry

    if agent_ids:
        record_many(
            actor=user,
            action=AuditAction.READ,
            subject_agent_ids=agent_ids,
            object_type=MoodEntry._meta.label_lower,
            object_id="",
            fields=("score", "source"),
            purpose="huddle: moods observed",
            request=request,
        )
    return len(agent_ids)


def add_point(
    huddle: Huddle, *, actor, text: str, follow_up: bool = False, private: bool = False
) -> AgendaItem:
    section = agenda.FOLLOW_UPS if follow_up else agenda.TOPICS
    last = huddle.items.order_by("-position").values_list("position", flat=True).first() or 0
    return AgendaItem.objects.create(
        huddle=huddle,
        section=section,
        kind="follow_up" if follow_up else "topic",
        text=text.strip()[:300],
        own=True,
        private=private,
        position=last + 1,
    )


ITEM_ACTIONS = ("edit", "hide", "show", "resolve", "reopen")


def update_point(item: AgendaItem, action: str, *, actor, text: str = "") -> AgendaItem:
    if action == "edit":
        item.edited_text = text.strip()[:300]
    elif action in ("hide", "show"):
        item.hidden = action == "hide"
    elif action in ("resolve", "reopen"):
        item.resolved = action == "resolve"
    else:
        raise ValueError(action)
    item.save(update_fields=["edited_text", "hidden", "resolved"])
    return item


# --- the board ---------------------------------------------------------------------------------


def set_window(user, days: int) -> BoardSettings:
    days = max(0, min(quadrants.MAX_WINDOW_DAYS, days))
    prefs, _ = BoardSettings.objects.update_or_create(owner=user, defaults={"window_days": days})
    return prefs


def add_task(user, *, title: str, due: date | None, important: str) -> Task:
    return Task.objects.create(owner=user, title=title.strip()[:200], due=due, important=important)


DECISIONS = {
    "done": CardStatus.DONE,
    "delegate": CardStatus.DELEGATED,
    "schedule": CardStatus.SCHEDULED,
    "drop": CardStatus.DROPPED,
    "reopen": CardStatus.OPEN,
}


def decide(
    user,
    key: str,
    action: str,
    *,
    quadrant: int = 0,
    delegate_to: Agent | None = None,
    scheduled_for: date | None = None,
    note: str = "",
    minutes: int | None = None,
    delegation=None,
) -> CardState:
    """The lead's decision on a card; delegating needs an agent, scheduling a day. ``minutes``:
    the time the card took (for the weekly review)."""
    status = DECISIONS[action]
    if status == CardStatus.DELEGATED and delegate_to is None:
        raise ValueError("delegate_to")
    if status == CardStatus.SCHEDULED and scheduled_for is None:
        raise ValueError("scheduled_for")
    today = timezone.localdate()
    state, _ = CardState.objects.update_or_create(
        owner=user,
        key=key[:80],
        defaults={
            "status": status,
            "delegated_to": delegate_to if status == CardStatus.DELEGATED else None,
            "delegation": delegation if status == CardStatus.DELEGATED else None,
            "scheduled_for": scheduled_for if status == CardStatus.SCHEDULED else None,
            "note": note[:300],
            "quadrant": quadrant,
            "minutes": minutes,
            "decided_on": None if status == CardStatus.OPEN else today,
        },
        create_defaults={
            "status": status,
            "delegated_to": delegate_to if status == CardStatus.DELEGATED else None,
            "delegation": delegation if status == CardStatus.DELEGATED else None,
            "scheduled_for": scheduled_for if status == CardStatus.SCHEDULED else None,
            "note": note[:300],
            "quadrant": quadrant,
            "first_quadrant": quadrant,
            "first_seen": today,
            "minutes": minutes,
            "decided_on": None if status == CardStatus.OPEN else today,
        },
    )
    return state


def note_quadrants(user, cards, today: date) -> int:
    """Remember where each open card stands: its quadrant now, and for a card shown for the first
    time also that first quadrant and day (the weekly review's "slid from II to I"). One upsert,
    whatever the number of cards. Returns how many cards were noted."""
    if not cards:
        return 0
    CardState.objects.bulk_create(
        [
            CardState(
                owner=user,
                key=c.key[:80],
                quadrant=c.quadrant,
                first_quadrant=c.quadrant,
                first_seen=today,
            )
            for c in {c.key[:80]: c for c in cards}.values()
        ],
        update_conflicts=True,
        unique_fields=["owner", "key"],
        update_fields=["quadrant"],
    )
    return len(cards)


@transaction.atomic
def delegate_card(
    user, card, agent: Agent, *, title: str, answers: dict[str, str], check_on: date | None = None
) -> CardState:
    """Hand a board card to an agent through coaching's six guiding questions (引导六问): the
    delegation is coaching's (the agent sees it), the card is set aside as delegated."""
    delegation = delegate_task(user, agent, title, answers, check_on=check_on)
    return decide(
        user,
        card.key,
        "delegate",
        quadrant=card.quadrant,
        delegate_to=agent,
        note=title,
        delegation=delegation,
    )


def log_card_reads(user, cards, *, purpose: str, request=None) -> int:
    """Audit each shown card that names a person beside sensitive data (a mood alert), as the
    wellbeing app logs reads of mood data: field names only, one row per person. Returns how many."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for card in cards:
        if card.subject_agent_id is not None and card.audit_type:
            groups.setdefault((card.audit_type, tuple(card.audit_fields)), []).append(
                card.subject_agent_id
            )
    for (object_type, fields), agent_ids in groups.items():
        record_many(
            actor=user,
            action=AuditAction.READ,
            subject_agent_ids=agent_ids,
            object_type=object_type,
            object_id="",
            fields=fields,
            purpose=purpose,
            request=request,
        )
    return sum(len(ids) for ids in groups.values())


# --- 请示 (requests for instructions) ------------------------------------------------------------

# Words that join two matters in one subject: 一事一请 (one matter per request).
SECOND_MATTER = ("；", ";", "以及", "另外", "同时", "\n")


def request_problems(subject: str, options: list[str], recommended: int) -> list[str]:
    """Why a 请示 is not yet one matter with options and a recommendation (msgids; empty: fine)."""
    problems = []
    if any(word in subject for word in SECOND_MATTER):
        problems.append(
            gettext_noop("One matter per request: put the second matter in its own request.")
        )
    if len(options) < 2:
        problems.append(gettext_noop("Give at least two options."))
    if not 0 <= recommended < len(options):
        problems.append(gettext_noop("Recommend one of the options."))
    return problems


def evidence_snapshot(team: Team, period_kind: str, keys: list[str], today: date) -> dict:
    """The picked tables of the team's data for the period, frozen for the request."""
    if not keys:
        return {}
    start, end = facts.period(period_kind, today)
    return facts.snapshot([t for t in facts.collect(team.pk, start, end) if t.key in keys], start, end)


def submit_request(
    *,
    author,
    team: Team,
    subject: str,
    background: str,
    options: list[str],
    recommended: int,
    evidence: str = "",
    evidence_data: dict | None = None,
) -> Request:
    options = [o.strip() for o in options if o.strip()]
    problems = request_problems(subject.strip(), options, recommended)
    if problems:
        raise ValueError(problems)
    return Request.objects.create(
        author=author,
        team=team,
        subject=subject.strip(),
        background=background.strip(),
        options=options,
        recommended=recommended,
        evidence=evidence.strip(),
        evidence_data=evidence_data or {},
        created_at=timezone.now(),
    )


@transaction.atomic
def reply(request: Request, *, author, kind: str, text: str = "") -> RequestReply:
    """The manager's reply: approve or reject decides the request (once); a comment leaves it waiting."""
    if kind not in ReplyKind.values:
        raise ValueError(kind)
    if kind != ReplyKind.COMMENT:
        if request.status != RequestStatus.WAITING:
            raise ValueError("decided")
        request.status = (
            RequestStatus.APPROVED if kind == ReplyKind.APPROVE else RequestStatus.REJECTED
        )
        request.save(update_fields=["status"])
    return RequestReply.objects.create(
        request=request, author=author, kind=kind, text=text.strip()[:2000], at=timezone.now()
    )


# --- 汇报 (reports) and the task intake --------------------------------------------------------

REPORT_PERIODS = {ReportKind.WEEKLY: "week", ReportKind.MONTHLY: "month"}


def open_issues(team: Team) -> list[str]:
    """What is still open for the team: the lead's topics and follow-ups left unresolved on its
    latest huddle (they carry over), and its requests still waiting for instructions (two queries)."""
    latest = Huddle.objects.filter(team=team).order_by("-shift_start").first()
    lines = []
    if latest:
        for item in latest.items.filter(section__in=agenda.CARRIED_SECTIONS, resolved=False):
            lines.append(item.display)
    for subject in Request.objects.filter(team=team, status=RequestStatus.WAITING).values_list(
        "subject", flat=True
    ):
        lines.append(gettext("Waiting for instructions: %(subject)s") % {"subject": subject})
    return lines


def draft_report(*, author, team: Team, kind: str, today: date | None = None) -> Report:
    """A new report, in the author's language. Weekly and monthly ones are pre-filled from the
    team's data (all ``team_facts`` tables, frozen) and its open issues; ad-hoc ones start blank."""
    if kind not in ReportKind.values:
        raise ValueError(kind)
    today = today or timezone.localdate()
    report = Report(author=author, team=team, kind=kind, created_at=timezone.now())
    if kind in REPORT_PERIODS:
        start, end = facts.period(REPORT_PERIODS[kind], today)
        report.period_start, report.period_end = start, end
        report.data = facts.snapshot(facts.collect(team.pk, start, end), start, end)
        issues = open_issues(team)
        report.title = gettext("%(kind)s %(team)s, %(start)s – %(end)s") % {
            "kind": ReportKind(kind).label,
            "team": team.name,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        lines = [f"- {line}" for line in facts.summary_lines(report.data)]
        if issues:
            lines += ["", gettext("Open issues:")] + [f"- {line}" for line in issues]
        report.body = "\n".join(lines)[:8000]
    else:
        report.title = gettext("Ad-hoc report: %(team)s") % {"team": team.name}
    report.save()
    return report


def save_report(report: Report, *, title: str, body: str, send: bool = False) -> Report:
    """The author edits a draft; sending freezes it and routes it to their manager."""
    if report.status != ReportStatus.DRAFT:
        raise ValueError("sent")
    report.title = title.strip()[:200] or report.title
    report.body = body.strip()[:8000]
    if send:
        report.status, report.sent_at = ReportStatus.SENT, timezone.now()
    report.save(update_fields=["title", "body", "status", "sent_at"])
    return report


def comment_report(report: Report, *, author, text: str) -> ReportComment:
    if report.status != ReportStatus.SENT:
        raise ValueError("draft")
    if not text.strip():
        raise ValueError("empty")
    return ReportComment.objects.create(
        report=report, author=author, text=text.strip()[:2000], at=timezone.now()
    )


@transaction.atomic
def take_in_task(
    user,
    *,
    title: str,
    given_by: str = "",
    goal: str = "",
    deadline: date | None = None,
    resources: str = "",
    standards: str = "",
    report_to: str = "",
    important: str = "kpi",
) -> TaskIntake:
    """A task from above, with the intake checklist; it lands on the board as the lead's task."""
    task = add_task(user, title=title, due=deadline, important=important)
    return TaskIntake.objects.create(
        owner=user,
        title=task.title,
        given_by=given_by.strip()[:100],
        goal=goal.strip()[:2000],
        deadline=deadline,
        resources=resources.strip()[:2000],
        standards=standards.strip()[:2000],
        report_to=report_to.strip()[:100],
        task=task,
        created_at=timezone.now(),
    )


# --- the lead's growth self-check ---------------------------------------------------------------


def take_self_check(
    user, *, team: Team, ratings: dict[str, int], note: str = "", today: date | None = None
) -> SelfCheck:
    """The lead's own 1–5 for each of the seven abilities, with the system's evidence frozen beside it."""
    today = today or timezone.localdate()
    clean = {code: int(ratings[code]) for code in wheel.ABILITIES if code in ratings}
    if any(not 1 <= v <= wheel.TOP for v in clean.values()) or len(clean) != len(wheel.ABILITIES):
        raise ValueError("ratings")
    return SelfCheck.objects.create(
        owner=user,
        team=team,
        taken_on=today,
        ratings=clean,
        evidence=growth.evidence(user, [team.pk], today),
        note=note.strip()[:2000],
    )


def share_self_check(check: SelfCheck, *, actor, shared: bool) -> SelfCheck:
    if check.owner_id != actor.pk:
        raise PermissionError("only the lead shares their own self-check")
    check.shared = shared
    check.save(update_fields=["shared"])
    return check


def log_self_check_read(user, check: SelfCheck, request=None) -> None:
    """A manager reading a lead's shared self-check leaves a trace (the lead's own reads do not)."""
    if check.owner_id == user.pk:
        return
    record(
        actor=user,
        action=AuditAction.READ,
        obj=check,
        fields=["ratings", "evidence", "note"],
        purpose="lead's shared self-check",
        request=request,
    )
