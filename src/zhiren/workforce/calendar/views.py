"""Pages of published schedules for people: own week, notices, wishes, phone calendar, team grid."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiren.org.scoping import coverage, own_agent_or_404

from ..dates import tz, week_start
from ..pages import ACTIVITY_LABELS, day_param
from ..scope import APPROVER_ROLES, get_grid_team, grid_teams
from ..staff import active_template_names
from . import ics, selectors, services
from .forms import WishesForm


@login_required
@require_GET
def my_week(request):
    agent = own_agent_or_404(request.user)
    start = week_start(day_param(request, "start", timezone.localdate()))
    return render(
        request,
        "workforce/my_week.html",
        {
            "agent": agent,
            "days": selectors.my_week(agent, start),
            "start": start,
            "labels": ACTIVITY_LABELS,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "unread": selectors.unread_notices(agent),
            "today": timezone.localdate(),
        },
    )


def _feed_url(request, token: str | None) -> str:
    if not token:
        return ""
    return request.build_absolute_uri(reverse("workforce:ics", kwargs={"token": token}))


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    """The agent's calendar link. The page reads it; its first view asks (POST) for one made."""
    agent = own_agent_or_404(request.user)
    if request.method == "POST":
        url = _feed_url(request, services.calendar_token(agent))
        if request.headers.get("HX-Request"):
            return render(request, "workforce/_calendar_url.html", {"url": url})
        return redirect("workforce:my_calendar")
    url = _feed_url(request, selectors.calendar_token(agent))
    return render(request, "workforce/calendar.html", {"agent": agent, "url": url})


@login_required
@require_POST
def calendar_reset(request):
    agent = own_agent_or_404(request.user)
    services.reset_calendar_token(agent)
    messages.success(request, _("Your calendar link was reset. The old link no longer works."))
    return redirect("workforce:my_calendar")


@require_GET
def ics_feed(request, token: str):
    agent_id = selectors.feed_agent_id(token)
    if agent_id is None:
        raise Http404
    zone = tz()
    text = ics.calendar(
        selectors.feed_shifts(agent_id, timezone.localdate()),
        name=_("My shifts"),
        uid_domain=request.get_host().split(":")[0] or "zhiren",
        summary_of=lambda s: (
            _("Shift %(start)s–%(end)s")
            % {
                "start": s.start.astimezone(zone).strftime("%H:%M"),
                "end": s.end.astimezone(zone).strftime("%H:%M"),
            }
        ),
        now=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notices(request):
    """The agent's change notices. The page reads them; once shown it marks them read (POST)."""
    agent = own_agent_or_404(request.user)
    if request.method == "POST":
        try:
            up_to = int(request.POST.get("up_to", ""))
        except ValueError:
            up_to = None
        services.mark_notices_read(agent, up_to)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return redirect("workforce:notices")
    items = list(selectors.notices(agent)[:100])
    return render(
        request,
        "workforce/notices.html",
        {"items": items, "unread_up_to": max((n.pk for n in items if not n.read), default=None)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wishes(request):
    agent = own_agent_or_404(request.user)
    pref = selectors.preference(agent)
    initial = {
        "preferred_templates": pref.preferred_templates,
        "preferred_days_off": pref.preferred_days_off,
        "note": pref.note,
    }
    form = WishesForm(
        request.POST or None, initial=initial, templates=active_template_names(agent.team.site_id)
    )
    if request.method == "POST" and form.is_valid():
        services.save_wishes(
            agent,
            form.cleaned_data["preferred_templates"],
            form.cleaned_data["preferred_days_off"],
            form.cleaned_data["note"],
        )
        messages.success(
            request, _("Your wishes are saved; the next roster takes them into account.")
        )
        return redirect("workforce:my_week")
    return render(request, "workforce/wishes.html", {"form": form})


@login_required
@require_GET
def team_grid(request, pk):
    team = get_grid_team(request.user, pk)
    start = week_start(day_param(request, "start", timezone.localdate()))
    try:
        weeks = min(4, max(1, int(request.GET.get("weeks", 1))))
    except ValueError:
        weeks = 1
    return render(
        request,
        "workforce/team_grid.html",
        {
            "team": team,
            "grid": selectors.team_grid(team, start, weeks * 7),
            "start": start,
            "weeks": weeks,
            "previous": start - timedelta(days=7 * weeks),
            "next": start + timedelta(days=7 * weeks),
            "teams": grid_teams(request.user),
            "today": timezone.localdate(),
            "may_approve": coverage(request.user, APPROVER_ROLES).covers(team.pk),
        },
    )
