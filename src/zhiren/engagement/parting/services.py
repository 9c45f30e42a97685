"""Writes of offboarding: start, the exit conversation with coded reasons, the handover, the
identified exit survey, alumni consent and re-hire, and closing (the agent then has left)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, AgentStatus

from ..items import EXIT, TEMPLATES
from ..models import Invitation, LeavingReason, Offboarding, Rehire, Survey, Wave
from ..services import EngagementError, tenure_band
from . import rules

EXIT_SURVEY_DAYS = 14


@transaction.atomic
def start(agent: Agent, last_day: dt.date, *, user: AnyUser) -> Offboarding:
    if Offboarding.objects.filter(agent=agent).exists():
        raise EngagementError(_("This agent's offboarding has already started."))
    if agent.status != AgentStatus.ACTIVE:
        raise EngagementError(_("Only an active agent can be offboarded."))
    item = Offboarding.objects.create(
        agent=agent,
        team=agent.team,
        tenure_band=tenure_band(agent.hire_date, last_day),
        last_day=last_day,
        started_by=user if user.is_authenticated else None,
    )
    record(actor=user, action=AuditAction.CREATE, obj=item, subject_agent_id=agent.pk)
    return item


def record_conversation(
    item: Offboarding,
    *,
    user: AnyUser,
    held_on: dt.date | None,
    main_reason: str,
    other_reasons: list[str],
    notes: str,
) -> None:
    """The exit conversation: when, the coded reasons (a main one required), the notes."""
    codes = set(LeavingReason.values)
    if main_reason not in codes or main_reason == "":
        raise EngagementError(_("Choose the main reason for leaving."))
    others = [r for r in dict.fromkeys(other_reasons) if r != main_reason]
    if any(r not in codes for r in others):
        raise EngagementError(_("Unknown reason for leaving."))
    item.conversation_on = held_on
    item.main_reason = main_reason
    item.other_reasons = others
    item.conversation_notes = (notes or "").strip()[:4000]
    item.save(
        update_fields=["conversation_on", "main_reason", "other_reasons", "conversation_notes"]
    )
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=item,
        fields=["main_reason", "other_reasons", "conversation_notes"],
        subject_agent_id=item.agent_id,
    )


def tick(item: Offboarding, key: str, done: bool, *, user: AnyUser) -> None:
    if key not in rules.CHECKLIST:
        raise EngagementError(_("Unknown handover step."))
    checklist = dict(item.checklist)
    checklist[key] = timezone.localdate().isoformat() if done else None
    item.checklist = checklist
    item.save(update_fields=["checklist"])


def set_alumni(item: Offboarding, *, user: AnyUser, consent: bool, rehire: str, note: str) -> None:
    """The agent's consent to the alumni list (theirs to give), and HR's re-hire view."""
    if rehire not in Rehire.values:
        raise EngagementError(_("Unknown re-hire decision."))
    item.alumni_consent = consent
    item.rehire = rehire
    item.rehire_note = (note or "").strip()[:200]
    item.save(update_fields=["alumni_consent", "rehire", "rehire_note"])
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=item,
        fields=["alumni_consent", "rehire"],
        subject_agent_id=item.agent_id,
    )


@transaction.atomic
def invite_to_exit_survey(item: Offboarding, *, user: AnyUser) -> Wave:
    """A wave of the site's exit survey for this one agent (identified, and it says so)."""
    if item.exit_wave_id:
        raise EngagementError(_("The exit survey has already been sent."))
    agent = item.agent
    if agent.user_id is None:
        raise EngagementError(_("The agent has no login to answer with."))
    site = agent.team.site
    survey = Survey.objects.filter(site=site, kind=EXIT).order_by("created_at").first()
    if survey is None:
        survey = Survey.objects.create(
            site=site, kind=EXIT, title=_("Exit survey"), items=list(TEMPLATES[EXIT])
        )
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    number = (survey.waves.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    today = timezone.localdate()
    wave = Wave.objects.create(
        survey=survey,
        number=number,
        items=list(survey.items),
        min_scores=survey.min_scores,
        min_comments=survey.min_comments,
        opens_on=today,
        closes_on=today + dt.timedelta(days=EXIT_SURVEY_DAYS),
        launched_by=user if user.is_authenticated else None,
    )
    Invitation.objects.create(
        wave=wave,
        user_id=agent.user_id,
        team=agent.team,
        tenure_band=item.tenure_band,
        channel=agent.team.main_channel,
        token=secrets.token_urlsafe(24),
    )
    item.exit_wave = wave
    item.save(update_fields=["exit_wave"])
    return wave


@transaction.atomic
def close(item: Offboarding, *, user: AnyUser) -> None:
    """Close once the main reason is coded, the handover done and the last day passed; the
    agent's status becomes *left* (privacy's retention then counts from here)."""
    today = timezone.localdate()
    problems = rules.close_problems(item.main_reason, item.checklist, item.last_day, today)
    if problems:
        texts = {
            rules.NO_REASON: _("the main reason is not coded"),
            rules.HANDOVER_OPEN: _("the handover is not finished"),
            rules.NOT_LEFT_YET: _("the last working day has not come"),
        }
        raise EngagementError(
            _("Cannot close yet: %(why)s.") % {"why": "; ".join(str(texts[p]) for p in problems)}
        )
    item.closed_on = today
    item.save(update_fields=["closed_on"])
    Agent.objects.filter(pk=item.agent_id).update(status=AgentStatus.LEFT)
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=item,
        fields=["closed_on"],
        subject_agent_id=item.agent_id,
    )
