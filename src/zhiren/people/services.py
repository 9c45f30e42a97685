"""Writes of the people module. Other modules may call:

- ``record_entry(lead_user, agent, kind, note="", weight=None, *, occurred_on=None,
  source="manual", source_ref="")`` → ``(BankEntry, created)``; idempotent by
  ``(source, source_ref)``, e.g. ``source="coaching", source_ref="feedback:42"``;
- ``record_talk(lead_user, agents, held_on, setting, ...)`` → ``Talk``;
- ``send_digest(lead_user, day)`` / ``send_digests(day)`` — the daily digest.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.core.versioning import claim_version
from zhiren.org.models import Agent, Team

from . import selectors
from .models import (
    DEFAULT_WEIGHTS,
    MAX_TALK_AGENTS,
    MAX_WEIGHT,
    MIN_TALK_AGENTS,
    AgentProfile,
    BankEntry,
    ConsentAction,
    ConsentEvent,
    EntryKind,
    FollowUp,
    LifeStage,
    Talk,
    TalkCadence,
    TalkParticipant,
    TalkPrompt,
    TalkSetting,
)

PROFILE_FIELDS = (
    "career_aspiration", "job_fit", "motivators", "likes", "gift_ideas", "personality_notes",
)


# --- profile ------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def save_profile(actor, agent: Agent, data: dict, request=None, *, version: int | None = None) -> AgentProfile:
    """Create or update the profile (agent, own lead or HR; the view checks access).

    ``version``: the version the editing form was opened at; raises ``StaleEdit`` when someone
    saved in between (None: no check)."""
    profile = selectors.profile_of(agent)
    claim_version(profile, version)
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(profile, f) != data[f]]
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    profile.updated_by = actor
    profile.full_clean()
    created = profile.pk is None
    profile.save()
    audit(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=profile,
        fields=changed, subject_agent_id=agent.pk, request=request,
    )
    return profile


@transaction.atomic
def save_life_stage(actor, agent: Agent, data: dict, *, consent: bool, request=None) -> LifeStage:
    """The agent enters or corrects their life stage; saving requires consent."""
    if selectors.load_access(actor).own_agent_id != agent.pk:
        raise PermissionError("only the agent enters their own life stage")
    if not consent:
        raise ValidationError(_("Please confirm your consent before saving these details."))
    stage = selectors.life_stage_of(agent) or LifeStage(agent=agent)
    changed = [f for f in LifeStage.SENSITIVE_FIELDS if f in data and getattr(stage, f) != data[f]]
    for name in LifeStage.SENSITIVE_FIELDS:
        if name in data:
            setattr(stage, name, data[name])
    newly = stage.consent_given_at is None
    if newly:
        stage.consent_given_at = timezone.now()
    stage.save()
    if newly:
        ConsentEvent.objects.create(agent=agent, action=ConsentAction.GIVEN, actor=actor)
    audit(actor=actor, action=AuditAction.UPDATE, obj=stage, fields=changed, subject_agent_id=agent.pk,
          request=request)
    return stage


@transaction.atomic
def withdraw_consent(actor, agent: Agent, request=None) -> None:
    """Withdraw consent: the details are erased at once, the decision is recorded."""
    if selectors.load_access(actor).own_agent_id != agent.pk:
        raise PermissionError("only the agent withdraws their own consent")
    stage = selectors.life_stage_of(agent)
    if stage is None or not stage.has_consent:
        return
    stage.marital_status = stage.home = stage.family_situation = ""
    stage.has_dependents = None
    stage.consent_given_at = None
    stage.save()
    ConsentEvent.objects.create(agent=agent, action=ConsentAction.WITHDRAWN, actor=actor)
    audit(actor=actor, action=AuditAction.DELETE, obj=stage, fields=LifeStage.SENSITIVE_FIELDS,
          subject_agent_id=agent.pk, purpose="consent withdrawn", request=request)


# --- talks --------------------------------------------------------------------


def check_talk_size(count: int) -> None:
    if not MIN_TALK_AGENTS <= count <= MAX_TALK_AGENTS:
        raise ValidationError(
            _("A heart-to-heart talk brings together one lead and %(min)d to %(max)d agents; "
              "%(count)d were chosen."),
            code="talk_size",
            params={"min": MIN_TALK_AGENTS, "max": MAX_TALK_AGENTS, "count": count},
        )


@transaction.atomic
def record_talk(
    lead_user,
    agents: list[Agent],
    held_on: dt.date,
    setting: str,
    *,
    prompts: list[str] = (),
    summary: str = "",
    notes: dict[int, str] | None = None,
    follow_ups: list[tuple[str, int | None, dt.date]] = (),
    request=None,
) -> Talk:
    """Record a talk of ``lead_user`` with 1–5 of the agents they lead.

    Each participant also gets a care deposit in the lead's emotional bank
    account (source ``talk``), so the ledger reflects the time spent.
    """
    agents = list({a.pk: a for a in agents}.values())
    check_talk_size(len(agents))
    allowed = set(selectors.led_agents(lead_user).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in agents):
        raise ValidationError(_("You can only hold talks with agents of the teams you lead."))
    if setting not in TalkSetting.values:
        raise ValidationError(_("Unknown setting."))
    if held_on > timezone.localdate():
        raise ValidationError(_("A talk is recorded after it took place; the date is in the future."))
    talk = Talk.objects.create(
        lead=lead_user, team_id=agents[0].team_id, held_on=held_on, setting=setting,
        prompts_used=[p for p in prompts if p in TalkPrompt.values], summary=summary,
    )
    notes = notes or {}
    TalkParticipant.objects.bulk_create(
        [TalkParticipant(talk=talk, agent=a, private_note=notes.get(a.pk, "")) for a in agents]
    )
    for description, owner_id, due in follow_ups:
        add_follow_up(lead_user, talk, description, owner_id, due)
    for agent in agents:
        record_entry(
            lead_user, agent, EntryKind.CARE_CHECK_IN, note=gettext("Heart-to-heart talk"),
            occurred_on=held_on, source="talk", source_ref=f"{talk.pk}:{agent.pk}",
        )
    audit(actor=lead_user, action=AuditAction.CREATE, obj=talk, fields=["private_note", "summary"],
          request=request)
    return talk


@transaction.atomic
def save_talk_notes(actor, talk: Talk, notes: dict[int, str], summary: str | None = None, request=None) -> None:
    if talk.lead_id != actor.pk:
        raise PermissionError("only the lead of the talk writes its notes")
    for participant in talk.participants.all():
        if participant.agent_id in notes and notes[participant.agent_id] != participant.private_note:
            participant.private_note = notes[participant.agent_id]
            participant.save(update_fields=["private_note"])
            audit(actor=actor, action=AuditAction.UPDATE, obj=talk, fields=["private_note"],
                  subject_agent_id=participant.agent_id, request=request)
    if summary is not None and summary != talk.summary:
        talk.summary = summary
        talk.save(update_fields=["summary"])


def add_follow_up(actor, talk: Talk, description: str, owner_agent_id: int | None, due_on: dt.date) -> FollowUp:
    if talk.lead_id != actor.pk:
        raise PermissionError("only the lead of the talk adds follow-ups")
    if owner_agent_id and not talk.participants.filter(agent_id=owner_agent_id).exists():
        raise ValidationError(_("The owner of a follow-up is the lead or one of the agents in the talk."))
    return FollowUp.objects.create(
        talk=talk, description=description, owner_agent_id=owner_agent_id or None, due_on=due_on
    )


def complete_follow_up(actor, follow_up: FollowUp) -> FollowUp:
    """Mark done (the lead of the talk, or the agent who owns it)."""
    access = selectors.load_access(actor)
    owner_ok = follow_up.owner_agent_id is not None and follow_up.owner_agent_id == access.own_agent_id
    if follow_up.talk.lead_id != actor.pk and not owner_ok:
        raise PermissionError("not your follow-up")
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at"])
    return follow_up


def set_cadence(actor, team: Team, weeks: int) -> TalkCadence:
    if not selectors.leads_team(actor, team.pk):
        raise PermissionError("only the team's lead sets its cadence")
    if not 1 <= weeks <= 52:
        raise ValidationError(_("Choose between 1 and 52 weeks."))
    cadence, _created = TalkCadence.objects.update_or_create(team=team, defaults={"weeks": weeks})
    return cadence


# --- emotional bank account -----------------------------------------------------


def record_entry(
    lead_user,
    agent: Agent,
    kind: str,
    note: str = "",
    weight: int | None = None,
    *,
    occurred_on: dt.date | None = None,
    source: str = "manual",
    source_ref: str = "",
) -> tuple[BankEntry, bool]:
    """Add a deposit or withdrawal to the lead's account with the agent.

    ``weight`` is a positive size (1–10; the kind's default when omitted); the
    kind decides the sign. With a ``source_ref`` the call is idempotent: the
    same ``(source, source_ref)`` returns the existing entry and ``created=False``.
    Called by views (source ``manual``) and by other modules, e.g. coaching
    praise (``source="coaching"``) or a refused leave request (``source="workforce"``).
    """
    if kind not in DEFAULT_WEIGHTS:
        raise ValidationError(_("Unknown kind of entry."))
    size = abs(DEFAULT_WEIGHTS[kind]) if weight is None else int(weight)
    if not 1 <= size <= MAX_WEIGHT:
        raise ValidationError(_("The weight is between 1 and %(max)d.") % {"max": MAX_WEIGHT})
    amount = size if DEFAULT_WEIGHTS[kind] > 0 else -size
    values = {
        "lead": lead_user, "agent": agent, "kind": kind, "note": (note or "")[:300],
        "amount": amount, "occurred_on": occurred_on or timezone.localdate(),
    }
    if source_ref:
        existing = BankEntry.objects.filter(source=source, source_ref=source_ref).first()
        if existing:
            return existing, False
        try:
            with transaction.atomic():
                return BankEntry.objects.create(source=source, source_ref=source_ref, **values), True
        except IntegrityError:
            return BankEntry.objects.get(source=source, source_ref=source_ref), False
    return BankEntry.objects.create(source=source, **values), True


# --- the daily digest -------------------------------------------------------------


def add_webhook(owner, kind: str, url: str, secret: str = ""):
    from .models import DigestWebhook

    return DigestWebhook.objects.create(owner=owner, kind=kind, url=url, secret=secret)


def remove_webhook(owner, hook) -> None:
    if hook.owner_id != owner.pk:
        raise PermissionError("not your robot")
    hook.delete()


def digest_message(overview, *, for_group: bool, link: str = ""):
    """The digest as a robot ``Message``. Group robots get no sensitive details:
    follow-ups and account nudges are counted, never described."""
    from .robots import Message

    lines: list[str] = []
    if overview.dates:
        lines.append("## " + gettext("Birthdays and anniversaries"))
        for reminder, agent in overview.dates:
            lines.append(_date_line(reminder, agent))
    talks = overview.overdue + overview.due_soon
    if talks:
        lines.append("## " + gettext("Heart-to-heart talks due"))
        for item in talks[:15]:
            if item.status.last_talk is None:
                lines.append(gettext("%(name)s — never talked to") % {"name": item.agent.name})
            else:
                lines.append(
                    gettext("%(name)s — due %(due)s") % {"name": item.agent.name, "due": item.status.due_on.isoformat()}
                )
    if overview.follow_ups:
        lines.append("## " + gettext("Follow-ups due"))
        if for_group:
            count = len(overview.follow_ups)
            lines.append(ngettext("%(count)d follow-up is due.", "%(count)d follow-ups are due.", count)
                         % {"count": count})
        else:
            for f in overview.follow_ups:
                lines.append(gettext("%(action)s — due %(due)s") % {"action": f.description, "due": f.due_on.isoformat()})
    if overview.nudges:
        lines.append("## " + gettext("Emotional bank account"))
        if for_group:
            count = len(overview.nudges)
            lines.append(ngettext("%(count)d agent could use a deposit.", "%(count)d agents could use a deposit.",
                                  count) % {"count": count})
        else:
            for n in overview.nudges:
                lines.append(_nudge_line(n))
    title = gettext("Zhiren daily digest %(day)s") % {"day": overview.today.isoformat()}
    return Message(title=title, lines=lines, link=link)


def _date_line(reminder, agent) -> str:
    when = reminder.on.strftime("%m-%d")
    if reminder.kind == "birthday":
        return gettext("%(name)s: birthday on %(when)s") % {"name": agent.name, "when": when}
    if reminder.kind == "anniversary":
        return ngettext(
            "%(name)s: %(years)d year with us on %(when)s", "%(name)s: %(years)d years with us on %(when)s",
            reminder.years,
        ) % {"name": agent.name, "years": reminder.years, "when": when}
    return gettext("%(name)s: %(label)s on %(when)s") % {"name": agent.name, "label": reminder.label, "when": when}


def _nudge_line(nudge) -> str:
    parts = []
    if "negative_balance" in nudge.codes:
        parts.append(gettext("balance %(balance)d") % {"balance": nudge.summary.balance})
    if "no_deposit" in nudge.codes:
        parts.append(gettext("no deposit for 14 days or more"))
    return f"{nudge.agent.name}: " + "; ".join(parts)


def send_digest(lead_user, day: dt.date) -> dict[str, str]:
    """Send one lead's digest for ``day`` by email and to their active robots.

    Idempotent per lead, day and channel: a channel already delivered is
    skipped, a failed one is tried again on the next run. Returns channel → outcome.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation

    from . import robots
    from .models import DigestDelivery

    outcome: dict[str, str] = {}
    overview = selectors.lead_overview(lead_user, day)
    if overview.is_empty:
        return outcome
    base = getattr(settings, "ZHIREN_BASE_URL", "").rstrip("/")
    link = f"{base}{reverse('core:home')}" if base else ""
    with translation.override(settings.LANGUAGE_CODE):
        channels: list[tuple[str, object]] = []
        if lead_user.email:
            channels.append(("email", None))
        for hook in lead_user.digest_webhooks.filter(active=True):
            channels.append((f"webhook:{hook.pk}", hook))
        for channel, hook in channels:
            delivery, _created = DigestDelivery.objects.get_or_create(lead=lead_user, day=day, channel=channel)
            if delivery.sent_at:
                outcome[channel] = "skipped"
                continue
            try:
                if hook is None:
                    message = digest_message(overview, for_group=False, link=link)
                    body = "\n".join([message.title, ""] + [
                        f"\n{line[3:]}" if line.startswith("## ") else f"  • {line}" for line in message.lines
                    ] + ([f"\n{link}"] if link else []))
                    send_mail(message.title, body, None, [lead_user.email])
                else:
                    message = digest_message(overview, for_group=True, link=link)
                    robots.post(hook.kind, hook.url, message, hook.secret)
            except (robots.DeliveryError, OSError) as exc:
                delivery.error = str(exc)[:300]
                delivery.save(update_fields=["error"])
                outcome[channel] = "failed"
                continue
            delivery.sent_at = timezone.now()
            delivery.error = ""
            delivery.save(update_fields=["sent_at", "error"])
            outcome[channel] = "sent"
    return outcome


def lead_users():
    from django.contrib.auth import get_user_model

    from zhiren.org.models import Role

    return get_user_model().objects.filter(role_assignments__role=Role.TEAM_LEAD, is_active=True).distinct()


def send_digests(day: dt.date) -> dict[int, dict[str, str]]:
    """The digest of every active team lead for ``day``."""
    return {user.pk: send_digest(user, day) for user in lead_users().order_by("pk")}
