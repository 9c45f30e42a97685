"""What quality contributes to the lead's workspace: yesterday's critical fails as a count, with
no names (``huddle_sources``; a correction stays private), and the dispute windows of critical
fails closing (``board_feeds``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import (
    HUDDLE_NUMBERS,
    IMPORTANT_COMPLIANCE,
    BoardCard,
    FactTable,
    HuddleItem,
)

from .models import Evaluation, EvaluationStatus
from .services import dispute_closes

# What a dispute-window card discloses about the agent it names: a critical fail is a correction
# (private criticism), so each showing is an audited read, as for a mood alert's card.
DISPUTE_CARD_FIELDS = ("agent", "critical_failed", "released_at")


def huddle_critical_fails(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    yesterday = timezone.localdate(shift_start) - timedelta(days=1)
    count = (
        Evaluation.objects.filter(team_id=team_id, day=yesterday, status=EvaluationStatus.RELEASED)
        .exclude(critical_failed="")
        .count()
    )
    if not count:
        return []
    return [
        HuddleItem(
            kind="critical_fail",
            section=HUDDLE_NUMBERS,
            key="quality:critical",
            text=gettext_noop(
                "QA critical fails yesterday: %(count)s. Let us go over the standard together."
            ),
            params={"count": str(count)},
        )
    ]


def board_disputes(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    """Released critical fails not disputed, whose window is still open: the lead reviews with the agent (one query)."""
    evaluations = (
        Evaluation.objects.filter(
            team_id__in=team_ids, status=EvaluationStatus.RELEASED, disputes__isnull=True
        )
        .exclude(critical_failed="")
        .select_related("agent", "sample__plan")
        .order_by("released_at", "pk")
    )
    cards = []
    for e in evaluations:
        closes = dispute_closes(e)
        if closes is None or closes < today:
            continue
        cards.append(
            BoardCard(
                key=f"quality.dispute:{e.pk}",
                kind="dispute_window",
                text=gettext_noop("Critical fail of %(name)s: the time to dispute closes"),
                params={"name": e.agent.name},
                due=closes,
                important=IMPORTANT_COMPLIANCE,
                link=reverse("quality:evaluation", args=[e.pk]),
                # The name beside a critical fail is a correction: the board logs each showing.
                subject_agent_id=e.agent_id,
                audit_type=Evaluation._meta.label_lower,
                audit_fields=DISPUTE_CARD_FIELDS,
                team_id=e.team_id,
            )
        )
    return cards


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """Released evaluations of the period: how many, the average score, critical fails as a count (one query)."""
    row = Evaluation.objects.filter(
        team_id=team_id, day__range=(start, end), status=EvaluationStatus.RELEASED
    ).aggregate(
        count=Count("pk"), average=Avg("score"), critical=Count("pk", filter=~Q(critical_failed=""))
    )
    if not row["count"]:
        return []
    return [
        FactTable(
            key="quality:summary",
            title=gettext_noop("Quality (QA)"),
            columns=(gettext_noop("Measure"), gettext_noop("Value")),
            rows=(
                (gettext_noop("Evaluations"), str(row["count"])),
                (gettext_noop("Average QA score"), f"{row['average'] or 0:.1f}"),
                (gettext_noop("Critical fails"), str(row["critical"])),
            ),
        )
    ]
