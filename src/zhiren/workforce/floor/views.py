"""Floor pages: the live floor, its panel, adherence of a team's day, and state events in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from ..pages import ACTIVITY_LABELS, STATE_LABELS, day_param, errors
from ..scope import approver_teams, get_approver_team
from ..staff import active_agents
from . import selectors, services
from .forms import StateEventForm


@login_required
@require_GET
def adherence(request, pk):
    team = get_approver_team(request.user, pk)
    day = day_param(request, "day", timezone.localdate())
    rows = selectors.adherence_report(active_agents([team.pk]), day)
    return render(
        request,
        "workforce/adherence.html",
        {
            "team": team,
            "day": day,
            "rows": rows,
            "labels": ACTIVITY_LABELS,
            "states": STATE_LABELS,
        },
    )


@login_required
@require_GET
def floor(request):
    teams = selectors.floor_teams(request.user, request.GET.get("team", ""))
    return render(
        request,
        "workforce/floor.html",
        {
            "teams": approver_teams(request.user),
            "chosen": request.GET.get("team", ""),
            "data": selectors.floor(teams),
            "labels": ACTIVITY_LABELS,
            "states": STATE_LABELS,
            "wall": request.GET.get("wall") == "1",
            "form": StateEventForm(),
        },
    )


@login_required
@require_GET
def floor_panel(request):
    teams = selectors.floor_teams(request.user, request.GET.get("team", ""))
    return render(
        request,
        "workforce/_floor_panel.html",
        {"data": selectors.floor(teams), "labels": ACTIVITY_LABELS, "states": STATE_LABELS},
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
    if not approver_teams(request.user).exists():
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
    if not approver_teams(request.user).exists():
        raise Http404
    if form.is_valid():
        try:
            services.ingest_states(
                request.user, [{**form.cleaned_data, "at": timezone.now().isoformat()}]
            )
        except ValidationError as exc:
            messages.error(request, errors(exc))
    team = request.POST.get("team", "")
    return redirect(reverse("workforce:floor") + (f"?team={int(team)}" if team.isdigit() else ""))
