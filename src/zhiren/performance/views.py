"""Performance pages: dashboards, goals, appraisal cycles, interaction import. Thin views."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhiren.core.downloads import attach
from zhiren.core.registries import agent_scores
from zhiren.core.text import join_list
from zhiren.imports.exporting import CONTENT_TYPES, FORMATS
from zhiren.imports.registry import import_spec
from zhiren.imports.services import export as run_export
from zhiren.imports.services import start_job
from zhiren.org.access import load_access
from zhiren.org.models import Channel
from zhiren.org.scoping import covers_any, get_or_404, own_agent_or_404

from . import appraisal as appraisal_reads
from . import charts, selectors, services
from .forms import (
    AppraisalLeadForm,
    AppraisalSelfForm,
    CycleForm,
    GoalForm,
    InteractionUploadForm,
    MappingForm,
    TargetForm,
)
from .goals import cascade_sum
from .importers import FIELD_KEYS, PRESET_LABELS, PRESETS
from .kpis import KPIS, format_value
from .models import AppraisalStage, ColumnMapping, CycleStatus


def _filter_context(request, flt, queues, **extra):
    return {
        "export_query": urlencode({**flt.as_query(), **extra}),
        "filters": flt,
        "period_choices": selectors.PERIOD_CHOICES,
        "channel_choices": Channel.choices,
        "queue_choices": queues,
        "query": flt.as_query(),
    }


@login_required
@require_GET
def home(request):
    access = load_access(request.user)
    if selectors.is_staff(request.user):
        teams = list(selectors.dashboard_teams(request.user)[:2])
        if len(teams) == 1:
            return redirect("performance:team", pk=teams[0].pk)
        return redirect("performance:overview")
    if access.own_agent_id:
        return redirect("performance:mine")
    raise Http404


RANKING_CODES = ("volume", "aht", "csat", "fcr", "resolution_rate", "transfer_rate")  # the ranking's columns
RANKING_FLAGGED = ("aht", "csat", "fcr")  # shown red when short of target


@login_required
@require_GET
def team(request, pk: int):
    team = selectors.get_dashboard_team(request.user, pk)
    flt = selectors.parse_filters(request.GET)
    data = selectors.team_dashboard(request.user, team, flt)
    options = selectors.team_filter_options(team, flt)
    feeds = [(entry.label, entry.fn([line.agent.pk for line in data["lines"]], flt.start, flt.end))
             for entry in agent_scores]
    for line in data["lines"]:
        line.extra = [found.get(line.agent.pk) for _label, found in feeds]
        line.spark_points = charts.sparkline_points(line.spark)
        line.cells = [(format_value(code, line.kpis[code]), code in RANKING_FLAGGED and (line.gaps.get(code) or 0) > 0)
                      for code in RANKING_CODES]
    trend = data["trend"]
    chart_options = {
        "chart-trend": charts.volume_and_quality(trend),
        "chart-aht": charts.trend(trend, "aht", str(KPIS["aht"].label), target=trend["targets"]["aht"], unit="s"),
        "chart-distribution": charts.histogram(data["distribution"], _("Average handle time (s)")),
    }
    return render(
        request,
        "performance/team.html",
        {"team": team, **data, **_filter_context(request, flt, options["queues"], team=team.pk),
         "kpis": KPIS, "charts": chart_options, "extra_labels": [label for label, _found in feeds]},
    )


def _agent_page(request, agent, own: bool):
    flt = selectors.parse_filters(request.GET)
    data = selectors.agent_dashboard(request.user, agent, flt)
    options = selectors.filter_options(selectors.scoped_stats(request.user).filter(agent=agent), flt)
    trend = data["trend"]
    chart_options = {
        f"chart-{code}": charts.trend(trend, code, str(KPIS[code].label), median_key=f"{code}_median",
                                      unit="s" if code == "aht" else "%")
        for code in ("csat", "aht", "fcr")
    }
    chart_options["chart-intraday"] = charts.agent_intraday(data["intraday"])
    extra_scores = [(entry.label, entry.fn([agent.pk], flt.start, flt.end).get(agent.pk)) for entry in agent_scores]
    return render(
        request,
        "performance/agent.html",
        {"agent": agent, "own": own, **data, **_filter_context(request, flt, options["queues"], agent=agent.pk),
         "kpis": KPIS,
         "charts": chart_options, "extra_scores": extra_scores, "agent_kpis": [KPIS[c] for c in ("volume", "aht", "fcr", "csat", "resolution_rate",
                                                                   "transfer_rate")]},
    )


@login_required
@require_GET
def mine(request):
    return _agent_page(request, own_agent_or_404(request.user), own=True)


@login_required
@require_GET
def agent(request, pk: int):
    agent = selectors.get_dashboard_agent(request.user, pk)
    return _agent_page(request, agent, own=agent.pk == load_access(request.user).own_agent_id)


@login_required
@require_GET
def overview(request):
    if not selectors.is_staff(request.user):
        raise Http404
    flt = selectors.parse_filters(request.GET)
    data = selectors.overview(request.user, flt)
    chart_options = {
        "chart-volume": charts.volume_and_quality(data["trend"]),
        "chart-teams": charts.teams_csat(data["trend"]),
        "chart-intraday": charts.intraday(data["intraday"]),
    }
    return render(
        request,
        "performance/overview.html",
        {**data, **_filter_context(request, flt, data["queue_options"]), "kpis": KPIS, "charts": chart_options,
         "may_edit_targets": services.may_edit_targets(request.user),
         "may_import": import_spec("interactions").may_import(load_access(request.user)),
         "team_kpis": [KPIS[c] for c in ("volume", "aht", "asa", "fcr", "csat", "transfer_rate")],
         "queue_kpis": [KPIS[c] for c in ("offered", "volume", "service_level", "abandon_rate", "asa", "aht", "csat")]},
    )


# --- exports of the dashboard tables ---------------------------------------------------------

EXPORT_TABLES = {
    # table: (export kind, level, period)
    "ranking": ("kpis", "agent", "total"),
    "team-daily": ("kpis", "team", "day"),
    "teams": ("kpis", "team", "total"),
    "queues": ("kpis", "queue", "total"),
    "daily": ("kpis", "agent", "day"),
    "goals": ("goals", None, None),
    "appraisals": ("appraisals", None, None),
}


@login_required
@require_GET
def table_export(request, table: str, fmt: str):
    if table not in EXPORT_TABLES or fmt not in FORMATS:
        raise Http404
    kind, level, period = EXPORT_TABLES[table]
    flt = selectors.parse_filters(request.GET)
    options = {"start": flt.start, "end": flt.end, "channel": flt.channel, "queue": flt.queue}
    if level:
        options.update(level=level, period=period)
    if request.GET.get("team"):
        options["team"] = selectors.get_dashboard_team(request.user, request.GET["team"]).pk
    if request.GET.get("agent"):
        options["agent"] = selectors.get_dashboard_agent(request.user, request.GET["agent"]).pk
    if request.GET.get("cycle"):
        options["cycle"] = request.GET["cycle"] if request.GET["cycle"].isdigit() else None
    if not load_access(request.user).roles:
        raise Http404
    buffer = io.BytesIO()
    run_export(kind, fmt, buffer, user=request.user, request=request, options=options)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return attach(response, f"{table}-{stamp}.{fmt}")


# --- KPI targets ---------------------------------------------------------------------------------


def _target_form(request, team):
    """The edit form for a team's targets (fallback: the defaults) or the defaults (fallback: built in)."""
    if team is None:
        fallback = {c: format_value(c, KPIS[c].default_target) for c in selectors.TARGET_KPIS}
    else:
        defaults = selectors.targets_for([])[None]
        fallback = {c: format_value(c, defaults.get(c)) for c in selectors.TARGET_KPIS}
    initial = selectors.target_values(team)
    return TargetForm(request.POST or None, initial=initial, codes=selectors.TARGET_KPIS, fallback=fallback)


def _save_targets(request, form, team) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        services.set_targets(request.user, form.values(), team)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("Targets saved."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    if not services.may_edit_targets(request.user):
        raise Http404
    may_edit_defaults = services.may_edit_default_targets(request.user)
    form = _target_form(request, None) if may_edit_defaults else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if _save_targets(request, form, None):
            return redirect("performance:targets")
    teams = list(selectors.target_teams(request.user))
    return render(request, "performance/targets.html",
                  {**selectors.target_overview(teams), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_targets(request, pk: int):
    team = selectors.get_target_team(request.user, pk)
    form = _target_form(request, team)
    if _save_targets(request, form, team):
        return redirect("performance:targets")
    return render(request, "performance/team_targets.html", {"team": team, "form": form})


# --- goals -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goals(request):
    if not load_access(request.user).roles:
        raise Http404
    form = None
    if services.may_set_goals(request.user):
        form = GoalForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")})
        if request.method == "POST" and form.is_valid():
            try:
                goal = services.create_goal(request.user, **form.goal_kwargs())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Goal saved."))
                return redirect("performance:goal_detail", pk=goal.pk)
    elif request.method == "POST":
        raise Http404
    rows = selectors.goal_rows(request.user)
    return render(request, "performance/goals.html", {"rows": rows, "form": form})


@login_required
@require_GET
def goal_detail(request, pk: int):
    goal = selectors.get_visible_goal(request.user, pk)
    children = list(selectors.visible_goals(request.user).filter(parent=goal))
    rows = selectors.goal_progress([goal, *children])
    cascade = cascade_sum(goal.kpi, goal.target, [(c["goal"].target, c["volume"]) for c in rows[1:]]) \
        if children else None
    return render(
        request,
        "performance/goal_detail.html",
        {"row": rows[0], "children": rows[1:], "cascade": cascade,
         "may_cascade": services.may_set_goals(request.user)},
    )


# --- appraisal cycles --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycles(request):
    access = load_access(request.user)
    if not access.roles:
        raise Http404
    form = None
    if services.may_manage_cycles(request.user):
        form = CycleForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            cycle = services.open_cycle(request.user, **form.cleaned_data)
            messages.success(request, _("Cycle opened."))
            return redirect("performance:cycle_detail", pk=cycle.pk)
    elif request.method == "POST":
        raise Http404
    from .models import AppraisalCycle

    visible = appraisal_reads.visible_appraisals(request.user)
    cycle_list = AppraisalCycle.objects.filter(pk__in=visible.values("cycle_id")).order_by("-end")
    mine = None
    if access.own_agent_id:
        mine = visible.filter(agent_id=access.own_agent_id).order_by("-cycle__end")
    return render(request, "performance/cycles.html", {
        "cycles": cycle_list, "form": form, "mine": mine,
        "may_open_cycles": covers_any(request.user, selectors.APPRAISAL_ROLES)})


@login_required
@require_GET
def cycle_detail(request, pk: int):
    if not covers_any(request.user, selectors.APPRAISAL_ROLES):
        raise Http404
    rows = appraisal_reads.appraisal_rows(request.user, cycle_id=pk)
    if not rows:
        from .models import Appraisal, AppraisalCycle

        # An empty cycle is shown to those who manage cycles; one whose appraisals are all
        # outside the user's teams is a 404.
        cycle = AppraisalCycle.objects.filter(pk=pk).first()
        if cycle is None or not services.may_manage_cycles(request.user) or \
                Appraisal.objects.filter(cycle_id=pk).exists():
            raise Http404
    else:
        cycle = rows[0]["appraisal"].cycle
    teams = {}
    for row in rows:
        teams.setdefault(row["appraisal"].team, []).append(row)
    calibration = [
        {"team": t, "rows": rs, "distribution": appraisal_reads.distribution(rs)} for t, rs in teams.items()
    ]
    return render(request, "performance/cycle_detail.html", {"cycle": cycle, "calibration": calibration})


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_detail(request, pk: int):
    appraisal = get_or_404(appraisal_reads.visible_appraisals(request.user), pk)
    access = load_access(request.user)
    own = access.own_agent_id == appraisal.agent_id
    leads = services._leads(request.user, appraisal)
    closed = appraisal.cycle.status == CycleStatus.CLOSED
    self_form = AppraisalSelfForm(prefix="self", initial={"text": appraisal.self_review})
    lead_form = AppraisalLeadForm(
        prefix="lead", initial={"text": appraisal.lead_review, "behaviour_rating": appraisal.behaviour_rating}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "self" and own and not closed:
                self_form = AppraisalSelfForm(request.POST, prefix="self")
                if self_form.is_valid():
                    services.submit_self_review(request.user, appraisal, self_form.cleaned_data["text"])
                    return redirect("performance:appraisal_detail", pk=pk)
            elif action == "lead" and leads and not closed:
                lead_form = AppraisalLeadForm(request.POST, prefix="lead")
                if lead_form.is_valid():
                    services.submit_lead_review(
                        request.user, appraisal, lead_form.cleaned_data["text"],
                        lead_form.cleaned_data["behaviour_rating"],
                    )
                    return redirect("performance:appraisal_detail", pk=pk)
            elif action == "sign" and own:
                services.sign_off(request.user, appraisal)
                return redirect("performance:appraisal_detail", pk=pk)
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Not allowed."))
    card = appraisal_reads.score_appraisals([appraisal])[0]
    return render(
        request,
        "performance/appraisal_detail.html",
        {
            "card": card,
            "appraisal": appraisal,
            "own": own,
            "leads": leads,
            "closed": closed,
            "self_form": self_form,
            "lead_form": lead_form,
            "stages": AppraisalStage,
        },
    )


# --- interaction import with a column mapping ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_interactions(request):
    spec = import_spec("interactions")
    if not spec.may_import(load_access(request.user)):
        raise Http404
    form = InteractionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        mapping = form.cleaned_data["mapping"]
        job = start_job(spec, form.cleaned_data["file"], user=request.user, options={"mapping": mapping} if mapping else None)
        return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "performance/import.html",
        {"form": form, "columns": spec.columns, "presets": PRESETS, "mappings": ColumnMapping.objects.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mappings(request):
    spec = import_spec("interactions")
    if not spec.may_import(load_access(request.user)):
        raise Http404
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mapping(
                request.user, form.cleaned_data["name"], form.cleaned_data["columns"], form.cleaned_data["description"]
            )
        except ValidationError as exc:
            form.add_error("columns", exc)
        else:
            messages.success(request, _("Column mapping saved."))
            return redirect("performance:mappings")
    return render(
        request,
        "performance/mappings.html",
        {"form": form, "mappings": ColumnMapping.objects.all(),
         "preset_labels": join_list(PRESET_LABELS.values()), "fields": [(c.key, c.label) for c in spec.columns],
         "field_keys": FIELD_KEYS},
    )
