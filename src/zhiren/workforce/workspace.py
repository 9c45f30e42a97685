"""What workforce contributes to the lead's workspace: when the team's shifts start
(``shift_start_feeds``), today's staffing and absences at the 晨会 (``huddle_sources``; the
holidays and promotions ahead are in ``ahead``), leave and swap requests waiting for a decision on
the board (``board_feeds``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import HUDDLE_TODAY, BoardCard, HuddleItem

from .dates import tz
from .models import LeaveRequest, PublishedShift, RequestStatus, SwapRequest


def team_shift_starts(team_id: int, day: date) -> list[datetime]:
    """Distinct start times of the team's published shifts on ``day`` (one query)."""
    minutes = (
        PublishedShift.objects.filter(agent__team_id=team_id, day=day, active=True)
        .values_list("start_minute", flat=True)
        .distinct()
    )
    zone = tz()
    midnight = datetime.combine(day, time.min, tzinfo=zone)
    return sorted((midnight + timedelta(minutes=m)).astimezone(zone) for m in set(minutes))


def huddle_staffing(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """How many are scheduled today; who is on approved leave (the names for the lead only). Two queries."""
    day = timezone.localdate(shift_start)
    scheduled = (
        PublishedShift.objects.filter(agent__team_id=team_id, day=day, active=True)
        .values("agent_id")
        .distinct()
        .count()
    )
    away = list(
        LeaveRequest.objects.filter(
            agent__team_id=team_id, status=RequestStatus.APPROVED, start__lte=day, end__gte=day
        )
        .select_related("agent")
        .order_by("agent__employee_no")
    )
    items = []
    if scheduled:
        items.append(
            HuddleItem(
                kind="staffing",
                section=HUDDLE_TODAY,
                key="workforce:scheduled",
                text=gettext_noop("Scheduled today: %(count)s people"),
                params={"count": str(scheduled)},
            )
        )
    if away:
        names = "、".join(dict.fromkeys(r.agent.name for r in away))
        items.append(
            HuddleItem(
                kind="absence",
                section=HUDDLE_TODAY,
                key="workforce:away",
                private=True,
                text=gettext_noop("On leave today: %(names)s"),
                params={"names": names},
            )
        )
    return items


def board_requests(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    """Leave and swap requests waiting for the lead, due the day before they take effect (two queries)."""
    cards = []
    leave = (
        LeaveRequest.objects.filter(
            agent__team_id__in=team_ids, status=RequestStatus.PENDING, end__gte=today
        )
        .select_related("agent")
        .order_by("start", "pk")
    )
    for r in leave:
        cards.append(
            BoardCard(
                key=f"workforce.leave:{r.pk}",
                kind="leave_request",
                text=gettext_noop("Leave request of %(name)s"),
                params={"name": r.agent.name},
                due=r.start - timedelta(days=1),
                link=reverse("workforce:leave_detail", args=[r.pk]),
                team_id=r.agent.team_id,
            )
        )
    swaps = (
        SwapRequest.objects.filter(
            Q(requester__team_id__in=team_ids), status=RequestStatus.PENDING, day__gte=today
        )
        .select_related("requester")
        .order_by("day", "pk")
    )
    for s in swaps:
        cards.append(
            BoardCard(
                key=f"workforce.swap:{s.pk}",
                kind="swap_request",
                text=gettext_noop("Shift swap of %(name)s"),
                params={"name": s.requester.name},
                due=s.day - timedelta(days=1),
                link=reverse("workforce:swap_detail", args=[s.pk]),
                team_id=s.requester.team_id,
            )
        )
    return cards
