"""What coaching contributes to the lead's workspace: praise shared on the wall to read out at the
晨会 (``huddle_sources``; corrective feedback is one-to-one and never contributed) and improvement
plan check-ins due on the board (``board_feeds``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import (
    HUDDLE_PRAISE,
    IMPORTANT_KPI,
    BoardCard,
    FactTable,
    HuddleItem,
)

from .models import Feedback, FeedbackKind, ImprovementPlan, PlanStatus


def huddle_praise(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """BIA praise shared on the wall since yesterday (one query)."""
    day = timezone.localdate(shift_start)
    praise = (
        Feedback.objects.filter(
            agent__team_id=team_id,
            kind=FeedbackKind.PRAISE,
            shared_on_wall=True,
            given_on__range=(day - timedelta(days=1), day),
        )
        .select_related("agent")
        .order_by("given_on", "pk")
    )
    return [
        HuddleItem(
            kind="praise",
            section=HUDDLE_PRAISE,
            key=f"coaching:praise:{f.pk}",
            text=gettext_noop("Praise for %(name)s: %(behavior)s"),
            params={"name": f.agent.name, "behavior": f.behavior[:200]},
        )
        for f in praise
    ]


def board_check_ins(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    """Each active plan's next coaching check-in (from the last one, or the start), or its review if sooner."""
    plans = (
        ImprovementPlan.objects.filter(agent__team_id__in=team_ids, status=PlanStatus.ACTIVE)
        .select_related("agent")
        .annotate(last=Max("check_ins__on"))
        .order_by("review_on", "pk")
    )
    cards = []
    for plan in plans:
        due = min(
            (plan.last or plan.started_on) + timedelta(days=plan.coaching_every_days),
            plan.review_on,
        )
        cards.append(
            BoardCard(
                key=f"coaching.plan:{plan.pk}:{due.isoformat()}",
                kind="plan_check_in",
                text=gettext_noop("Improvement plan check-in with %(name)s"),
                params={"name": plan.agent.name},
                due=due,
                important=IMPORTANT_KPI,
                link=reverse("coaching:plan_detail", args=[plan.pk]),
                team_id=plan.agent.team_id,
            )
        )
    return cards


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """Praise given in the period, and how much of it went on the wall (one query). Corrections
    are one-to-one: not counted here."""
    row = Feedback.objects.filter(
        agent__team_id=team_id, kind=FeedbackKind.PRAISE, given_on__range=(start, end)
    ).aggregate(given=Count("pk"), shared=Count("pk", filter=Q(shared_on_wall=True)))
    if not row["given"]:
        return []
    return [
        FactTable(
            key="coaching:praise",
            title=gettext_noop("Praise"),
            columns=(gettext_noop("Measure"), gettext_noop("Value")),
            rows=(
                (gettext_noop("Praise given"), str(row["given"])),
                (gettext_noop("Shared on the wall"), str(row["shared"])),
            ),
        )
    ]
