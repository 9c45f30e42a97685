"""Writes of team life: events and sign-up, the monthly swaps, competitions and their results,
event photos (upload, take-down, retention)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, AgentStatus, Role, RoleAssignment, Site, Team

from ..models import (
    Competition,
    CompetitionMetric,
    EventKind,
    EventPhoto,
    EventSignup,
    RoleSwap,
    SwapKind,
    TeamEvent,
)
from ..services import EngagementError
from . import rules, selectors


def create_event(
    site: Site,
    team: Team | None,
    *,
    user: AnyUser,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    capacity: int | None = None,
    detail: str = "",
) -> TeamEvent:
    if kind not in EventKind.values:
        raise EngagementError(_("Unknown kind of event."))
    if not title.strip():
        raise EngagementError(_("Give the event a title."))
    if starts_at < timezone.now():
        raise EngagementError(_("An event cannot start in the past."))
    if capacity is not None and capacity < 1:
        raise EngagementError(_("An event needs at least one place."))
    if team is not None and team.site_id != site.pk:
        raise EngagementError(_("The team is not at this site."))
    return TeamEvent.objects.create(
        site=site,
        team=team,
        kind=kind,
        title=title.strip()[:120],
        starts_at=starts_at,
        place=place.strip()[:120],
        capacity=capacity,
        detail=detail.strip(),
        organiser=user if user.is_authenticated else None,
    )


@transaction.atomic
def toggle_signup(event: TeamEvent, *, user: AnyUser) -> bool:
    """Sign up, or cancel if signed up already; returns whether the user is now signed up."""
    event = TeamEvent.objects.select_for_update().get(pk=event.pk)
    mine = EventSignup.objects.filter(event=event, user_id=user.pk)
    if mine.exists():
        mine.delete()
        return False
    if event.starts_at < timezone.now():
        raise EngagementError(_("This event has already started."))
    if event.capacity is not None and event.signups.count() >= event.capacity:
        raise EngagementError(_("This event is full."))
    try:
        with transaction.atomic():
            EventSignup.objects.create(event=event, user_id=user.pk)
    except IntegrityError as exc:  # pragma: no cover - a double click racing itself
        raise EngagementError(_("You have already signed up.")) from exc
    return True


@transaction.atomic
def plan_month(
    site: Site, month: dt.date, *, user: AnyUser, day: int = rules.SWAP_DAY
) -> list[RoleSwap]:
    """当一天经理 / 做一天服务代表 for the month: the agent with the fewest turns becomes manager
    for a day (hosted by the planner; the roster keeps them off the phones), and the lead or
    manager with the fewest turns works a day as an agent."""
    month = month.replace(day=1)
    if RoleSwap.objects.filter(site=site, month=month).exists():
        raise EngagementError(_("This month's swaps are already planned."))
    on = rules.swap_day(month, day)
    planned = []
    agents = list(
        Agent.objects.filter(
            team__site=site, status=AgentStatus.ACTIVE, user__isnull=False
        ).values_list("pk", "user_id", "employee_no")
    )
    turns = dict(
        RoleSwap.objects.filter(kind=SwapKind.MANAGER_FOR_A_DAY, site=site)
        .values("agent_id")
        .annotate(n=Count("pk"))
        .values_list("agent_id", "n")
    )
    chosen = rules.whose_turn([(pk, turns.get(pk, 0), no) for pk, _, no in agents])
    if chosen is not None:
        user_id = next(u for pk, u, _ in agents if pk == chosen)
        planned.append(
            RoleSwap.objects.create(
                site=site,
                month=month,
                kind=SwapKind.MANAGER_FOR_A_DAY,
                user_id=user_id,
                agent_id=chosen,
                host=user if user.is_authenticated else None,
                day=on,
            )
        )
    leaders = (
        RoleAssignment.objects.filter(role__in=(Role.TEAM_LEAD, Role.SITE_MANAGER))
        .filter(Q(site=site) | Q(teams__site=site))
        .values_list("user_id", "user__username")
        .distinct()
    )
    done = dict(
        RoleSwap.objects.filter(kind=SwapKind.AGENT_FOR_A_DAY, site=site)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    lead = rules.whose_turn([(uid, done.get(uid, 0), name) for uid, name in leaders])
    if lead is not None:
        planned.append(
            RoleSwap.objects.create(
                site=site, month=month, kind=SwapKind.AGENT_FOR_A_DAY, user_id=lead, day=on
            )
        )
    return planned


def away_days(agent_ids, start: dt.date, end: dt.date) -> dict[int, set[dt.date]]:
    """For the roster (``core.registries.away_days``): manager-for-a-day agents are off the phones."""
    out: dict[int, set[dt.date]] = {}
    for agent_id, day in RoleSwap.objects.filter(
        kind=SwapKind.MANAGER_FOR_A_DAY, agent_id__in=list(agent_ids), day__gte=start, day__lte=end
    ).values_list("agent_id", "day"):
        out.setdefault(agent_id, set()).add(day)
    return out


def create_competition(
    site: Site,
    *,
    user: AnyUser,
    title: str,
    metric: str,
    start: dt.date,
    end: dt.date,
    min_volume: int,
) -> Competition:
    if metric not in CompetitionMetric.values:
        raise EngagementError(_("Unknown metric."))
    if end < start:
        raise EngagementError(_("A competition cannot end before it starts."))
    if min_volume < 1:
        raise EngagementError(
            _("The minimum volume must be at least 1, or a lucky few contacts could win.")
        )
    return Competition.objects.create(
        site=site,
        title=title.strip()[:120] or str(dict(CompetitionMetric.choices)[metric]),
        metric=metric,
        start=start,
        end=end,
        min_volume=min_volume,
        created_by=user if user.is_authenticated else None,
    )


def publish(competition: Competition, *, user: AnyUser) -> list[int]:
    """After the last day: the teams ranked first win, and the recognition wall shows it."""
    today = timezone.localdate()
    if competition.end >= today:
        raise EngagementError(_("Results are published after the last day."))
    if competition.published_on:
        raise EngagementError(_("The results are already published."))
    winners = [team.pk for team, s in selectors.standings(competition) if s.rank == 1]
    competition.winners = winners
    competition.published_on = today
    competition.save(update_fields=["winners", "published_on"])
    return winners


def add_photo(event: TeamEvent, upload, *, user: AnyUser, caption: str = "") -> EventPhoto:
    """Store a photo of an event (under MEDIA_ROOT) after checking its size and its bytes."""
    if upload is None:
        raise EngagementError(_("Choose a photo to upload."))
    head = upload.read(16)
    upload.seek(0)
    problem = rules.photo_problem(upload.name or "", upload.size or 0, head)
    if problem == rules.TOO_BIG:
        raise EngagementError(
            _("A photo may be at most %(mb)s MB.") % {"mb": rules.PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    if problem is not None:
        raise EngagementError(_("Upload a JPEG, PNG or WebP photo."))
    return EventPhoto.objects.create(
        event=event, image=upload, caption=caption.strip()[:120], uploaded_by=user
    )


PURGE_BATCH = 500  # photos per DELETE (and per IN list)


def remove_photo(photo: EventPhoto, *, user: AnyUser) -> None:
    """Take a photo down at once: the row and its file under MEDIA_ROOT, audit-logged.

    Raises ``PermissionDenied`` unless ``user`` may (``selectors.may_remove_photo``).
    """
    if not selectors.may_remove_photo(user, photo):
        raise PermissionDenied
    with transaction.atomic():
        record(
            actor=user,
            action=AuditAction.DELETE,
            obj=photo,
            fields=["image", "caption"],
            purpose=f"event photo taken down (event {photo.event_id})",
        )
        photo.delete()  # the file goes once this commits (teamlife/photo_files.py)


def purge_event_photos(cutoff: dt.datetime, dry_run: bool) -> int:
    """Retention (``event_photos``): photos of events that started before ``cutoff``, rows and
    files; returns how many photos (with ``dry_run``: would go)."""
    due = EventPhoto.objects.filter(event__starts_at__lt=cutoff)
    if dry_run:
        return due.count()
    photos = list(due.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(photos), PURGE_BATCH):
        # each row's file goes once its deletion commits (teamlife/photo_files.py)
        EventPhoto.objects.filter(pk__in=photos[start : start + PURGE_BATCH]).delete()
    return len(photos)
