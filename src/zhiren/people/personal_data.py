"""What the people module holds about an agent (``core.registries.personal_data``), what it
erases when an agent has left, and the retention of talk notes (``retention_rules``).

The emotional account is the lead's own discipline (docs/people.md): it is not part of the
agent's export, and it is erased with the rest when the agent has left.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import blank_rows, delete_rows, kept_for, model_section
from zhiren.core.registries import (
    APPROVER_HR,
    APPROVER_LEAD,
    CorrectionTopic,
    DataSection,
    PersonalDataSource,
    RetentionRule,
)
from zhiren.org.models import Agent

from .models import (
    AgentProfile,
    BankEntry,
    ConsentEvent,
    FollowUp,
    ImportantDate,
    LifeStage,
    Motivator,
    TalkParticipant,
)


def _motivators(profile: AgentProfile) -> list[str]:
    labels = dict(Motivator.choices)
    return [str(labels.get(code, code)) for code in profile.motivators or []]


def collect(agent: Agent) -> list[DataSection]:
    follow_ups = FollowUp.objects.filter(talk__participants__agent=agent).filter(
        Q(owner_agent__isnull=True) | Q(owner_agent=agent)
    ).distinct().order_by("due_on", "id")
    talks = TalkParticipant.objects.filter(agent=agent).select_related("talk").order_by("talk__held_on", "id")
    return [
        model_section("profile", _("Profile"), AgentProfile, AgentProfile.objects.filter(agent=agent), [
            "career_aspiration", "job_fit", ("motivators", _("What motivates"), _motivators),
            "likes", "gift_ideas", "personality_notes", ("updated_at", _("last changed")),
        ]),
        model_section("important_dates", _("Important dates"), ImportantDate,
                      ImportantDate.objects.filter(agent=agent).order_by("date", "id"), ["label", "date", "yearly"]),
        model_section("life_stage", _("Life stage"), LifeStage, LifeStage.objects.filter(agent=agent), [
            "marital_status", "has_dependents", "home", "family_situation", "consent_given_at",
        ]),
        model_section("consent_events", _("Consent history"), ConsentEvent,
                      ConsentEvent.objects.filter(agent=agent).order_by("at", "id"), ["action", "at"]),
        model_section("talks", _("Heart-to-heart talks"), TalkParticipant, talks, [
            ("held_on", _("date"), lambda p: p.talk.held_on),
            ("setting", _("setting"), lambda p: p.talk.get_setting_display()),
            ("summary", _("shared summary"), lambda p: p.talk.summary),
            ("private_note", _("Your lead's note about you")),
        ]),
        model_section("follow_ups", _("Follow-ups"), FollowUp, follow_ups, ["description", "due_on", "done_at"]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Profile, important dates, life stage, the lead's notes and account entries of leavers.

    The consent history stays (it records decisions, not the details); talks keep their summary.
    """
    return (
        delete_rows(AgentProfile.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(ImportantDate.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(LifeStage.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(BankEntry.objects.filter(agent_id__in=agent_ids), dry_run)
        + blank_rows(TalkParticipant.objects.filter(agent_id__in=agent_ids).exclude(private_note=""), dry_run,
                     private_note="")
    )


def purge_talk_notes(cutoff: datetime, dry_run: bool) -> int:
    """Blank the lead's private notes of talks held before the cutoff's day (the talk stays)."""
    old = TalkParticipant.objects.filter(talk__held_on__lt=timezone.localdate(cutoff)).exclude(private_note="")
    return blank_rows(old, dry_run, private_note="")


SOURCE = PersonalDataSource(
    label=_("People"),
    collect=collect,
    erase=erase,
    corrections=(
        CorrectionTopic("people.profile", _("Profile and important dates"), APPROVER_HR),
        CorrectionTopic("people.talks", _("Heart-to-heart talks and follow-ups"), APPROVER_LEAD),
    ),
)

RETENTION = RetentionRule(_("Talk notes"), kept_for("talk_notes"), purge_talk_notes, _("the talk's date"))
