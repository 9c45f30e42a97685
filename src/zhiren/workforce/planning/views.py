"""Planning pages: a site's queues, templates, rules, events and holidays; forecasts; staffing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiren.core.versioning import StaleEdit, save_model_form

from ..dates import week_start
from ..models import ForecastEvent, Queue, ShiftTemplate
from ..pages import (
    ACTIVITY_LABELS,
    day_param,
    errors,
    float_param,
    forecast_warning_text,
    minute,
)
from ..scope import get_planner_site, is_planner, planner_sites
from ..staff import site_rules
from . import selectors, services
from .defaults import DEFAULT_BREAKS
from .forms import (
    AdjustForm,
    EventForm,
    ForecastForm,
    HolidayForm,
    QueueForm,
    RulesForm,
    TemplateForm,
)
from .staffing import WhatIf

# --- queues, templates, rules, events, holidays --------------------------------------------


@login_required
@require_GET
def setup(request, pk):
    site = get_planner_site(request.user, pk)
    return render(
        request,
        "workforce/setup.html",
        {
            "site": site,
            "sites": planner_sites(request.user),
            "activity_labels": ACTIVITY_LABELS,
            **selectors.site_setup(site),
        },
    )


def _model_form(request, form_class, instance, template, context, done):
    """A site's setting edited by several planners: saved only if nobody saved it since the form opened."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save_model_form(form, form.opened_version)
        except StaleEdit as exc:
            form.reject_stale(exc)
        except IntegrityError:  # the site already has a queue of this code or a template of this name
            form.add_error(None, _("This site already has one with this name or code; choose another."))
        else:
            messages.success(request, _("Saved."))
            return redirect(done)
    return render(request, template, {**context, "form": form})


def _setup_form(request, form_class, instance, title):
    """A site setting's form (queue, template, rules) that returns to the site's setup page."""
    return _model_form(request, form_class, instance, "workforce/form.html",
                       {"site": instance.site, "title": title}, reverse("workforce:setup", args=[instance.site_id]))


@login_required
@require_http_methods(["GET", "POST"])
def queue_new(request, pk):
    site = get_planner_site(request.user, pk)
    if request.method == "POST":
        services.ensure_site_setup(site)  # the defaults the setup page shows become rows
    return _setup_form(request, QueueForm, Queue(site=site), _("New queue"))


@login_required
@require_http_methods(["GET", "POST"])
def queue_edit(request, pk):
    queue = selectors.get_queue(request.user, pk)
    return _setup_form(request, QueueForm, queue, queue.name)


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request, pk):
    site = get_planner_site(request.user, pk)
    if request.method == "POST":
        services.ensure_site_setup(site)  # the defaults the setup page shows come first
    instance = ShiftTemplate(
        site=site, earliest_start=540, latest_start=540, length_minutes=540, breaks=DEFAULT_BREAKS
    )
    return _setup_form(request, TemplateForm, instance, _("New shift template"))


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = selectors.get_template(request.user, pk)
    return _setup_form(request, TemplateForm, template, template.name)


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request, pk):
    site = get_planner_site(request.user, pk)
    # a GET shows the site's rules, or the defaults unsaved; the POST stores the defaults first
    rules = services.ensure_site_setup(site) if request.method == "POST" else site_rules(site.pk)
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
    site = get_planner_site(request.user, pk)
    form = EventForm(request.POST or None, instance=ForecastEvent(site=site))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event added."))
        return redirect("workforce:events", pk=site.pk)
    return render(
        request,
        "workforce/events.html",
        {
            "site": site,
            "form": form,
            "events": selectors.site_events(site),
            "upcoming": selectors.upcoming_holidays(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = selectors.get_event(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.delete_event(event)
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
    if not is_planner(request.user):
        raise Http404
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.delete_holiday(request.POST["delete"])
            return redirect("workforce:holidays")
        if form.is_valid():
            form.save()
            messages.success(request, _("Holiday table updated."))
            return redirect("workforce:holidays")
    return render(
        request, "workforce/holidays.html", {"form": form, "days": selectors.holiday_days()}
    )


# --- forecast and staffing -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forecast(request, pk):
    queue = selectors.get_queue(request.user, pk)
    today = timezone.localdate()
    versions = selectors.versions(queue)
    chosen = request.GET.get("version")
    if chosen:
        current = next((v for v in versions if str(v.pk) == chosen), None)
        if current is None:
            raise Http404
    else:
        current = versions[0] if versions else None
    form = ForecastForm(
        request.POST or None, initial={"start": week_start(today) + timedelta(days=7)}
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
    return render(
        request,
        "workforce/forecast.html",
        {
            "queue": queue,
            "site": queue.site,
            "versions": versions,
            "current": current,
            "warnings": [
                forecast_warning_text(w, {queue.code: queue.name, queue.history_name: queue.name})
                for w in (current.warnings if current else [])
            ],
            "form": form,
            "adjust": adjust,
            "chart": selectors.forecast_chart(queue, current, today),
            "weekly": selectors.holdout_weeks(current),
            "events": selectors.recent_events(queue.site, today),
        },
    )


@login_required
@require_POST
def forecast_adjust(request, pk):
    version = selectors.get_version(request.user, pk)
    form = AdjustForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            new = services.adjust_forecast(
                request.user,
                version,
                d["first"],
                d["last"],
                minute(d["from_time"]) // 15,
                minute(d["to_time"]) // 15,
                d["factor"],
                d["reason"],
            )
        except ValidationError as exc:
            messages.error(request, errors(exc))
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


@login_required
@require_GET
def staffing(request, pk):
    site = get_planner_site(request.user, pk)
    day = day_param(request, "day", timezone.localdate())
    what_if = WhatIf(
        service_level=float_param(request, "sl"),
        answer_time_s=float_param(request, "t"),
        shrinkage=float_param(request, "shrinkage"),
        volume_factor=float_param(request, "volume") or 1.0,
    )
    picture = selectors.staffing(site, day, what_if)
    intraday = {
        "labels": picture["slots"],
        "series": [
            {"name": f"{queue.name} · " + _("required"), "data": data}
            for queue, data in picture["required"]
        ]
        + [{"name": _("Scheduled"), "data": picture["scheduled"], "scheduled": True}],
    }
    return render(
        request,
        "workforce/staffing.html",
        {
            "site": site,
            "day": day,
            "week": picture["week"],
            "intraday": intraday,
            "heat": picture["heat"],
            "what_if": what_if,
            "queues": picture["queues"],
            "query": request.GET,
            "required_hours": picture["required_hours"],
            "scheduled_hours": picture["scheduled_hours"],
        },
    )
