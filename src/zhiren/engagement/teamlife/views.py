"""Team life pages: events with sign-up, the monthly swaps, competitions with fair rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.org.scoping import get_or_404

from ..models import CompetitionMetric, EventKind, EventPhoto
from ..services import EngagementError
from . import rules, selectors, services


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _by_code(queryset, code):
    found = queryset.filter(code=code or "").first()
    if found is None:
        raise Http404
    return found


def _month(today: dt.date, ahead: int) -> dt.date:
    first = today.replace(day=1)
    for _step in range(ahead):
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return first


@login_required
def life(request):
    sites = list(selectors.life_sites(request.user))
    if not sites:
        raise Http404
    today = timezone.localdate()
    months = [_month(today, 0), _month(today, 1)]
    return render(
        request,
        "engagement/life.html",
        {
            "events": selectors.upcoming_events(request.user),
            "sites": sites,
            "teams": list(selectors.life_teams(request.user)),
            "kinds": EventKind.choices,
            "swaps": selectors.swaps(request.user, months),
            "run_sites": list(selectors.run_sites(request.user)),
            "months": months,
            "competitions": list(selectors.visible_competitions(request.user)[:20]),
            "metrics": CompetitionMetric.choices,
            "today": today,
        },
    )


@login_required
@require_POST
def event_add(request):
    site = _by_code(selectors.life_sites(request.user), request.POST.get("site"))
    team = None
    if request.POST.get("team"):
        team = _by_code(selectors.life_teams(request.user), request.POST.get("team"))
    starts = parse_datetime(request.POST.get("starts_at", "") or "")
    if starts is None:
        messages.error(request, _("Give the day and time the event starts."))
        return redirect("engagement:life")
    if timezone.is_naive(starts):
        starts = timezone.make_aware(starts)
    try:
        services.create_event(
            site,
            team,
            user=request.user,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            starts_at=starts,
            place=request.POST.get("place", ""),
            capacity=_int(request.POST.get("capacity")),
            detail=request.POST.get("detail", ""),
        )
    except EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:life")


@login_required
@require_POST
def event_signup(request, pk: int):
    event = get_or_404(selectors.visible_events(request.user), pk)
    try:
        services.toggle_signup(event, user=request.user)
    except EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:life")


@login_required
@require_POST
def swap_plan(request):
    site = _by_code(selectors.run_sites(request.user), request.POST.get("site"))
    month = parse_date((request.POST.get("month", "") or "") + "-01") or timezone.localdate()
    try:
        services.plan_month(site, month, user=request.user)
    except EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:life")


@login_required
@require_POST
def competition_add(request):
    site = _by_code(selectors.run_sites(request.user), request.POST.get("site"))
    start = parse_date(request.POST.get("start", "") or "")
    end = parse_date(request.POST.get("end", "") or "")
    if start is None or end is None:
        messages.error(request, _("Give the first and last day."))
        return redirect("engagement:life")
    try:
        item = services.create_competition(
            site,
            user=request.user,
            title=request.POST.get("title", ""),
            metric=request.POST.get("metric", ""),
            start=start,
            end=end,
            min_volume=_int(request.POST.get("min_volume"), 0),
        )
    except EngagementError as exc:
        messages.error(request, str(exc))
        return redirect("engagement:life")
    return redirect("engagement:competition", item.pk)


@login_required
def competition(request, pk: int):
    item = get_or_404(selectors.visible_competitions(request.user), pk)
    return render(
        request,
        "engagement/competition.html",
        {
            "item": item,
            "standings": selectors.standings(item),
            "rate": selectors.METRIC_FIELDS[CompetitionMetric(item.metric)][0] == "rate",
            "may_run": selectors.may_run(request.user, item.site),
        },
    )


@login_required
@require_POST
def competition_publish(request, pk: int):
    item = get_or_404(selectors.visible_competitions(request.user), pk)
    if not selectors.may_run(request.user, item.site):
        raise Http404
    try:
        services.publish(item, user=request.user)
    except EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:competition", item.pk)


@login_required
def event(request, pk: int):
    """An event's page: its details, who organises it, how many signed up, and its photos."""
    item = get_or_404(selectors.visible_events(request.user), pk)
    return render(
        request,
        "engagement/event.html",
        {
            "event": item,
            "photos": list(item.photos.all()),
            "max_mb": rules.PHOTO_MAX_BYTES // 2**20,
            "may_remove_photos": selectors.may_remove_photos(request.user, item),
            "photo_days": settings.RETENTION_DAYS["event_photos"],
        },
    )


@login_required
@require_POST
def photo_add(request, pk: int):
    item = get_or_404(selectors.visible_events(request.user), pk)
    try:
        services.add_photo(
            item,
            request.FILES.get("image"),
            user=request.user,
            caption=request.POST.get("caption", ""),
        )
    except EngagementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Photo added."))
    return redirect("engagement:event", item.pk)


@login_required
def photo(request, pk: int):
    """The photo's bytes, only for those who see its event (media are not served publicly)."""
    item = get_or_404(
        EventPhoto.objects.filter(event__in=selectors.visible_events(request.user)), pk
    )
    extension = item.image.name.rsplit(".", 1)[-1].lower()
    return FileResponse(item.image.open("rb"), content_type=rules.PHOTO_TYPES.get(extension))


@login_required
@require_POST
def photo_remove(request, pk: int):
    """Take a photo down (row and file), for whoever may (``selectors.may_remove_photo``)."""
    item = get_or_404(
        EventPhoto.objects.filter(event__in=selectors.visible_events(request.user)).select_related(
            "event"
        ),
        pk,
    )
    try:
        services.remove_photo(item, user=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Photo removed."))
    return redirect("engagement:event", item.event_id)
