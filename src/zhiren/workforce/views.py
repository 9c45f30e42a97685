"""Workforce pages: schedules, requests, planning, rosters, floor. Thin: parse, call, render."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhiren.org.access import load_access
from zhiren.org.models import Agent
from zhiren.org.scoping import coverage, own_agent_or_404

from . import ics, planning, selectors, services
from .engine.roster.problem import SLOTS_PER_DAY
from .forms import (
    AdjustForm,
    DraftForm,
    EventForm,
    ForecastForm,
    HolidayForm,
    LeaveForm,
    QueueForm,
    RulesForm,
    ShiftEditForm,
    StateEventForm,
    SwapForm,
    TemplateForm,
    WishesForm,
)
from .models import (
    AgentPreference,
    DraftShift,
    DraftStatus,
    ForecastEvent,
    ForecastVersion,
    HolidayDay,
    Queue,
    RequestStatus,
    ShiftTemplate,
    Shrinkage,
)

# Lazy: shown in the language of the request, not the one active at import.
ACTIVITY_LABELS = {
    "work": gettext_lazy("Work"),
    "break": gettext_lazy("Break"),
    "lunch": gettext_lazy("Lunch"),
    "meeting": gettext_lazy("Meeting"),
    "training": gettext_lazy("Training"),
    "coaching": gettext_lazy("Coaching"),
    "leave": gettext_lazy("Leave"),
}


def _day_param(request, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _minute(value) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


# --- home and own schedule -----------------------------------------------------------------


@login_required
@require_GET
def home(request):
    site = selectors.planner_sites(request.user).first()
    if site is not None:
        return redirect("workforce:drafts", pk=site.pk)
    team = selectors.approver_teams(request.user).first()
    if team is not None:
        return redirect("workforce:team_grid", pk=team.pk)
    if load_access(request.user).own_agent_id:
        return redirect("workforce:my_week")
    team = selectors.grid_teams(request.user).first()
    if team is None:
        raise Http404
    return redirect("workforce:team_grid", pk=team.pk)


@login_required
@require_GET
def my_week(request):
    agent = own_agent_or_404(request.user)
    start = selectors.week_start(_day_param(request, "start", timezone.localdate()))
    days = selectors.my_week(agent, start)
    return render(
        request,
        "workforce/my_week.html",
        {
            "agent": agent,
            "days": days,
            "start": start,
            "labels": ACTIVITY_LABELS,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "unread": selectors.notices(agent).filter(read=False).count(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def my_calendar(request):
    agent = own_agent_or_404(request.user)
    token = services.calendar_token(agent)
    url = request.build_absolute_uri(reverse("workforce:ics", kwargs={"token": token}))
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
    pref = AgentPreference.objects.filter(calendar_token=token).select_related("agent").first()
    if pref is None or not token:
        raise Http404
    today = timezone.localdate()
    shifts = selectors.published_shifts(
        [pref.agent_id], today - timedelta(days=14), today + timedelta(days=56)
    )
    text = ics.calendar(
        shifts,
        name=_("My shifts"),
        uid_domain=request.get_host().split(":")[0] or "zhiren",
        summary_of=lambda s: (
            _("Shift %(start)s–%(end)s")
            % {
                "start": s.start.astimezone(planning.tz()).strftime("%H:%M"),
                "end": s.end.astimezone(planning.tz()).strftime("%H:%M"),
            }
        ),
        now=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def notices(request):
    agent = own_agent_or_404(request.user)
    items = list(selectors.notices(agent)[:100])
    services.mark_notices_read(agent)
    return render(request, "workforce/notices.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def wishes(request):
    agent = own_agent_or_404(request.user)
    pref = services.preference_of(agent)
    names = list(
        ShiftTemplate.objects.filter(site_id=agent.team.site_id, active=True).values_list(
            "name", flat=True
        )
    )
    initial = {
        "preferred_templates": pref.preferred_templates,
        "preferred_days_off": pref.preferred_days_off,
        "note": pref.note,
    }
    form = WishesForm(request.POST or None, initial=initial, templates=names)
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


# --- team grid and adherence ---------------------------------------------------------------


@login_required
@require_GET
def team_grid(request, pk):
    team = selectors.get_grid_team(request.user, pk)
    start = selectors.week_start(_day_param(request, "start", timezone.localdate()))
    try:
        weeks = min(4, max(1, int(request.GET.get("weeks", 1))))
    except ValueError:
        weeks = 1
    grid = selectors.team_grid(team, start, weeks * 7)
    return render(
        request,
        "workforce/team_grid.html",
        {
            "team": team,
            "grid": grid,
            "start": start,
            "weeks": weeks,
            "previous": start - timedelta(days=7 * weeks),
            "next": start + timedelta(days=7 * weeks),
            "teams": selectors.grid_teams(request.user),
            "today": timezone.localdate(),
            "may_approve": coverage(request.user, selectors.APPROVER_ROLES).covers(team.pk),
        },
    )


@login_required
@require_GET
def adherence(request, pk):
    team = selectors.approver_teams(request.user).filter(pk=pk).first()
    if team is None:
        raise Http404
    day = _day_param(request, "day", timezone.localdate())
    rows = services.adherence_report(planning.active_agents([team.pk]), day)
    return render(
        request,
        "workforce/adherence.html",
        {"team": team, "day": day, "rows": rows, "labels": ACTIVITY_LABELS},
    )


# --- leave ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def leave_list(request):
    access = load_access(request.user)
    form = LeaveForm(request.POST or None)
    if request.method == "POST":
        agent = own_agent_or_404(request.user)
        if form.is_valid():
            try:
                services.request_leave(request.user, agent, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your leave request was sent to your team lead."))
                return redirect("workforce:leave_list")
    qs = selectors.visible_leave(request.user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/leave_list.html",
        {
            "form": form if access.own_agent_id else None,
            "page": page,
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_detail(request, pk):
    leave = selectors.get_leave(request.user, pk)
    may_decide = (
        selectors.may_approve(request.user, leave.agent) and leave.status == RequestStatus.PENDING
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel" and leave.agent_id == load_access(request.user).own_agent_id:
            services.cancel_request(leave)
            return redirect("workforce:leave_list")
        if not may_decide or action not in ("approve", "refuse"):
            raise Http404
        try:
            services.decide_leave(
                request.user, leave, action == "approve", request.POST.get("note", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(
                request, _errors(exc) if isinstance(exc, ValidationError) else _("Not allowed.")
            )
        else:
            messages.success(request, _("Decision saved."))
        return redirect("workforce:leave_detail", pk=leave.pk)
    impact = services.leave_impact(leave) if may_decide else []
    return render(
        request,
        "workforce/leave_detail.html",
        {"leave": leave, "impact": impact, "may_decide": may_decide},
    )


# --- swaps ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def swap_list(request):
    access = load_access(request.user)
    form = None
    if access.own_agent_id:
        agent = own_agent_or_404(request.user)
        colleagues = planning.active_agents([agent.team_id])
        colleagues = [a for a in colleagues if a.pk != agent.pk]
        form = SwapForm(request.POST or None, colleagues=colleagues)
        if request.method == "POST" and form.is_valid():
            partner = None
            if form.cleaned_data["partner"]:
                partner = next(
                    (a for a in colleagues if a.pk == form.cleaned_data["partner"]), None
                )
            try:
                swap = services.request_swap(
                    request.user,
                    agent,
                    form.cleaned_data["day"],
                    partner,
                    form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your swap request was sent."))
                return redirect("workforce:swap_detail", pk=swap.pk)
    elif request.method == "POST":
        raise Http404
    qs = selectors.visible_swaps(request.user)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "workforce/swap_list.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def swap_detail(request, pk):
    swap = selectors.get_swap(request.user, pk)
    access = load_access(request.user)
    may_decide = (
        selectors.may_approve(request.user, swap.requester) and swap.status == RequestStatus.PENDING
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and access.own_agent_id:
                services.accept_swap(request.user, swap, own_agent_or_404(request.user))
            elif action == "cancel" and swap.requester_id == access.own_agent_id:
                services.cancel_request(swap)
            elif action in ("approve", "refuse") and may_decide:
                services.decide_swap(request.user, swap, action == "approve")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("workforce:swap_detail", pk=swap.pk)
    shifts = {
        s.agent_id: s
        for s in selectors.published_shifts(
            [swap.requester_id, swap.partner_id or 0], swap.day, swap.day
        )
    }
    return render(
        request,
        "workforce/swap_detail.html",
        {
            "swap": swap,
            "may_decide": may_decide,
            "shifts": shifts,
            "own_agent_id": access.own_agent_id,
            "mine": shifts.get(swap.requester_id),
            "theirs": shifts.get(swap.partner_id),
        },
    )


# --- planning: queues, templates, rules, events, holidays ----------------------------------


@login_required
@require_GET
def setup(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    services.ensure_site_setup(site)
    return render(
        request,
        "workforce/setup.html",
        {
            "site": site,
            "sites": selectors.planner_sites(request.user),
            "queues": Queue.objects.filter(site=site),
            "templates": ShiftTemplate.objects.filter(site=site),
            "shrinkage": Shrinkage.objects.filter(site=site),
            "rules": planning.site_rules(site.pk),
        },
    )


def _model_form(request, form_class, instance, template, context, done):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(done)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def queue_new(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    return _model_form(
        request,
        QueueForm,
        Queue(site=site),
        "workforce/form.html",
        {"site": site, "title": _("New queue")},
        reverse("workforce:setup", args=[site.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def queue_edit(request, pk):
    queue = get_object_or_404(Queue, pk=pk, site__in=selectors.planner_sites(request.user))
    return _model_form(
        request,
        QueueForm,
        queue,
        "workforce/form.html",
        {"site": queue.site, "title": queue.name},
        reverse("workforce:setup", args=[queue.site_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    instance = ShiftTemplate(
        site=site,
        earliest_start=540,
        latest_start=540,
        length_minutes=540,
        breaks=services.DEFAULT_BREAKS,
    )
    return _model_form(
        request,
        TemplateForm,
        instance,
        "workforce/form.html",
        {"site": site, "title": _("New shift template")},
        reverse("workforce:setup", args=[site.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = get_object_or_404(
        ShiftTemplate, pk=pk, site__in=selectors.planner_sites(request.user)
    )
    return _model_form(
        request,
        TemplateForm,
        template,
        "workforce/form.html",
        {"site": template.site, "title": template.name},
        reverse("workforce:setup", args=[template.site_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    rules = services.ensure_site_setup(site)
    return _model_form(
        request,
        RulesForm,
        rules,
        "workforce/form.html",
        {"site": site, "title": _("Labour rules and floor settings")},
        reverse("workforce:setup", args=[site.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def events(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    form = EventForm(request.POST or None, instance=ForecastEvent(site=site))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event added."))
        return redirect("workforce:events", pk=site.pk)
    today = timezone.localdate()
    calendar = planning.holiday_calendar()
    upcoming = []
    for n in range(120):
        info = calendar.classify(today + timedelta(days=n))
        if info.kind in ("holiday", "makeup_workday"):
            upcoming.append(info)
    return render(
        request,
        "workforce/events.html",
        {
            "site": site,
            "form": form,
            "events": ForecastEvent.objects.filter(site=site),
            "upcoming": upcoming,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = get_object_or_404(ForecastEvent, pk=pk, site__in=selectors.planner_sites(request.user))
    if request.method == "POST" and request.POST.get("action") == "delete":
        event.delete()
        return redirect("workforce:events", pk=event.site_id)
    return _model_form(
        request,
        EventForm,
        event,
        "workforce/form.html",
        {"site": event.site, "title": event.name},
        reverse("workforce:events", args=[event.site_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def holidays(request):
    if not selectors.is_planner(request.user):
        raise Http404
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("delete"):
            HolidayDay.objects.filter(pk=request.POST["delete"]).delete()
            return redirect("workforce:holidays")
        if form.is_valid():
            form.save()
            messages.success(request, _("Holiday table updated."))
            return redirect("workforce:holidays")
    return render(
        request, "workforce/holidays.html", {"form": form, "days": HolidayDay.objects.all()}
    )


# --- forecast and staffing -----------------------------------------------------------------


def _queue_for(request, pk) -> Queue:
    return get_object_or_404(
        Queue.objects.select_related("site"), pk=pk, site__in=selectors.planner_sites(request.user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def forecast(request, pk):
    queue = _queue_for(request, pk)
    today = timezone.localdate()
    versions = list(ForecastVersion.objects.filter(queue=queue).select_related("created_by")[:20])
    try:
        current = (
            next(v for v in versions if str(v.pk) == request.GET.get("version"))
            if request.GET.get("version")
            else (versions[0] if versions else None)
        )
    except StopIteration as exc:
        raise Http404 from exc
    form = ForecastForm(
        request.POST or None, initial={"start": selectors.week_start(today) + timedelta(days=7)}
    )
    adjust = AdjustForm(
        None,
        initial={
            "first": current.start if current else today,
            "last": current.start if current else today,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.create_forecast(
                request.user, queue, form.cleaned_data["start"], form.cleaned_data["weeks"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forecast version %(n)d created.") % {"n": version.number})
            return redirect(
                f"{reverse('workforce:forecast', args=[queue.pk])}?version={version.pk}"
            )
    chart, weekly = _forecast_chart(queue, current, today)
    return render(
        request,
        "workforce/forecast.html",
        {
            "queue": queue,
            "site": queue.site,
            "versions": versions,
            "current": current,
            "form": form,
            "adjust": adjust,
            "chart": chart,
            "weekly": weekly,
            "events": ForecastEvent.objects.filter(
                site=queue.site, end__gte=today - timedelta(days=90)
            )[:20],
        },
    )


def _forecast_chart(queue, version, today):
    """Daily actuals of the last 8 weeks and the version's daily forecast; WAPE per past week."""
    history_start = today - timedelta(days=56)
    actual = planning.actuals(queue, history_start, today)
    days = planning.days_between(history_start, version.end if version else today)
    fc = version.data if version else {}
    rows = {
        "days": [d.isoformat() for d in days],
        "actual": [round(sum(actual[d]["volume"])) if d in actual else None for d in days],
        "forecast": [
            round(sum(fc[d.isoformat()]["volume"])) if d.isoformat() in fc else None for d in days
        ],
    }
    weekly = []
    # accuracy: a holdout fit on history up to 4 weeks ago, scored week by week on what happened
    holdout_start = selectors.week_start(today) - timedelta(days=28)
    if actual:
        try:
            past = planning.run_forecast(queue, holdout_start, 4)
        except Exception:  # noqa: BLE001 - accuracy is informative; the page shows without it
            past = None
        if past is not None:
            for w in range(4):
                week_days = [holdout_start + timedelta(days=w * 7 + n) for n in range(7)]
                a = np.array([sum(actual[d]["volume"]) if d in actual else 0.0 for d in week_days])
                f = np.array(
                    [
                        sum(past.data.get(d.isoformat(), {"volume": [0]})["volume"])
                        for d in week_days
                    ]
                )
                if a.sum() > 0 and week_days[-1] < today:
                    weekly.append(
                        {
                            "start": week_days[0],
                            "actual": round(a.sum()),
                            "forecast": round(f.sum()),
                            "wape": round(100 * float(np.abs(a - f).sum() / a.sum()), 1),
                        }
                    )
    return rows, weekly


@login_required
@require_POST
def forecast_adjust(request, pk):
    version = get_object_or_404(
        ForecastVersion, pk=pk, queue__site__in=selectors.planner_sites(request.user)
    )
    form = AdjustForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            new = services.adjust_forecast(
                request.user,
                version,
                d["first"],
                d["last"],
                _minute(d["from_time"]) // 15,
                _minute(d["to_time"]) // 15,
                d["factor"],
                d["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request, _("Adjusted forecast saved as version %(n)d.") % {"n": new.number}
            )
            return redirect(
                f"{reverse('workforce:forecast', args=[version.queue_id])}?version={new.pk}"
            )
    else:
        messages.error(request, _("Check the adjustment: every field is required."))
    return redirect(
        f"{reverse('workforce:forecast', args=[version.queue_id])}?version={version.pk}"
    )


def _float(request, name):
    try:
        return float(request.GET[name]) if request.GET.get(name) else None
    except ValueError:
        return None


@login_required
@require_GET
def staffing(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    queues = list(Queue.objects.filter(site=site))
    today = timezone.localdate()
    day = _day_param(request, "day", today)
    what_if = planning.WhatIf(
        service_level=_float(request, "sl"),
        answer_time_s=_float(request, "t"),
        shrinkage=_float(request, "shrinkage"),
        volume_factor=_float(request, "volume") or 1.0,
    )
    week = [selectors.week_start(day) + timedelta(days=n) for n in range(7)]
    req = planning.requirement(queues, week, what_if=what_if)
    scheduled = _scheduled(site, queues, week)
    d = week.index(day)
    intraday = {
        "labels": [f"{s // 4:02d}:{s % 4 * 15:02d}" for s in range(SLOTS_PER_DAY)],
        "series": [
            {"name": f"{q.name} · " + _("required"), "data": req[q.code][d].tolist()}
            for q in queues
        ]
        + [{"name": _("Scheduled"), "data": scheduled[d].tolist(), "scheduled": True}],
    }
    total_req = sum(req.values()) if req else np.zeros((7, SLOTS_PER_DAY), dtype=int)
    gap = (scheduled - total_req).tolist()
    heat = [[h, wd, int(sum(gap[wd][h * 4 : h * 4 + 4]) / 4)] for wd in range(7) for h in range(24)]
    return render(
        request,
        "workforce/staffing.html",
        {
            "site": site,
            "day": day,
            "week": week,
            "intraday": intraday,
            "heat": heat,
            "what_if": what_if,
            "queues": queues,
            "query": request.GET,
            "required_hours": round(float(np.sum(total_req)) / 4, 1),
            "scheduled_hours": round(float(np.sum(scheduled)) / 4, 1),
        },
    )


def _scheduled(site, queues, days) -> np.ndarray:
    out = np.zeros((len(days), SLOTS_PER_DAY), dtype=int)
    agents = Agent.objects.filter(team__site=site).values_list("pk", flat=True)
    zone = planning.tz()
    for shift in selectors.published_shifts(list(agents), days[0] - timedelta(days=1), days[-1]):
        for act in shift.activities:
            if act.kind != "work":
                continue
            t = act.start.astimezone(zone)
            while t < act.end:
                i = (t.date() - days[0]).days
                if 0 <= i < len(days):
                    out[i][(t.hour * 60 + t.minute) // 15] += 1
                t += timedelta(minutes=15)
    return out


# --- roster drafts -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def drafts(request, pk):
    site = selectors.get_planner_site(request.user, pk)
    today = timezone.localdate()
    form = DraftForm(
        request.POST or None,
        site=site,
        initial={"start": selectors.week_start(today) + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            draft = services.start_roster(
                request.user, site, d["teams"], d["start"], d["weeks"], d["time_limit_s"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("workforce:draft_detail", pk=draft.pk)
    qs = selectors.visible_drafts(request.user).filter(site=site).prefetch_related("teams")
    return render(
        request,
        "workforce/drafts.html",
        {
            "site": site,
            "sites": selectors.planner_sites(request.user),
            "form": form,
            "page": Paginator(qs, 20).get_page(request.GET.get("page")),
        },
    )


def _draft_context(draft, form=None):
    days = [draft.start + timedelta(days=n) for n in range(draft.days)]
    agents = planning.active_agents(list(draft.teams.values_list("pk", flat=True)))
    shifts = {(s.agent_id, s.day): s for s in DraftShift.objects.filter(draft=draft)}
    rows = [{"agent": a, "cells": [shifts.get((a.pk, d)) for d in days]} for a in agents]
    templates = list(
        ShiftTemplate.objects.filter(site_id=draft.site_id, active=True).values_list(
            "name", flat=True
        )
    )
    return {
        "draft": draft,
        "site": draft.site,
        "days": days,
        "rows": rows,
        "templates": templates,
        "form": form or ShiftEditForm(initial={"version": draft.version}),
        "result": draft.result,
        "teams": list(draft.teams.all()),
        "wish_kinds": {
            "preferred_shift": _("preferred shift"),
            "preferred_day_off": _("preferred day off"),
        },
    }


@login_required
@require_GET
def draft_detail(request, pk):
    draft = selectors.get_draft(request.user, pk)
    return render(request, "workforce/draft_detail.html", _draft_context(draft))


@login_required
@require_GET
def draft_progress(request, pk):
    draft = selectors.get_draft(request.user, pk)
    progress = draft.progress
    if draft.status == DraftStatus.RUNNING and draft.stage == "solving" and draft.solve_started_at:
        elapsed = (timezone.now() - draft.solve_started_at).total_seconds()
        progress = min(94, 35 + int(59 * elapsed / max(1, draft.time_limit_s)))
    response = render(
        request, "workforce/_draft_progress.html", {"draft": draft, "progress": progress}
    )
    if not draft.is_working and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the finished draft
    return response


@login_required
@require_POST
def draft_edit(request, pk):
    draft = selectors.get_draft(request.user, pk)
    form = ShiftEditForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        agent = Agent.objects.filter(pk=d["agent"], team__in=draft.teams.all()).first()
        if agent is None:
            form.add_error("agent", _("This agent is not in the draft's teams."))
        else:
            try:
                services.edit_draft_shift(
                    request.user,
                    draft,
                    d["version"],
                    agent,
                    d["day"],
                    d["template"] or None,
                    _minute(d["start"]),
                )
            except services.StaleDraft as exc:
                form.add_error(None, str(exc))
                draft.refresh_from_db()
                return render(
                    request, "workforce/draft_detail.html", _draft_context(draft, form), status=409
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Shift saved and the roster re-checked."))
                return redirect("workforce:draft_detail", pk=draft.pk)
    return render(request, "workforce/draft_detail.html", _draft_context(draft, form))


@login_required
@require_POST
def draft_publish(request, pk):
    draft = selectors.get_draft(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        published = services.publish_draft(
            request.user, draft, version, request.POST.get("note", "")
        )
    except services.StaleDraft as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("Published as schedule version %(n)d.") % {"n": published.number}
        )
    return redirect("workforce:draft_detail", pk=draft.pk)


# --- floor ---------------------------------------------------------------------------------


def _floor_teams(request):
    teams = list(selectors.approver_teams(request.user))
    if not teams:
        raise Http404
    chosen = request.GET.get("team")
    if chosen:
        teams = [t for t in teams if str(t.pk) == chosen] or teams[:0]
        if not teams:
            raise Http404
    return teams


@login_required
@require_GET
def floor(request):
    teams = _floor_teams(request)
    form = StateEventForm()
    return render(
        request,
        "workforce/floor.html",
        {
            "teams": selectors.approver_teams(request.user),
            "chosen": request.GET.get("team", ""),
            "data": selectors.floor(teams),
            "labels": ACTIVITY_LABELS,
            "form": form,
        },
    )


@login_required
@require_GET
def floor_panel(request):
    teams = _floor_teams(request)
    return render(
        request,
        "workforce/_floor_panel.html",
        {"data": selectors.floor(teams), "labels": ACTIVITY_LABELS},
    )


@extend_schema(
    request=inline_serializer(
        "AgentStateEvent",
        fields={
            "agent": serializers.CharField(help_text="Employee number or agent id"),
            "state": serializers.CharField(),
            "at": serializers.DateTimeField(),
        },
        many=True,
    ),
    responses={200: inline_serializer("StateEventsReceived", {"received": serializers.IntegerField()})},
)
@api_view(["POST"])
def state_events(request):
    """Push agent state events: a JSON list of ``{"agent", "state", "at"}`` (or one object)."""
    data = request.data
    rows = data if isinstance(data, list) else [data.dict() if hasattr(data, "dict") else data]
    if not selectors.approver_teams(request.user).exists():
        raise Http404
    try:
        n = services.ingest_states(
            request.user, [dict(r) if hasattr(r, "items") else r for r in rows]
        )
    except ValidationError as exc:
        return Response({"errors": exc.messages}, status=400)
    return Response({"received": n})


@login_required
@require_POST
def state_form(request):
    """The floor page's small form to record a state by hand (e.g. when the ACD feed is down)."""
    form = StateEventForm(request.POST)
    if not selectors.approver_teams(request.user).exists():
        raise Http404
    if form.is_valid():
        try:
            services.ingest_states(
                request.user, [{**form.cleaned_data, "at": timezone.now().isoformat()}]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    team = request.POST.get("team", "")
    return redirect(reverse("workforce:floor") + (f"?team={int(team)}" if team.isdigit() else ""))
