"""What the workspace shows on the home pages (``core.registries.home_cards``): the lead's
cockpit, the site manager's view of their leads' boards and requests, the agent's day —
the cards (``*_card``) and the reads behind them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from zhiren.coaching.models import Delegation, Feedback, FeedbackKind
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Team
from zhiren.org.scoping import covers_any
from zhiren.wellbeing.workspace import team_moods
from zhiren.workforce.floor.adherence import PRODUCTIVE
from zhiren.workforce.models import CurrentState, PublishedShift

from . import quadrants, services
from .models import AgendaItem, CardState, CardStatus, Report, ReportStatus, Request, RequestStatus
from .selectors import APPROVER_ROLES, BOARD_ROLES, board, may_board, next_huddle, system_cards


def lead_card(request) -> dict:
    """Next huddle, the board's top cards, the team now, today's moods (≥ 5), the day's one
    number (a mood alert's name shown is audit-logged)."""
    data = lead_home(request.user)
    if data:
        services.log_card_reads(
            request.user, data["top_cards"], purpose="lead's home: board", request=request
        )
    return {"leadership": data}


def manager_card(request) -> dict:
    """Their leads' boards' health and the requests and reports waiting for them."""
    return {"leadership_manager": manager_home(request.user, timezone.now())}


def agent_card(request) -> dict:
    """The agent's schedule, today's number, praise received and what their lead asked of them."""
    agent_id = load_access(request.user).own_agent_id
    if not agent_id:
        return {}
    return {"leadership_agent": agent_home(agent_id, timezone.now())}


def one_number(team_ids: list[int], now: datetime) -> AgendaItem | None:
    """The day's one number: the focus point of the latest huddle up to the coming hours (one query)."""
    return (
        AgendaItem.objects.filter(
            huddle__team_id__in=team_ids,
            focus=True,
            hidden=False,
            private=False,
            huddle__shift_start__range=(now - timedelta(hours=24), now + timedelta(hours=12)),
        )
        .order_by("-huddle__shift_start", "pk")
        .first()
    )


def team_now(team_ids: list[int], now: datetime) -> dict:
    """The floor in two numbers: agents whose published shift runs now, and how many of them
    are logged in and working (two queries)."""
    local = timezone.localtime(now)
    minute = local.hour * 60 + local.minute
    today = local.date()
    rows = PublishedShift.objects.filter(
        agent__team_id__in=team_ids,
        active=True,
        day__in=(today, today - timedelta(days=1)),
    ).values_list("agent_id", "day", "start_minute", "end_minute")
    on_shift = {
        agent_id
        for agent_id, day, start, end in rows
        if (day == today and start <= minute < end)
        or (day != today and start <= minute + 1440 < end)  # a night shift from yesterday
    }
    working = (
        CurrentState.objects.filter(agent_id__in=on_shift, state__in=PRODUCTIVE).count()
        if on_shift
        else 0
    )
    return {"on_shift": len(on_shift), "working": working}


def lead_home(user, now: datetime | None = None) -> dict:
    """The lead's cockpit: next huddle, the board's top cards, the team now, today's moods as
    aggregates of five or more, the day's one number."""
    if not may_board(user):
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    teams = list(Team.objects.visible_to(user, BOARD_ROLES).order_by("code"))
    team_ids = [t.pk for t in teams]
    data = board(user, today, agents=False, team_ids=team_ids)
    moods = team_moods(team_ids, today)
    return {
        "next_huddle": next_huddle(user, now),
        "top_cards": data["top"],
        "open_count": data["open_count"],
        "overdue": sum(1 for _, _, cards in data["quadrants"] for c in cards if c.overdue),
        "one_number": one_number(team_ids, now),
        "moods": [(t, moods[t.pk]) for t in teams if t.pk in moods],
        "now": team_now(team_ids, now),
    }


def manager_home(user, now: datetime) -> dict:
    """The site manager's cockpit: per team, the board's open cards by quadrant and the overdue
    ones (feeds read once for all their teams, cards a lead has decided left out); the 请示 and
    汇报 waiting for them."""
    if not covers_any(user, APPROVER_ROLES):
        return {}
    today = timezone.localdate(now)
    teams = list(
        Team.objects.visible_to(user, APPROVER_ROLES).select_related("site").order_by("site__code", "code")[:60]
    )
    team_ids = [t.pk for t in teams]
    cards = system_cards(team_ids, today)
    decided = set(
        CardState.objects.filter(key__in=[c.key for c in cards])
        .exclude(status=CardStatus.OPEN)
        .values_list("key", flat=True)
    )
    health = {t.pk: {"team": t, "quadrants": dict.fromkeys(quadrants.QUADRANTS, 0), "overdue": 0} for t in teams}
    for c in cards:
        if c.key in decided or c.team_id not in health:
            continue
        row = health[c.team_id]
        row["quadrants"][quadrants.place(c.due, bool(c.important), today)] += 1
        row["overdue"] += quadrants.overdue(c.due, today)
    for row in health.values():
        total = sum(row["quadrants"].values())
        row["open"] = total
        row["share_do"] = round(100 * row["quadrants"][quadrants.DO] / total) if total else 0
        row["by_quadrant"] = [row["quadrants"][q] for q in quadrants.QUADRANTS]
    waiting = list(
        Request.objects.visible_to(user, APPROVER_ROLES, via="team")
        .filter(status=RequestStatus.WAITING)
        .exclude(author=user)
        .select_related("team", "author")
        .order_by("created_at")[:10]
    )
    reports = list(
        Report.objects.visible_to(user, APPROVER_ROLES, via="team")
        .filter(status=ReportStatus.SENT, sent_at__gte=now - timedelta(days=7))
        .select_related("team", "author")
        .order_by("-sent_at")[:10]
    )
    return {
        "health": sorted(health.values(), key=lambda r: (-r["overdue"], -r["share_do"], r["team"].code)),
        "waiting": waiting,
        "reports": reports,
    }


def agent_home(agent_id: int, now: datetime) -> dict:
    """The agent's day: their shifts of the coming week, today's number of their team, praise
    received in the last 30 days, and what their lead has asked of them (open delegations)."""
    today = timezone.localdate(now)
    agent = Agent.objects.filter(pk=agent_id).only("pk", "team_id").first()
    if agent is None:
        return {}
    shifts = list(
        PublishedShift.objects.filter(
            agent_id=agent_id, active=True, day__range=(today, today + timedelta(days=6))
        ).order_by("day", "start_minute")[:7]
    )
    praise = list(
        Feedback.objects.filter(
            agent_id=agent_id, kind=FeedbackKind.PRAISE, given_on__gte=today - timedelta(days=30)
        ).order_by("-given_on", "-pk")[:3]
    )
    asks = list(
        Delegation.objects.filter(agent_id=agent_id, done_at__isnull=True).order_by("check_on", "pk")[:5]
    )
    return {
        "shifts": [
            (s.day, f"{s.start_minute // 60:02d}:{s.start_minute % 60:02d}", f"{s.end_minute // 60 % 24:02d}:{s.end_minute % 60:02d}")
            for s in shifts
        ],
        "one_number": one_number([agent.team_id], now) if agent.team_id else None,
        "praise": praise,
        "asks": asks,
    }
