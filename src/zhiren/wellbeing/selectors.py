"""Scoped reads of the wellbeing module.

Who sees what:
- an agent: their own moods and notes, their team's board (aggregates only);
- the agent's own team lead and HR: the agent's scores, notes (audited), cycles and alerts;
- everyone else with a view of the team (site manager, QA, trainer, admin): the board's
  aggregates only, never one person's mood.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from zhiren.org.access import FieldGroup, load_access
from zhiren.org.models import Agent, AgentStatus, Role, Team
from zhiren.org.scoping import get_or_404

from . import alerts as rules
from . import cycles, queues
from .evaluation import daily_moods
from .models import (
    FACES,
    AlertStatus,
    BoardMessage,
    BuddyPair,
    Cause,
    MoodAlert,
    MoodCycle,
    MoodEntry,
    Score,
    Source,
)

BOARD_MIN_CHECKINS = 5  # an aggregate over fewer check-ins is hidden
BOARD_DAYS = 28
# Team daily means vary far less than one person's scores: a smaller shift matters.
TEAM_CYCLES = cycles.CycleSettings(min_effect=0.3)


ALERT_ROLES = (Role.TEAM_LEAD, Role.HR)  # who sees alerts and buddy pairs: their own lead's teams and HR
BOARD_ROLES = tuple(set(Role.values) - {Role.AGENT})  # who opens a covered team's board (aggregates only)


def mood_agents(user) -> QuerySet[Agent]:
    """Agents whose individual moods and notes the user may see (own lead, HR, the agent)."""
    return Agent.objects.select_related("team", "team__site").visible_to(user, FieldGroup.SENSITIVE)


def get_mood_agent(user, pk) -> Agent:
    """The agent when the user may see their moods, else 404."""
    return get_or_404(mood_agents(user), pk)


def led_teams(user) -> QuerySet[Team]:
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, (Role.TEAM_LEAD,))


def get_led_team(user, pk) -> Team:
    return get_or_404(led_teams(user), pk)


# --- one agent --------------------------------------------------------------------------


@dataclass
class DayPoint:
    day: date
    score: int | None  # merged: own check-in, else observed
    self_entry: MoodEntry | None
    observed_entry: MoodEntry | None


def mood_history(agent: Agent, today: date, days: int = 84) -> list[DayPoint]:
    """The agent's moods over ``days`` (both sources), newest first, one row per day with a mood."""
    entries = MoodEntry.objects.filter(
        agent=agent, day__gt=today - timedelta(days=days), day__lte=today
    ).order_by("-day", "source")
    by_day: dict[date, DayPoint] = {}
    for entry in entries:
        point = by_day.setdefault(entry.day, DayPoint(entry.day, None, None, None))
        if entry.source == Source.SELF:
            point.self_entry = entry
        else:
            point.observed_entry = entry
    for point in by_day.values():
        chosen = point.self_entry or point.observed_entry
        point.score = chosen.score if chosen else None
    return sorted(by_day.values(), key=lambda p: p.day, reverse=True)


def agent_cycles(agent: Agent) -> list[MoodCycle]:
    return list(MoodCycle.objects.filter(agent=agent).order_by("p_value"))


def agent_alerts(agent: Agent, limit: int = 20) -> list[MoodAlert]:
    return list(
        MoodAlert.objects.filter(agent=agent).select_related("acted_by").order_by("-day")[:limit]
    )


def agent_buddy_pairs(agent: Agent) -> list[BuddyPair]:
    return list(
        BuddyPair.objects.filter(Q(helper=agent) | Q(buddy=agent))
        .select_related("helper", "buddy")
        .order_by("ended_on", "-started_on")
    )


def today_check_in(agent: Agent, day: date) -> MoodEntry | None:
    return MoodEntry.objects.filter(agent=agent, day=day, source=Source.SELF).first()


def chart_series(points: list[DayPoint]) -> dict:
    """The agent's own series for the chart (shown only to those who may see it)."""
    ordered = sorted(points, key=lambda p: p.day)
    return {"days": [p.day.isoformat() for p in ordered], "scores": [p.score for p in ordered]}


# --- the lead's morning grid ------------------------------------------------------------


def team_grid(team: Team, day: date) -> list[dict]:
    agents = list(
        Agent.objects.filter(team=team, status=AgentStatus.ACTIVE).order_by("employee_no")
    )
    entries = MoodEntry.objects.filter(agent__in=agents, day=day)
    observed, own = {}, {}
    for entry in entries:
        (own if entry.source == Source.SELF else observed)[entry.agent_id] = entry
    return [{"agent": a, "observed": observed.get(a.pk), "self": own.get(a.pk)} for a in agents]


# --- alerts -------------------------------------------------------------------------------


def visible_alerts(user, status: str | None = AlertStatus.OPEN) -> QuerySet[MoodAlert]:
    qs = MoodAlert.objects.select_related("agent", "agent__team", "acted_by").visible_to(user, ALERT_ROLES)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-day", "agent__employee_no")


def get_visible_alert(user, pk) -> MoodAlert:
    return get_or_404(visible_alerts(user, status=None), pk)


def talk_url(agent_id: int) -> str | None:
    """The people app's page to hold a one-to-one talk with this agent, when it exists."""
    try:
        return f"{reverse('people:talk_create')}?agents={agent_id}"
    except NoReverseMatch:
        return None


def lead_home_alerts(user, today: date, limit: int = 5) -> dict:
    """What the lead's home page shows: open alerts and today's check-ins for their teams.

    Four queries whatever the team size.
    """
    teams = list(led_teams(user))
    team_ids = [t.pk for t in teams]
    open_alerts = MoodAlert.objects.filter(
        agent__team_id__in=team_ids, status=AlertStatus.OPEN
    ).select_related("agent")
    alerts = list(open_alerts.order_by("-day", "agent__employee_no")[:limit])
    open_count = open_alerts.count() if len(alerts) == limit else len(alerts)
    checked = set(
        MoodEntry.objects.filter(agent__team_id__in=team_ids, day=today).values_list("agent_id", "source")
    )
    active = Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE).count()
    return {
        "teams": teams,
        "alerts": alerts,
        "open_count": open_count,
        "checked_in": len({a for a, s in checked if s == Source.SELF}),
        "observed": len({a for a, s in checked if s == Source.OBSERVED}),
        "active": active,
        "today": today,
    }


# --- the team mood board (aggregates only) -----------------------------------------------


def _board_teams(user) -> QuerySet[Team]:
    return Team.objects.select_related("site").order_by("site__code", "code").visible_to(user, BOARD_ROLES, own=True)


def board_teams(user) -> list[Team]:
    """Teams whose board the user may open: their own team, and the teams their roles cover."""
    return list(_board_teams(user))


def get_board_team(user, pk) -> Team:
    return get_or_404(_board_teams(user), pk)


@dataclass
class Bucket:
    label: str
    n: int
    mean: float | None  # None: hidden (fewer than BOARD_MIN_CHECKINS)

    @property
    def hidden(self) -> bool:
        return self.mean is None


def _bucket(label: str, scores: list[int]) -> Bucket:
    if len(scores) < BOARD_MIN_CHECKINS:
        return Bucket(label, len(scores), None)
    return Bucket(label, len(scores), round(statistics.fmean(scores), 2))


def board_days(team: Team, today: date, days: int, checked_in: Iterable[date]) -> list[date]:
    """The days of the board: those the team works, weekends and holidays included.

    A day is on the board when the team's published schedule has someone working it,
    when anyone on the team checked in, or when it is today; a day the whole team
    has off (no shift, no check-in) is left out rather than shown as missing data.
    """
    start = today - timedelta(days=days - 1)
    worked = queues.team_work_days(team.pk, start, today) | set(checked_in) | {today}
    return [d for d in cycles.date_range(start, today) if d in worked]


def team_board(team: Team, today: date, days: int = BOARD_DAYS) -> dict:
    """Aggregates of a team's moods: daily means, today's spread, causes, team patterns.

    A day, a distribution or a cause tally over fewer than ``BOARD_MIN_CHECKINS``
    check-ins is hidden; nothing names a person or carries one person's score.
    """
    start = today - timedelta(days=max(days, 84))
    rows = (
        MoodEntry.objects.filter(agent__team=team, day__gt=start, day__lte=today)
        .order_by("agent_id", "day", "source")
        .values_list("agent_id", "day", "source", "score", "causes")
    )
    by_agent = daily_moods(rows)
    per_day: dict[date, list[int]] = {}
    recent_causes: Counter = Counter()
    recent_n = 0
    week_ago = today - timedelta(days=7)
    for moods in by_agent.values():
        for m in moods:
            per_day.setdefault(m.day, []).append(m.score)
            if m.day > week_ago:
                recent_n += 1
                recent_causes.update(m.causes)
    daily = [_bucket(d.isoformat(), per_day.get(d, [])) for d in board_days(team, today, days, per_day)]
    today_scores = per_day.get(today, [])
    spread = None
    if len(today_scores) >= BOARD_MIN_CHECKINS:
        counts = Counter(today_scores)
        spread = [{"score": s, "face": FACES[s], "label": Score(s).label, "n": counts.get(s, 0)}
                  for s in (5, 4, 3, 2, 1)]
    causes = []
    if recent_n >= BOARD_MIN_CHECKINS:
        labels = dict(Cause.choices)
        causes = [{"label": labels[c], "n": n} for c, n in recent_causes.most_common() if n]
    days_list, means = cycles.team_daily_means(
        ((d, s) for d, scores in per_day.items() for s in scores), BOARD_MIN_CHECKINS
    )
    report = cycles.detect(days_list, means, TEAM_CYCLES)
    low_weekdays = rules.team_meeting_suggestion(report)
    members = Agent.objects.filter(team=team, status=AgentStatus.ACTIVE).count()
    return {
        "team": team,
        "today": _bucket(today.isoformat(), today_scores),
        "members": members,
        "daily": daily,
        "spread": spread,
        "causes": causes,
        "recent_n": recent_n,
        "team_report": report,
        "low_weekdays": low_weekdays,
        "chart": {"days": [b.label for b in daily], "means": [b.mean for b in daily]},
        "min_checkins": BOARD_MIN_CHECKINS,
    }


def teams_summary(teams: list[Team], today: date) -> list[dict]:
    """Team-level aggregates for managers: check-ins and mean over the last 7 days, open alerts."""
    ids = [t.pk for t in teams]
    week = today - timedelta(days=7)
    scores: dict[int, list[int]] = {}
    for team_id, score in MoodEntry.objects.filter(
        agent__team_id__in=ids, day__gt=week, day__lte=today, source=Source.SELF
    ).values_list("agent__team_id", "score"):
        scores.setdefault(team_id, []).append(score)
    alerts = dict(
        MoodAlert.objects.filter(agent__team_id__in=ids, status=AlertStatus.OPEN)
        .values("agent__team_id").annotate(n=Count("id")).values_list("agent__team_id", "n")
    )
    return [
        {"team": t, "week": _bucket("", scores.get(t.pk, [])), "open_alerts": alerts.get(t.pk, 0)}
        for t in teams
    ]


def board_messages(team: Team, limit: int = 30) -> list[BoardMessage]:
    return list(BoardMessage.objects.filter(team=team, hidden=False).order_by("-created_at")[:limit])


# --- buddies --------------------------------------------------------------------------------


def buddy_pairs(user) -> QuerySet[BuddyPair]:
    qs = BuddyPair.objects.select_related("helper", "buddy", "buddy__team", "created_by")
    return qs.visible_to(user, ALERT_ROLES, via="buddy").order_by("ended_on", "-started_on")


def get_buddy_pair(user, pk) -> BuddyPair:
    return get_or_404(buddy_pairs(user), pk)


def may_see_alerts(user) -> bool:
    access = load_access(user)
    return access.has_role(Role.TEAM_LEAD, Role.HR)

