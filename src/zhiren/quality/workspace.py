"""What quality contributes to the lead's workspace: yesterday's critical fails as a count, with
no names (``huddle_sources``; a correction stays private), and the dispute windows of critical
fails closing (``board_feeds``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import HUDDLE_NUMBERS, IMPORTANT_COMPLIANCE, BoardCard, HuddleItem

from .models import Evaluation, EvaluationStatus
from .services import dispute_closes


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
            )
        )
    return cards
