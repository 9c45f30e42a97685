"""What the wellbeing module holds about an agent (``core.registries.personal_data``), what it
erases when an agent has left, and the retention of moods (``retention_rules``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import delete_rows, kept_for, model_section
from zhiren.core.registries import (
    APPROVER_LEAD,
    CorrectionTopic,
    DataSection,
    PersonalDataSource,
    RetentionRule,
)
from zhiren.org.models import Agent

from .models import BoardMessage, BuddyPair, MoodAlert, MoodCycle, MoodEntry


def collect(agent: Agent) -> list[DataSection]:
    pairs = BuddyPair.objects.filter(Q(buddy=agent) | Q(helper=agent)).select_related("helper", "buddy")
    pairs = list(pairs.order_by("started_on", "id"))
    return [
        model_section("moods", _("Moods"), MoodEntry, MoodEntry.objects.filter(agent=agent).order_by("day", "source"), [
            "day", "source", "score", ("causes", _("causes"), MoodEntry.get_causes_display), "note",
        ]),
        model_section("alerts", _("Mood alerts"), MoodAlert, MoodAlert.objects.filter(agent=agent).order_by("day", "id"),
                      ["day", "kind", "status", "action", "action_note"]),
        model_section("cycles", _("Emotion cycles"), MoodCycle, MoodCycle.objects.filter(agent=agent), [
            "kind", "key", "mean_in", "mean_out", "strength", "computed_on",
        ]),
        # Helped: the whole pair. Helping someone else: who and when only (their reason is theirs).
        model_section("buddy_helped", _("Buddies who helped you"), BuddyPair,
                      [p for p in pairs if p.buddy_id == agent.pk], [
                          ("helper", _("helper"), lambda p: p.helper.name), "started_on", "ended_on", "reason",
                          "outcome",
                      ]),
        model_section("buddy_helping", _("Colleagues you helped as a buddy"), BuddyPair,
                      [p for p in pairs if p.helper_id == agent.pk], [
                          ("buddy", _("helped"), lambda p: p.buddy.name), "started_on", "ended_on",
                      ]),
        model_section("board", _("Your messages on the team board"), BoardMessage,
                      BoardMessage.objects.filter(author_id=agent.user_id).order_by("created_at", "id")
                      if agent.user_id else [],
                      [("created_at", _("date")), "body", "hidden"]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Moods, alerts, cycles and the buddy pairs in which a leaver was helped."""
    return (
        delete_rows(MoodEntry.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(MoodAlert.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(MoodCycle.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(BuddyPair.objects.filter(buddy_id__in=agent_ids), dry_run)
    )


def purge_moods(cutoff: datetime, dry_run: bool) -> int:
    """Moods and mood alerts of days before the cutoff's day."""
    day = timezone.localdate(cutoff)
    return (delete_rows(MoodEntry.objects.filter(day__lt=day), dry_run)
            + delete_rows(MoodAlert.objects.filter(day__lt=day), dry_run))


SOURCE = PersonalDataSource(
    label=_("Wellbeing"),
    collect=collect,
    erase=erase,
    corrections=(CorrectionTopic("wellbeing.moods", _("Moods and mood alerts"), APPROVER_LEAD),),
)
RETENTION = RetentionRule(_("Moods and mood alerts"), kept_for("moods"), purge_moods, _("the mood's day"))
