"""Pages of the lead's workspace: the 晨会 (list, page, TV view, actions) and the four-quadrant board."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.coaching.forms import DelegationForm
from zhiren.org.models import Agent, AgentStatus, Team

from . import selectors, services
from .forms import (
    CommentForm,
    DecisionForm,
    IntakeForm,
    PlanForm,
    PointForm,
    ReplyForm,
    ReportEditForm,
    ReportStartForm,
    RequestForm,
    TaskForm,
    WindowForm,
)


def _next_hour(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


@login_required
def huddles(request):
    if not selectors.may_huddle(request.user):
        raise Http404
    now = timezone.now()
    context = selectors.huddle_list(request.user, now)
    context["plan_default"] = _next_hour(now)
    return render(request, "leadership/huddles.html", context)


@login_required
@require_POST
def huddle_plan(request, pk):
    team = selectors.get_huddle_team(request.user, pk)
    form = PlanForm(request.POST)
    start = (
        form.cleaned_data["shift_start"]
        if form.is_valid()
        else services.next_shift_start(team.pk, timezone.now())
    )
    if start is None:
        messages.error(
            request, _("No shift of this team is published for today or tomorrow: give the time.")
        )
        return redirect("leadership:huddles")
    huddle = services.plan_huddle(team, start)
    return redirect("leadership:huddle", huddle.pk)


@login_required
def huddle(request, pk):
    item = selectors.get_huddle(request.user, pk)
    context = selectors.huddle_page(item, timezone.now())
    context["is_lead"] = selectors.may_observe(request.user, item)
    if context["is_lead"]:
        context["moods"] = selectors.mood_grid(item)
        context["faces"] = selectors.mood_faces()
        services.log_mood_reads(
            request.user, [a.pk for a, score in context["moods"] if score], request=request
        )
    context["robots"] = selectors.robot_hooks(request.user)
    context["sends"] = selectors.huddle_sends(item)
    return render(request, "leadership/huddle.html", context)


@login_required
@require_POST
def huddle_send(request, pk):
    """Send the agenda (and the notes, if chosen) to the user's robots; a failed send can be sent again."""
    huddle = selectors.get_huddle(request.user, pk)
    again = request.POST.get("again", "")
    if again.isdigit():
        failed = huddle.sends.filter(pk=int(again), sent_at__isnull=True).first()
        sends = [s for s in [failed and services.send_again(failed, actor=request.user)] if s]
    else:
        hook_ids = [int(v) for v in request.POST.getlist("robots") if v.isdigit()]
        sends = services.send_to_robots(
            huddle,
            actor=request.user,
            hook_ids=hook_ids,
            with_notes=request.POST.get("with_notes") == "1",
        )
    if not sends:
        messages.error(request, _("Choose one of your robots."))
        return redirect("leadership:huddle", huddle.pk)
    # With a worker the sends are still queued; what has already failed is said at once.
    for item in huddle.sends.filter(pk__in=[s.pk for s in sends]).exclude(error=""):
        messages.error(
            request,
            _("Not sent to %(robot)s: %(error)s. Nothing is lost: send it again.")
            % {"robot": item.robot, "error": _(item.error)},
        )
    sent = huddle.sends.filter(pk__in=[s.pk for s in sends], sent_at__isnull=False).count()
    if sent:
        messages.success(request, _("Sent to %(count)s robots.") % {"count": sent})
    elif not huddle.sends.filter(pk__in=[s.pk for s in sends]).exclude(error="").exists():
        messages.info(request, _("Queued for the robots."))
    return redirect("leadership:huddle", huddle.pk)


@login_required
def huddle_tv(request, pk):
    item = selectors.get_huddle(request.user, pk)
    return render(request, "leadership/huddle_tv.html", selectors.tv_page(item))


@login_required
@require_POST
def huddle_run(request, pk):
    huddle = selectors.get_huddle(request.user, pk)
    action = request.POST.get("action", "")
    if action == "start":
        services.start(huddle, actor=request.user)
    elif action == "finish":
        services.finish(huddle, actor=request.user, notes=request.POST.get("notes", ""))
        messages.success(request, _("Huddle recorded."))
    elif action == "attendance":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        count = services.record_attendance(huddle, present, actor=request.user)
        messages.success(request, _("Attendance recorded: %(count)s present.") % {"count": count})
    elif action == "moods":
        scores: dict[int, int | None] = {}
        for agent_id, raw in _mood_fields(request.POST):
            scores[agent_id] = None if raw == "0" else int(raw)
        try:
            count = services.record_moods(huddle, scores, actor=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Saved %(n)d observed moods.") % {"n": count})
    elif action == "point":
        form = PointForm(request.POST)
        if form.is_valid():
            services.add_point(
                huddle,
                actor=request.user,
                text=form.cleaned_data["text"],
                follow_up=form.cleaned_data["follow_up"],
                private=form.cleaned_data["private"],
            )
        else:
            messages.error(request, _("Write the point first."))
    return redirect("leadership:huddle", huddle.pk)


def _mood_fields(data):
    """``mood-<agent id>`` fields with a value: 1–5, or 0 to clear (blank: left as it is)."""
    for name, raw in data.items():
        agent_id = name.removeprefix("mood-")
        if name.startswith("mood-") and agent_id.isdigit() and raw.isdigit():
            yield int(agent_id), raw


@login_required
@require_POST
def huddle_item(request, pk):
    item = selectors.get_item(request.user, pk)
    action = request.POST.get("action", "")
    if action in services.ITEM_ACTIONS:
        services.update_point(item, action, actor=request.user, text=request.POST.get("text", ""))
    return redirect("leadership:huddle", item.huddle_id)


@login_required
def board(request):
    if not selectors.may_board(request.user):
        raise Http404
    today = timezone.localdate()
    context = selectors.board(request.user, today)
    services.note_quadrants(
        request.user, [c for _, _, cards in context["quadrants"] for c in cards], today
    )
    services.log_card_reads(
        request.user, context["shown"], purpose="four-quadrant board", request=request
    )
    context["task_form"] = TaskForm()
    return render(request, "leadership/board.html", context)


@login_required
@require_POST
def board_task(request):
    if not selectors.may_board(request.user):
        raise Http404
    form = TaskForm(request.POST)
    if form.is_valid():
        services.add_task(
            request.user,
            title=form.cleaned_data["title"],
            due=form.cleaned_data["due"],
            important=form.cleaned_data["important"] or "",
        )
    else:
        messages.error(request, _("Give the task a title."))
    return redirect("leadership:board")


@login_required
@require_POST
def board_decide(request):
    if not selectors.may_board(request.user):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the card."))
        return redirect("leadership:board")
    data = form.cleaned_data
    if data["action"] == "delegate":
        # Handing work over goes through the six guiding questions (coaching's 引导六问).
        query = urlencode({"agent": data["delegate_to"] or ""})
        return redirect(f"{reverse('leadership:board_delegate', args=[data['key']])}?{query}")
    try:
        services.decide(
            request.user,
            data["key"],
            data["action"],
            quadrant=data["quadrant"] or 0,
            scheduled_for=data["scheduled_for"],
            note=data["note"],
            minutes=data["minutes"],
        )
    except ValueError:
        messages.error(request, _("Delegate to someone of your team, or schedule for a day."))
    return redirect("leadership:board")


@login_required
def board_delegate(request, key):
    """Delegate a card by walking through the six guiding questions with the chosen agent in mind."""
    if not selectors.may_board(request.user):
        raise Http404
    today = timezone.localdate()
    params = request.POST if request.method == "POST" else request.GET
    card = selectors.find_card(request.user, key, today)
    if card is None:
        raise Http404
    agent_id = params.get("agent", "")
    agent = (
        Agent.objects.filter(
            pk=agent_id,
            team_id__in=selectors.led_team_ids(request.user),
            status=AgentStatus.ACTIVE,
        ).first()
        if agent_id.isdigit()
        else None
    )
    if request.method == "POST" and agent is None:
        messages.error(request, _("Delegate to someone of your team."))
        return redirect("leadership:board_delegate", key)
    context = selectors.delegate_page(request.user, card, agent, today)
    form = DelegationForm(
        request.POST if request.method == "POST" and agent else None,
        questions=context["questions"],
        initial={"title": card.display, "check_on": context["check_on"]},
    )
    if request.method == "POST" and agent and form.is_valid():
        try:
            services.delegate_card(
                request.user,
                card,
                agent,
                title=form.cleaned_data["title"],
                answers=form.answers(),
                check_on=form.cleaned_data["check_on"],
            )
        except (ValidationError, PermissionError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Delegated to %(name)s.") % {"name": agent.name})
            return redirect("leadership:board")
    services.log_card_reads(request.user, [card], purpose="four-quadrant board", request=request)
    context["form"] = form
    return render(request, "leadership/delegate.html", context)


@login_required
def board_review(request):
    if not selectors.may_board(request.user):
        raise Http404
    context = selectors.weekly_review(request.user, timezone.localdate())
    services.log_card_reads(
        request.user, context["shown"], purpose="weekly quadrant review", request=request
    )
    return render(request, "leadership/review.html", context)


@login_required
@require_POST
def board_window(request):
    if not selectors.may_board(request.user):
        raise Http404
    form = WindowForm(request.POST)
    if form.is_valid():
        services.set_window(request.user, form.cleaned_data["window_days"])
    return redirect("leadership:board")


# --- 请示 -----------------------------------------------------------------------------------------


@login_required
def requests(request):
    if not selectors.may_see_requests(request.user):
        raise Http404
    context = selectors.requests_page(request.user)
    return render(request, "leadership/requests.html", context)


@login_required
def request_new(request):
    if not selectors.may_request(request.user):
        raise Http404
    teams = Team.objects.filter(pk__in=selectors.led_team_ids(request.user)).order_by("code")
    today = timezone.localdate()
    preview = selectors.evidence_preview(request.user, teams, request.GET, today)
    form = RequestForm(request.POST or None, teams=teams, tables=preview["tables"])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = data["team"] or teams[0]
        try:
            item = services.submit_request(
                author=request.user,
                team=team,
                subject=data["subject"],
                background=data["background"],
                options=form.option_list(),
                recommended=data["recommended"] - 1,
                evidence=data["evidence"],
                evidence_data=services.evidence_snapshot(
                    team, data["period"] or "week", data["tables"], today
                ),
            )
        except ValueError as exc:
            for problem in exc.args[0]:
                form.add_error(None, _(problem))
        else:
            return redirect("leadership:request", item.pk)
    return render(request, "leadership/request_new.html", {"form": form, **preview})


@login_required
def request_detail(request, pk):
    item = selectors.get_request(request.user, pk)
    return render(request, "leadership/request.html", selectors.request_page(request.user, item))


@login_required
@require_POST
def request_reply(request, pk):
    item = selectors.get_request(request.user, pk)
    if not selectors.request_page(request.user, item)["may_answer"]:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(
                item,
                author=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ValueError:
            messages.error(request, _("This request has been decided already."))
    return redirect("leadership:request", item.pk)


# --- 汇报 and the task intake ---------------------------------------------------------------------


def _led_teams(user):
    return Team.objects.filter(pk__in=selectors.led_team_ids(user)).order_by("code")


@login_required
def reports(request):
    if not selectors.may_see_requests(request.user):
        raise Http404
    context = selectors.reports_page(request.user)
    context["start_form"] = ReportStartForm(teams=_led_teams(request.user))
    return render(request, "leadership/reports.html", context)


@login_required
@require_POST
def report_new(request):
    if not selectors.may_request(request.user):
        raise Http404
    teams = _led_teams(request.user)
    form = ReportStartForm(request.POST, teams=teams)
    if not form.is_valid() or not teams:
        messages.error(request, _("Choose the kind of report."))
        return redirect("leadership:reports")
    item = services.draft_report(
        author=request.user, team=form.cleaned_data["team"] or teams[0], kind=form.cleaned_data["kind"]
    )
    return redirect("leadership:report", item.pk)


@login_required
def report_detail(request, pk):
    item = selectors.get_report(request.user, pk)
    context = selectors.report_page(request.user, item)
    context["form"] = ReportEditForm(initial={"title": item.title, "body": item.body})
    return render(request, "leadership/report.html", context)


@login_required
@require_POST
def report_edit(request, pk):
    item = selectors.get_report(request.user, pk)
    if not selectors.report_page(request.user, item)["editable"]:
        raise Http404
    form = ReportEditForm(request.POST)
    if form.is_valid():
        send = request.POST.get("action") == "send"
        services.save_report(
            item, title=form.cleaned_data["title"], body=form.cleaned_data["body"], send=send
        )
        messages.success(request, _("Report sent to your manager.") if send else _("Draft saved."))
    else:
        messages.error(request, _("Give the report a title."))
    return redirect("leadership:report", item.pk)


@login_required
@require_POST
def report_comment(request, pk):
    item = selectors.get_report(request.user, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError("empty")
        services.comment_report(item, author=request.user, text=form.cleaned_data["text"])
    except ValueError:
        messages.error(request, _("Write the comment on a sent report."))
    return redirect("leadership:report", item.pk)


@login_required
def intake(request):
    if not selectors.may_board(request.user):
        raise Http404
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.take_in_task(
            request.user,
            title=data["title"],
            given_by=data["given_by"],
            goal=data["goal"],
            deadline=data["deadline"],
            resources=data["resources"],
            standards=data["standards"],
            report_to=data["report_to"],
            important=data["important"] or "",
        )
        messages.success(request, _("Task taken in and put on your board."))
        return redirect("leadership:intake")
    return render(
        request, "leadership/intake.html", {"form": form, "intakes": selectors.intakes(request.user)}
    )


# --- the lead's growth self-check ---------------------------------------------------------------


@login_required
def growth(request):
    if not selectors.may_see_requests(request.user):
        raise Http404
    today = timezone.localdate()
    if request.method == "POST":
        teams = _led_teams(request.user)
        if not teams:
            raise Http404
        ratings = {
            code: int(request.POST.get(code, ""))
            for code, _label in selectors.growth_page(request.user, today)["abilities"]
            if request.POST.get(code, "").isdigit()
        }
        try:
            check = services.take_self_check(
                request.user, team=teams[0], ratings=ratings, note=request.POST.get("note", "")
            )
        except ValueError:
            messages.error(request, _("Rate each of the seven abilities from 1 to 5."))
        else:
            return redirect("leadership:self_check", check.pk)
    return render(request, "leadership/growth.html", selectors.growth_page(request.user, today))


@login_required
def self_check(request, pk):
    check = selectors.get_self_check(request.user, pk)
    services.log_self_check_read(request.user, check, request=request)
    return render(request, "leadership/self_check.html", selectors.self_check_page(request.user, check))


@login_required
@require_POST
def self_check_share(request, pk):
    check = selectors.get_self_check(request.user, pk)
    if check.owner_id != request.user.pk:
        raise Http404
    services.share_self_check(check, actor=request.user, shared=request.POST.get("shared") == "1")
    return redirect("leadership:self_check", check.pk)
