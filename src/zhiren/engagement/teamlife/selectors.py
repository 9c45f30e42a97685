"""Reads of team life: the events a user sees, the month's swaps, competition standings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.core.registries import WallItem
from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, AgentStatus, Role, Site, Team
from zhiren.org.scoping import ANY_ROLE
from zhiren.performance.models import DailyStat

from ..models import (
    Competition,
    CompetitionMetric,
    EventPhoto,
    EventSignup,
    RoleSwap,
    SwapKind,
    TeamEvent,
)
from ..selectors import DECIDERS, suggestion_sites
from . import rules

# who looks after an event's photos besides its people: a team's own event, a site-wide one
TEAM_PHOTO_STEWARDS = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR, Role.ADMIN)
SITE_PHOTO_STEWARDS = (Role.SITE_MANAGER, Role.HR, Role.ADMIN)
METRIC_FIELDS = {  # metric -> (kind, hits field, base field)
    CompetitionMetric.ANSWERED: (rules.VOLUME, "answered", "answered"),
    CompetitionMetric.CSAT: (rules.RATE, "csat_top2", "csat_count"),
    CompetitionMetric.FCR: (rules.RATE, "fcr_hits", "fcr_base"),
}
WALL_DAYS = 90


def life_sites(user: AnyUser) -> QuerySet[Site]:
    """Everyone at a site takes part in its team life."""
    return suggestion_sites(user).order_by("code")


def life_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams whose own events the user sees and may organise: their own, or those they cover."""
    return Team.objects.visible_to(user, ANY_ROLE, own=True).select_related("site")


def visible_events(user: AnyUser) -> QuerySet[TeamEvent]:
    return (
        TeamEvent.objects.filter(
            Q(team__isnull=True, site__in=life_sites(user)) | Q(team__in=life_teams(user))
        )
        .select_related("site", "team", "organiser")
        .annotate(taken=Count("signups"))
    )


def may_remove_photos(user: AnyUser, event: TeamEvent) -> bool:
    """Whether ``user`` may take down any photo of ``event`` (they see the event, and more).

    Photos show faces but have no face tagging, so those likely to be in them may take them
    down: whoever signed up for the event; and those responsible for it: its organiser, and
    for a team's own event the team's lead, the site manager, HR and admins covering the team
    (for a site-wide event: the site manager, HR and admins covering the site). The uploader
    may always take down their own photo (``may_remove_photo``). A fixed number of queries.
    """
    user_id = getattr(user, "pk", None)
    if user_id is None or not visible_events(user).filter(pk=event.pk).exists():
        return False
    if event.organiser_id == user_id:
        return True
    if EventSignup.objects.filter(event_id=event.pk, user_id=user_id).exists():
        return True
    if event.team_id is not None:
        stewards = Team.objects.visible_to(user, TEAM_PHOTO_STEWARDS).filter(pk=event.team_id)
    else:
        stewards = Team.objects.visible_to(user, SITE_PHOTO_STEWARDS).filter(site_id=event.site_id)
    return stewards.exists()


def may_remove_photo(user: AnyUser, photo: EventPhoto) -> bool:
    """The uploader (while they see the event), or whoever may take down the event's photos."""
    user_id = getattr(user, "pk", None)
    if user_id is not None and photo.uploaded_by_id == user_id:
        return visible_events(user).filter(pk=photo.event_id).exists()
    return may_remove_photos(user, photo.event)


def upcoming_events(user: AnyUser) -> list[TeamEvent]:
    since = timezone.now() - dt.timedelta(hours=6)
    events = list(visible_events(user).filter(starts_at__gte=since).order_by("starts_at")[:50])
    mine = set(
        EventSignup.objects.filter(
            event__in=[e.pk for e in events], user_id=getattr(user, "pk", None)
        ).values_list("event_id", flat=True)
    )
    for event in events:
        event.joined = event.pk in mine
    return events


def may_run(user: AnyUser, site: Site) -> bool:
    """The site's manager (or an admin) plans swaps and runs competitions."""
    return Team.objects.visible_to(user, DECIDERS).filter(site_id=site.pk).exists()


def run_sites(user: AnyUser) -> QuerySet[Site]:
    return Site.objects.filter(
        pk__in=Team.objects.visible_to(user, DECIDERS).values("site_id")
    ).order_by("code")


def swaps(user: AnyUser, months: Sequence[dt.date]) -> list[RoleSwap]:
    return list(
        RoleSwap.objects.filter(site__in=life_sites(user), month__in=list(months))
        .select_related("site", "user", "host", "agent")
        .order_by("site__code", "month", "kind")
    )


def visible_competitions(user: AnyUser) -> QuerySet[Competition]:
    return Competition.objects.filter(site__in=life_sites(user)).select_related("site")


def standings(competition: Competition) -> list[tuple[Team, rules.Standing]]:
    """The site's teams, fairly ranked on the competition's metric (two queries)."""
    kind, hits, base = METRIC_FIELDS[CompetitionMetric(competition.metric)]
    teams = {t.pk: t for t in Team.objects.filter(site=competition.site)}
    totals = {
        row["team_id"]: row
        for row in DailyStat.objects.filter(
            team_id__in=list(teams), day__gte=competition.start, day__lte=competition.end
        )
        .order_by()
        .values("team_id")
        .annotate(hits=Sum(hits), base=Sum(base))
    }
    heads = dict(
        Agent.objects.filter(team_id__in=list(teams), status=AgentStatus.ACTIVE)
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    entries = [
        rules.Entry(
            pk,
            float((totals.get(pk) or {}).get("hits") or 0),
            float((totals.get(pk) or {}).get("base") or 0),
            heads.get(pk, 0),
        )
        for pk in teams
    ]
    return [(teams[s.team_id], s) for s in rules.standings(entries, kind, competition.min_volume)]


def competition_wall(team_id: int) -> list[WallItem]:
    """For the recognition wall (``core.registries.wall_feeds``): competitions the team won."""
    since = timezone.localdate() - dt.timedelta(days=WALL_DAYS)
    # the winners' ids are read in Python: JSON "contains" is not on every database
    won = [
        c
        for c in Competition.objects.filter(published_on__gte=since, site__teams=team_id)
        if team_id in c.winners
    ]
    return [
        WallItem(
            _("Won: %(title)s") % {"title": c.title},
            _("First in %(metric)s, %(start)s to %(end)s, by fair rules.")
            % {
                "metric": c.get_metric_display(),
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
            },
            c.published_on,
        )
        for c in won
    ]


def swap_kind_label(kind: str) -> str:
    return str(dict(SwapKind.choices)[kind])
