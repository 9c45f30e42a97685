"""Writes of the engagement module: surveys and their launch, answering with a one-time
token, action plans, and suggestions moving through their states."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, AgentStatus, Site, Team
from zhiren.org.scoping import own_agent

from . import flow, reminders, supervision, tallies
from .anonymity import FLOOR, AnonymityError, Minimums
from .items import BY_KEY, FACTOR_BY_KEY, IDENTIFIED_KINDS, KINDS, TEMPLATES
from .models import (
    ActionItem,
    ActionStatus,
    Comment,
    Invitation,
    ItemSource,
    MemberBasis,
    Response,
    Suggestion,
    SupervisionItem,
    SupervisionMember,
    Survey,
    Wave,
    WaveReminder,
)

COMMENT_LIMIT = 2000


class EngagementError(ValueError):
    """A write refused for a reason the user can read."""


def check_minimums(min_scores: int, min_comments: int) -> Minimums:
    try:
        return Minimums(int(min_scores), int(min_comments))
    except (AnonymityError, TypeError, ValueError) as exc:
        raise EngagementError(
            _("A minimum below %(floor)s would not keep anyone anonymous.") % {"floor": FLOOR}
        ) from exc


def create_survey(
    site: Site,
    kind: str,
    title: str,
    *,
    user: AnyUser,
    min_scores: int = 5,
    min_comments: int = 10,
    items: list[str] | None = None,
) -> Survey:
    if kind not in KINDS:
        raise EngagementError(_("Unknown kind of survey."))
    check_minimums(min_scores, min_comments)
    chosen = list(items) if items else list(TEMPLATES[kind])
    if not chosen or any(key not in BY_KEY for key in chosen):
        raise EngagementError(_("Unknown question."))
    survey = Survey.objects.create(
        site=site,
        kind=kind,
        title=title.strip() or kind,
        items=chosen,
        min_scores=min_scores,
        min_comments=min_comments,
        created_by=user if user.is_authenticated else None,
    )
    return survey


def tenure_band(hire_date: dt.date | None, on: dt.date) -> str:
    if hire_date is None:
        return ""
    months = (on.year - hire_date.year) * 12 + on.month - hire_date.month - (on.day < hire_date.day)
    return "0-6" if months < 6 else "6-12" if months < 12 else "12+"


@transaction.atomic
def launch(
    survey: Survey,
    *,
    user: AnyUser,
    opens_on: dt.date,
    closes_on: dt.date,
    plan: reminders.Plan | None = None,
) -> Wave:
    """A new wave: items and minimums locked as they are now, one invitation per active agent
    of the site who can sign in. ``plan``: its automatic reminders (None: the default, one
    halfway and one on the last day; ``reminders.Plan()``: none)."""
    check_minimums(survey.min_scores, survey.min_comments)
    if closes_on < opens_on:
        raise EngagementError(_("A wave cannot close before it opens."))
    if plan is None:
        plan = reminders.default_plan(opens_on, closes_on)
    if not reminders.valid_after_days(plan.after_days, opens_on, closes_on):
        raise EngagementError(
            _("A reminder after %(n)s days would not fall while the wave is open.")
            % {"n": plan.after_days}
        )
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    number = (survey.waves.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    wave = Wave.objects.create(
        survey=survey,
        number=number,
        items=list(survey.items),
        min_scores=survey.min_scores,
        min_comments=survey.min_comments,
        opens_on=opens_on,
        closes_on=closes_on,
        launched_by=user if user.is_authenticated else None,
        remind_after_days=plan.after_days,
        remind_last_day=plan.last_day,
    )
    agents = Agent.objects.filter(
        team__site=survey.site, status=AgentStatus.ACTIVE, user__isnull=False
    ).select_related("team")
    Invitation.objects.bulk_create(
        Invitation(
            wave=wave,
            user_id=a.user_id,
            team=a.team,
            tenure_band=tenure_band(a.hire_date, opens_on),
            channel=a.team.main_channel if a.team else "",
            token=secrets.token_urlsafe(24),
        )
        for a in agents
    )
    _to_robots(wave, reminder=False)
    return wave


def _to_robots(wave: Wave, *, reminder: bool) -> None:
    """Queue the message to the leads' group robots once the transaction commits."""
    from .tasks import send_wave_to_robots

    transaction.on_commit(lambda: send_wave_to_robots.enqueue(wave.pk, reminder))


def _clean_answers(wave: Wave, answers: dict[str, object]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for key in wave.items:
        value = answers.get(key)
        if value in (None, ""):
            continue
        try:
            number = int(str(value))
        except ValueError as exc:
            raise EngagementError(_("Answers go from 1 to 5.")) from exc
        if not 1 <= number <= 5:
            raise EngagementError(_("Answers go from 1 to 5."))
        cleaned[key] = number
    if not cleaned:
        raise EngagementError(_("Answer at least one question."))
    return cleaned


@transaction.atomic
def submit_answer(
    wave: Wave,
    token: str,
    *,
    user: AnyUser,
    answers: dict[str, object],
    enps: object = None,
    comment: str = "",
) -> None:
    """Store one answer sheet for the invitation with this token, then mark it answered.

    The sheet keeps the invitation's groups (team, tenure band, channel), never its user or
    token; a second answer with the same token is refused.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .filter(wave=wave, token=token, user_id=getattr(user, "pk", None))
        .first()
    )
    if invitation is None:
        raise EngagementError(_("This link is not yours or has expired."))
    if invitation.responded:
        raise EngagementError(_("You have already answered this survey."))
    if not wave.is_open():
        raise EngagementError(_("This survey is closed."))
    cleaned = _clean_answers(wave, answers)
    score = None
    if enps not in (None, ""):
        try:
            score = int(str(enps))
        except ValueError as exc:
            raise EngagementError(_("The recommendation score goes from 0 to 10.")) from exc
        if not 0 <= score <= 10:
            raise EngagementError(_("The recommendation score goes from 0 to 10."))
    identified = wave.survey.kind in IDENTIFIED_KINDS
    agent = own_agent(user) if identified else None
    groups = {
        "wave": wave,
        "team_id": invitation.team_id,
        "tenure_band": invitation.tenure_band,
        "channel": invitation.channel,
        "agent": agent,
    }
    Response.objects.create(answers=cleaned, enps=score, **groups)
    text = (comment or "").strip()[:COMMENT_LIMIT]
    if text:
        Comment.objects.create(text=text, **groups)
    tallies.record_sheet(
        wave,
        team_id=invitation.team_id,
        tenure_band=invitation.tenure_band,
        channel=invitation.channel,
        answers=cleaned,
        enps=score,
        comments=1 if text else 0,
    )
    invitation.responded = True
    invitation.save(update_fields=["responded"])


def remind(wave: Wave, *, user: AnyUser) -> int:
    """Mark a reminder on every unanswered invitation (the in-app banner shows it) and queue
    one to the leads' group robots (the team's response rate, never who); returns how many."""
    if not wave.is_open():
        raise EngagementError(_("This survey is closed."))
    return _remind(wave)


def _remind(wave: Wave) -> int:
    count = Invitation.objects.filter(wave=wave, responded=False).update(reminded_at=timezone.now())
    _to_robots(wave, reminder=True)
    return count


def send_due_reminders(today: dt.date | None = None) -> dict[int, list[str]]:
    """Send each automatic reminder whose day has come, once: wave id -> kinds sent.

    Run daily by the ``survey_reminders`` periodic job. Each reminder sent is recorded
    (``WaveReminder``, unique per wave and kind) in the same transaction that marks the
    invitations and queues the robots' message, so a second run, or a second worker at the
    same moment, finds it sent and sends nothing. A closed wave is never reminded.
    """
    today = today or timezone.localdate()
    candidates = (
        Wave.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .filter(Q(remind_after_days__isnull=False) | Q(remind_last_day=True))
        .select_related("survey")
        .order_by("pk")
    )
    outcome: dict[int, list[str]] = {}
    for wave in candidates:
        sent = set(wave.reminders.values_list("kind", flat=True))
        schedule = dict(wave.reminder_schedule())
        launched_on = timezone.localdate(wave.launched_at)
        kinds = reminders.due(
            wave.reminder_plan, wave.opens_on, wave.closes_on, launched_on, sent, today
        )
        if not kinds or not wave.is_open():  # a day asked for by hand: still never once closed
            continue
        try:
            with transaction.atomic():
                WaveReminder.objects.bulk_create(
                    WaveReminder(wave=wave, kind=kind, due_on=schedule[kind]) for kind in kinds
                )
                _remind(wave)
        except IntegrityError:  # another worker sent it a moment ago
            continue
        outcome[wave.pk] = kinds
    return outcome


def add_action(
    wave: Wave,
    team: Team,
    factor: str,
    title: str,
    *,
    user: AnyUser,
    owner: AnyUser | None,
    due_on: dt.date,
) -> ActionItem:
    if factor not in FACTOR_BY_KEY:
        raise EngagementError(_("Unknown factor."))
    if not title.strip():
        raise EngagementError(_("Say what will be done."))
    if due_on < timezone.localdate():
        raise EngagementError(_("The due date is in the past."))
    author = user if user.is_authenticated else None
    return ActionItem.objects.create(
        wave=wave,
        team=team,
        factor=factor,
        title=title.strip(),
        owner=owner if owner is not None else author,
        due_on=due_on,
        created_by=author,
    )


def set_action_status(item: ActionItem, status: str, *, user: AnyUser) -> ActionItem:
    if status not in ActionStatus.values:
        raise EngagementError(_("Unknown status."))
    item.status = status
    item.save(update_fields=["status"])
    return item


def submit_suggestion(*, user: AnyUser, title: str, body: str, anonymous: bool) -> Suggestion:
    """A suggestion from an agent (or any staff member with a team). Anonymous: only the site is kept."""
    agent = own_agent(user)
    if agent is None or agent.team is None:
        raise EngagementError(_("Only someone on a team can submit a suggestion."))
    if not title.strip() or not body.strip():
        raise EngagementError(_("A suggestion needs a title and a text."))
    if anonymous:
        return Suggestion.objects.create(
            site=agent.team.site, anonymous=True, title=title.strip()[:120], body=body.strip()
        )
    return Suggestion.objects.create(
        site=agent.team.site,
        team=agent.team,
        author=user,
        anonymous=False,
        title=title.strip()[:120],
        body=body.strip(),
    )


@transaction.atomic
def move_suggestion(
    suggestion: Suggestion,
    target: str,
    *,
    user: AnyUser,
    reason: str = "",
    reward: int | None = None,
) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    try:
        flow.check_move(suggestion.status, target, reason, reward)
    except flow.FlowError as exc:
        messages = {
            "reason_required": _("Say why the suggestion is declined."),
            "negative_reward": _("A reward cannot be negative."),
        }
        raise EngagementError(messages.get(exc.code, _("This step is not possible now."))) from exc
    now = timezone.now()
    suggestion.status = target
    if target in (flow.ADOPTED, flow.DECLINED):
        suggestion.decided_at = now
        suggestion.decided_by = user if user.is_authenticated else None
        suggestion.reason = reason.strip()
    if target == flow.ADOPTED and reward is not None:
        suggestion.reward_points = reward
    if target == flow.IMPLEMENTED:
        suggestion.implemented_at = now
    suggestion.save()
    record(actor=user, action=AuditAction.UPDATE, obj=suggestion, fields=["status"])
    return suggestion


def appoint_member(
    site: Site,
    member: AnyUser | None,
    *,
    user: AnyUser,
    basis: str,
    term_start: dt.date,
    term_end: dt.date | None,
) -> SupervisionMember:
    """Seat someone of the site in its supervision group for a term (elected or appointed)."""
    if basis not in MemberBasis.values:
        raise EngagementError(_("Say whether the member was elected or appointed."))
    if term_end is not None and term_end < term_start:
        raise EngagementError(_("A term cannot end before it starts."))
    if member is None or not Agent.objects.filter(user_id=member.pk, team__site=site).exists():
        raise EngagementError(_("Members are people of this site."))
    return SupervisionMember.objects.create(
        site=site, user=member, basis=basis, term_start=term_start, term_end=term_end
    )


def raise_item(
    site: Site,
    *,
    user: AnyUser,
    title: str,
    detail: str = "",
    source: str = ItemSource.FLOOR,
    suggestion: Suggestion | None = None,
) -> SupervisionItem:
    if not title.strip():
        raise EngagementError(_("An item needs a title."))
    if source not in ItemSource.values:
        raise EngagementError(_("Unknown source."))
    if suggestion is not None and suggestion.site_id != site.pk:
        raise EngagementError(_("The suggestion belongs to another site."))
    return SupervisionItem.objects.create(
        site=site,
        title=title.strip()[:160],
        detail=detail.strip(),
        source=source,
        suggestion=suggestion,
        raised_by=user if user.is_authenticated else None,
    )


@transaction.atomic
def move_item(
    item: SupervisionItem,
    target: str,
    *,
    user: AnyUser,
    owner: AnyUser | None = None,
    due_on: dt.date | None = None,
    reason: str = "",
) -> SupervisionItem:
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    try:
        supervision.check_move(item.status, target, owner=owner, due_on=due_on, reason=reason)
    except supervision.SupervisionError as exc:
        messages = {
            "owner_and_due": _("An accepted item needs an owner and a due date."),
            "reason_required": _("Say why the item is dropped."),
        }
        raise EngagementError(messages.get(exc.code, _("This step is not possible now."))) from exc
    item.status = target
    if target == supervision.ACCEPTED:
        item.owner, item.due_on = owner, due_on
    if target == supervision.DROPPED:
        item.reason = reason.strip()
    if target == supervision.DONE:
        item.done_on = timezone.localdate()
    item.save()
    record(actor=user, action=AuditAction.UPDATE, obj=item, fields=["status"])
    return item
