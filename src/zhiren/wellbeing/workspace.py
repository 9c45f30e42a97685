"""What wellbeing contributes to the lead's workspace: the team's mood yesterday as an aggregate
(``huddle_sources``; only from five people up, as on the mood board) and open mood alerts as
board cards (``board_feeds``). A person's mood is never on the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import (
    HUDDLE_NUMBERS,
    IMPORTANT_PERSON,
    BoardCard,
    FactTable,
    HuddleItem,
)

from .models import AlertStatus, MoodAlert, MoodEntry, Source
from .selectors import BOARD_MIN_CHECKINS

# What a mood-alert card discloses about the agent it names (field names for the audit trail).
ALERT_CARD_FIELDS = ("agent", "kind", "raised_on")


def huddle_mood(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    yesterday = timezone.localdate(shift_start) - timedelta(days=1)
    row = MoodEntry.objects.filter(agent__team_id=team_id, day=yesterday).aggregate(
        people=Count("agent_id", distinct=True), average=Avg("score")
    )
    if not row["people"] or row["people"] < BOARD_MIN_CHECKINS:
        return []
    return [
        HuddleItem(
            kind="mood",
            section=HUDDLE_NUMBERS,
            key="wellbeing:mood",
            text=gettext_noop("Team mood yesterday: %(average)s of 5, from %(count)s people"),
            params={"average": f"{row['average']:.1f}", "count": str(row["people"])},
        )
    ]


def board_alerts(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    """An open mood alert asks for a word with the agent by the next day (one query)."""
    alerts = MoodAlert.objects.filter(
        agent__team_id__in=team_ids, status=AlertStatus.OPEN
    ).select_related("agent")
    return [
        BoardCard(
            key=f"wellbeing.alert:{a.pk}",
            kind="mood_alert",
            text=gettext_noop("Mood alert: talk with %(name)s"),
            params={"name": a.agent.name},
            due=a.raised_on + timedelta(days=1),
            important=IMPORTANT_PERSON,
            link=reverse("wellbeing:alert_detail", args=[a.pk]),
            # The name beside a mood alert is mood data: the board logs each showing.
            subject_agent_id=a.agent_id,
            audit_type=MoodAlert._meta.label_lower,
            audit_fields=ALERT_CARD_FIELDS,
            team_id=a.agent.team_id,
        )
        for a in alerts.order_by("raised_on", "pk")
    ]


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """The team's mood over the period as an aggregate, only from five people up (one query)."""
    row = MoodEntry.objects.filter(agent__team_id=team_id, day__range=(start, end)).aggregate(
        people=Count("agent_id", distinct=True), answers=Count("pk"), average=Avg("score")
    )
    if not row["people"] or row["people"] < BOARD_MIN_CHECKINS:
        return []
    return [
        FactTable(
            key="wellbeing:mood",
            title=gettext_noop("Team mood"),
            columns=(gettext_noop("Measure"), gettext_noop("Value")),
            rows=(
                (gettext_noop("Average mood (of 5)"), f"{row['average']:.1f}"),
                (gettext_noop("People who answered"), str(row["people"])),
                (gettext_noop("Answers"), str(row["answers"])),
            ),
        )
    ]


def team_moods(team_ids: Sequence[int], day: date) -> dict[int, tuple[float, int]]:
    """Each team's mood on ``day`` as ``(average, people)``, only from five people up (one
    query): what the lead's home shows of today's moods."""
    rows = (
        MoodEntry.objects.filter(agent__team_id__in=team_ids, day=day)
        .values("agent__team_id")
        .annotate(people=Count("agent_id", distinct=True), average=Avg("score"))
    )
    return {
        r["agent__team_id"]: (round(r["average"], 1), r["people"])
        for r in rows
        if r["people"] >= BOARD_MIN_CHECKINS
    }


def observed_mood(team_id: int, day: date) -> tuple[float, int] | None:
    """The moods the lead observed at the team's morning meeting (晨会) on ``day`` as
    ``(average, people)``, only from five people up (one query): what a shared screen (the TV
    view, the team's robot) may show of them. None: fewer people, or none observed."""
    row = MoodEntry.objects.filter(
        agent__team_id=team_id, day=day, source=Source.OBSERVED
    ).aggregate(people=Count("agent_id", distinct=True), average=Avg("score"))
    if not row["people"] or row["people"] < BOARD_MIN_CHECKINS:
        return None
    return round(row["average"], 1), row["people"]
