"""Wellbeing pages. Thin: forms parse, services write, selectors read. Denial is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.org.access import load_access
from zhiren.org.models import Agent, AgentStatus, Role
from zhiren.org.scoping import get_or_404, own_agent

from . import selectors, services
from .forms import AlertActionForm, BoardMessageForm, BuddyEndForm, BuddyPairForm, CheckInForm
from .models import FACES, AlertStatus, BoardMessage, Cause, Score


def _faces():
    return [{"value": v, "label": label, "face": FACES[v]} for v, label in reversed(Score.choices)]


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", "") or request.POST.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def check_in(request):
    agent = own_agent(request.user)
    if agent is None:
        raise Http404
    today = timezone.localdate()
    entry = selectors.today_check_in(agent, today)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.record_check_in(
                request.user, score=data["score"], causes=data["causes"], note=data["note"],
                keep_details=data["quick"],
            )
            if data["quick"]:
                messages.success(request, _("Thanks — saved. Add what's behind it if you like."))
                return redirect("wellbeing:check_in")
            messages.success(request, _("Thanks — your check-in is saved."))
            return redirect("core:home")
    else:
        initial = {"score": entry.score, "causes": entry.causes, "note": entry.note} if entry else {}
        form = CheckInForm(initial=initial)
    return render(request, "wellbeing/check_in.html", {
        "form": form, "entry": entry, "faces": _faces(), "causes": Cause.choices, "agent": agent,
        "selected_causes": form["causes"].value() or [],
    })


@login_required
def my_moods(request):
    agent = own_agent(request.user)
    if agent is None:
        raise Http404
    return _agent_page(request, agent, own=True)


@login_required
def agent_moods(request, pk: int):
    agent = selectors.get_mood_agent(request.user, pk)
    return _agent_page(request, agent, own=agent.pk == load_access(request.user).own_agent_id)


def _agent_page(request, agent: Agent, *, own: bool):
    today = timezone.localdate()
    points = selectors.mood_history(agent, today)
    services.log_note_read(
        request.user, agent.pk, purpose="own mood history" if own else "mood history", request=request
    )
    return render(request, "wellbeing/agent_moods.html", {
        "agent": agent,
        "own": own,
        "points": points,
        "chart": selectors.chart_series(points),
        "cycles": selectors.agent_cycles(agent),
        "alerts": [] if own else selectors.agent_alerts(agent),
        "pairs": selectors.agent_buddy_pairs(agent),
        "talk_url": selectors.talk_url(agent.pk) if services.may_lead(request.user, agent.team_id) else None,
    })


@login_required
def team_grid(request, pk: int):
    team = selectors.get_led_team(request.user, pk)
    day = _day(request)
    if request.method == "POST":
        scores = {}
        for row in selectors.team_grid(team, day):
            raw = request.POST.get(f"score-{row['agent'].pk}", "")
            if raw == "":
                continue
            scores[row["agent"].pk] = None if raw == "0" else raw
        try:
            saved = services.record_observed(request.user, team, day, scores)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Saved %(n)d observed moods.") % {"n": saved})
            return redirect(f"{request.path}?day={day.isoformat()}")
    return render(request, "wellbeing/team_grid.html", {
        "team": team, "day": day, "rows": selectors.team_grid(team, day), "faces": _faces(),
        "teams": selectors.led_teams(request.user),
    })


def _require_alert_viewer(request) -> None:
    if not selectors.may_see_alerts(request.user):
        raise Http404


@login_required
def alert_list(request):
    _require_alert_viewer(request)
    status = request.GET.get("status", AlertStatus.OPEN)
    if status not in AlertStatus.values and status != "all":
        status = AlertStatus.OPEN
    qs = selectors.visible_alerts(request.user, None if status == "all" else status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "wellbeing/alert_list.html", {
        "page": page, "status": status, "statuses": AlertStatus.choices,
        "querystring": f"status={status}",
    })


@login_required
def alert_detail(request, pk: int):
    alert = selectors.get_visible_alert(request.user, pk)
    if request.method == "POST":
        form = AlertActionForm(request.POST)
        if form.is_valid():
            try:
                services.record_alert_action(
                    request.user, alert, action=form.cleaned_data["action"],
                    note=form.cleaned_data["note"], dismiss=form.cleaned_data["dismiss"],
                    request=request,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            messages.success(request, _("Recorded. Thank you for looking after your team."))
            return redirect("wellbeing:alert_detail", pk=alert.pk)
    else:
        initial = {"action": alert.suggested[0]} if alert.suggested else {}
        form = AlertActionForm(initial=initial)
    return render(request, "wellbeing/alert_detail.html", {
        "alert": alert, "form": form, "talk_url": (selectors.talk_url(alert.agent_id)
                     if services.may_lead(request.user, alert.agent.team_id) else None),
        "evidence_rows": list(zip(alert.evidence.get("days", []), alert.evidence.get("scores", []),
                                  strict=False)),
        "may_act": services.may_act_on(request.user, alert.agent),
        "may_lead": services.may_lead(request.user, alert.agent.team_id),
    })


@login_required
def board(request):
    teams = selectors.board_teams(request.user)
    if not teams:
        raise Http404
    access = load_access(request.user)
    wanted = request.GET.get("team") or access.own_team_id or teams[0].pk
    team = selectors.get_board_team(request.user, wanted)
    today = timezone.localdate()
    is_staff_viewer = access.has_role(*(set(Role.values) - {Role.AGENT}))
    return render(request, "wellbeing/board.html", {
        "board": selectors.team_board(team, today),
        "messages_list": selectors.board_messages(team),
        "teams": teams,
        "team": team,
        "summary": selectors.teams_summary(teams, today) if is_staff_viewer and len(teams) > 1 else None,
        "may_post": _may_post(request.user, team.pk),
        "may_lead": services.may_lead(request.user, team.pk),
        "form": BoardMessageForm(),
    })


def _may_post(user, team_id: int) -> bool:
    access = load_access(user)
    return access.own_team_id == team_id or services.may_lead(user, team_id)


@login_required
@require_POST
def board_post(request, pk: int):
    team = selectors.get_board_team(request.user, pk)
    if not _may_post(request.user, team.pk):
        raise Http404
    form = BoardMessageForm(request.POST)
    if form.is_valid():
        services.post_board_message(
            request.user, team, form.cleaned_data["body"], signed=form.cleaned_data["signed"]
        )
        messages.success(request, _("Your message is on the board."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{_board_url()}?team={team.pk}")


def _board_url() -> str:
    from django.urls import reverse

    return reverse("wellbeing:board")


@login_required
@require_POST
def board_hide(request, pk: int):
    message = get_or_404(BoardMessage.objects.filter(hidden=False), pk)
    selectors.get_board_team(request.user, message.team_id)
    try:
        services.hide_board_message(request.user, message)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The message is hidden."))
    return redirect(f"{_board_url()}?team={message.team_id}")


@login_required
def buddy_list(request):
    _require_alert_viewer(request)
    teams = list(selectors.led_teams(request.user))
    agents = Agent.objects.filter(team__in=teams, status=AgentStatus.ACTIVE).select_related("team")
    form = None
    if teams:
        form = BuddyPairForm(request.POST or None, agents=agents.order_by("team__code", "employee_no"),
                             initial={"buddy": request.GET.get("buddy")})
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.start_buddy_pair(
                    request.user, helper=data["helper"], buddy=data["buddy"], reason=data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Buddy pair started."))
                return redirect("wellbeing:buddy_list")
    pairs = selectors.buddy_pairs(request.user)
    return render(request, "wellbeing/buddy_list.html", {
        "form": form,
        "active": [p for p in pairs if p.active],
        "history": [p for p in pairs if not p.active][:100],
        "end_form": BuddyEndForm(),
    })


@login_required
@require_POST
def buddy_end(request, pk: int):
    pair = selectors.get_buddy_pair(request.user, pk)
    form = BuddyEndForm(request.POST)
    form.is_valid()
    try:
        services.end_buddy_pair(request.user, pair, outcome=form.cleaned_data.get("outcome", ""))
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Buddy pair ended."))
    return redirect("wellbeing:buddy_list")
