"""Coaching pages. Thin: selectors read (scoped, audited), services write; 404 on anything not allowed."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.core.downloads import attach
from zhiren.core.registries import wall_feeds
from zhiren.core.text import join_list
from zhiren.core.versioning import StaleEdit
from zhiren.imports.exporting import neutralise, write_csv
from zhiren.org.access import load_access

from . import providers, selectors, services
from .forms import (
    CheckInForm,
    ClosePlanForm,
    CommitmentForm,
    DelegationForm,
    FeedbackForm,
    FollowUpForm,
    GrowForm,
    InterferenceForm,
    PlanForm,
    PlanGoalForm,
    QuestionForm,
    RatingForm,
    RemoveInterferenceForm,
    SkillForm,
)
from .guidance import THREE_BELIEFS, WILLINGNESS_ELEMENTS, check_after_days, delegation_questions
from .models import FeedbackKind, GrowQuestion, GrowStage, InterferenceKind, PlanStatus


def _lead_agent(request, pk):
    return selectors.get_led_agent(request.user, pk)


# --- overview and map -----------------------------------------------------------------------


@login_required
def home(request):
    access = load_access(request.user)
    teams = list(selectors.coached_teams(request.user))
    if not teams:
        if access.own_agent_id:
            return redirect("coaching:agent", pk=access.own_agent_id)
        raise Http404
    if len(teams) == 1:
        return redirect("coaching:team_map", pk=teams[0].pk)
    return render(request, "coaching/home.html", {"teams": teams})


@login_required
def team_map(request, pk: int):
    team = selectors.get_team(request.user, pk)
    context = selectors.team_map(team, timezone.localdate())
    context["is_lead"] = selectors.is_lead(request.user)
    return render(request, "coaching/team_map.html", context)


@login_required
def agent(request, pk: int):
    target = selectors.get_agent(request.user, pk)
    context = selectors.agent_page(request.user, target, timezone.localdate(), request=request)
    context["beliefs"] = THREE_BELIEFS
    context["interference_kinds"] = InterferenceKind.choices
    return render(request, "coaching/agent.html", context)


@login_required
def rate(request, pk: int):
    target = selectors.get_agent(request.user, pk)
    is_self = load_access(request.user).own_agent_id == target.pk
    if not is_self and not selectors.is_lead_of(request.user, target):
        raise Http404
    form = RatingForm(request.POST or None, is_self=is_self)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_state(
                request.user, target, motivation=data["motivation"], confidence=data["confidence"],
                commitment=data["commitment"], ability=data.get("ability"), evidence=data["evidence"],
                rated_on=data["rated_on"], request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rating saved."))
            return redirect("coaching:agent", pk=target.pk)
    return render(request, "coaching/rate.html", {
        "agent": target, "form": form, "is_self": is_self, "elements": WILLINGNESS_ELEMENTS,
    })


@login_required
def skill(request, pk: int):
    target = _lead_agent(request, pk)
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assess_skill(request.user, target, d["skill"], d["score"], note=d["note"],
                                  assessed_on=d["assessed_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Skill assessment saved."))
            return redirect("coaching:agent", pk=target.pk)
    return render(request, "coaching/form.html", {
        "agent": target, "form": form, "title": _("Assess a skill"), "submit": _("Save"),
    })


@login_required
def export(request, pk: int):
    target = selectors.get_agent(request.user, pk)
    headers, rows = selectors.export_rows(request.user, target, request=request)
    buffer = io.BytesIO()
    write_csv(headers, ([neutralise(v) for v in row] for row in rows), buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attach(response, f"zhiren-coaching-{target.employee_no}.csv")


# --- feedback -------------------------------------------------------------------------------------


@login_required
def feedback_create(request, pk: int):
    target = _lead_agent(request, pk)
    initial = {"kind": FeedbackKind.CORRECTIVE if request.GET.get("kind") == "bid" else FeedbackKind.PRAISE}
    if request.GET.get("kpi"):
        initial["kpi"] = request.GET["kpi"]
    # A draft offered by another module (quality: after a low or a top QA score) pre-fills these.
    for field, param, limit in (("interaction_ref", "interaction", 100), ("behavior", "behavior", 2000)):
        if request.GET.get(param):
            initial[field] = request.GET[param][:limit]
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            feedback = services.record_feedback(
                request.user, target, d["kind"], behavior=d["behavior"], impact=d["impact"],
                appreciation=d["appreciation"], desired=d["desired"], given_on=d["given_on"], kpi=d["kpi"],
                interaction_ref=d["interaction_ref"], share=d["share"], request=request,
                beliefs_shown=d["beliefs_shown"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect("coaching:feedback_detail", pk=feedback.pk)
    return render(request, "coaching/feedback_form.html", {"agent": target, "form": form, "beliefs": THREE_BELIEFS})


@login_required
def feedback_detail(request, pk: int):
    feedback = selectors.get_feedback(request.user, pk, request=request)
    return render(request, "coaching/feedback_detail.html", {
        "feedback": feedback, "agent": feedback.agent, "is_lead": selectors.is_lead_of(request.user, feedback.agent),
        "kpi_label": providers.kpi_label(feedback.kpi) if feedback.kpi else "",
    })


@login_required
@require_POST
def feedback_share(request, pk: int):
    feedback = selectors.get_feedback(request.user, pk, audited=False)
    if not feedback.is_praise or not selectors.is_lead_of(request.user, feedback.agent):
        raise Http404  # there is no way to share corrective feedback
    services.share_praise(request.user, feedback)
    messages.success(request, _("Shared on the team's recognition wall."))
    return redirect("coaching:feedback_detail", pk=feedback.pk)


@login_required
@require_POST
def feedback_unshare(request, pk: int):
    feedback = selectors.get_feedback(request.user, pk, audited=False)
    if not feedback.is_praise or not selectors.is_lead_of(request.user, feedback.agent):
        raise Http404
    services.unshare_praise(request.user, feedback)
    messages.success(request, _("Removed from the recognition wall."))
    return redirect("coaching:feedback_detail", pk=feedback.pk)


@login_required
def wall(request):
    access = load_access(request.user)
    teams = list(selectors.wall_teams(request.user))
    if not teams:
        raise Http404
    own = next((t for t in teams if t.pk == access.own_team_id), None)
    led = list(selectors.coached_teams(request.user).filter(pk__in=[t.pk for t in teams])[:1])
    team = own or (led[0] if led else teams[0])
    return redirect("coaching:team_wall", pk=team.pk)


@login_required
def team_wall(request, pk: int):
    team = selectors.get_wall_team(request.user, pk)
    fed = sorted((item for feed in wall_feeds.values() for item in feed(team.pk)),
                 key=lambda item: item.day, reverse=True)
    return render(request, "coaching/wall.html", {
        "team": team, "items": selectors.team_wall(team), "teams": selectors.wall_teams(request.user),
        "fed": fed,
    })


# --- GROW --------------------------------------------------------------------------------------------


@login_required
def grow_create(request, pk: int):
    target = _lead_agent(request, pk)
    form = GrowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.record_grow_session(
                request.user, target, held_on=d["held_on"], topic=d["topic"], goal=d["goal"],
                reality=d["reality"], options=d["options"], will=d["will"],
                questions=[q.pk for q in d["questions"]],
                commitments=[(d["commitment"], d["commitment_due"])] if d.get("commitment") else [],
                interferences=[(d["interference_kind"], d["interference"])] if d.get("interference") else [],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("GROW session recorded."))
            return redirect("coaching:grow_detail", pk=session.pk)
    language = get_language()
    bank = selectors.question_bank()
    stages = [
        {"code": code, "field": form[code], "questions": [(q.pk, q.text_for(language)) for q in bank[code]]}
        for code in ("goal", "reality", "options", "will")
    ]
    return render(request, "coaching/grow_form.html", {
        "agent": target, "form": form, "stages": stages, "beliefs": THREE_BELIEFS,
        "state": selectors.agent_states([target], timezone.localdate())[target.pk],
    })


@login_required
def grow_detail(request, pk: int):
    session = selectors.get_session(request.user, pk)
    language = get_language()
    asked = [q.text_for(language) for q in GrowQuestion.objects.filter(pk__in=session.questions_used)]
    access = load_access(request.user)
    return render(request, "coaching/grow_detail.html", {
        "session": session, "agent": session.agent, "asked": asked, "beliefs": THREE_BELIEFS,
        "commitments": session.commitments.all(), "interferences": session.interferences.all(),
        "is_lead": selectors.is_lead_of(request.user, session.agent),
        "is_self": access.own_agent_id == session.agent_id, "today": timezone.localdate(),
        "commitment_form": CommitmentForm(), "interference_form": InterferenceForm(),
    })


@login_required
@require_POST
def commitment_add(request, pk: int):
    session = selectors.get_session(request.user, pk)
    if not selectors.is_lead_of(request.user, session.agent):
        raise Http404
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.add_commitment(request.user, session, form.cleaned_data["description"],
                                    form.cleaned_data["due_on"])
            messages.success(request, _("Commitment added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Describe the commitment and give it a due date."))
    return redirect("coaching:grow_detail", pk=session.pk)


@login_required
@require_POST
def commitment_follow_up(request, pk: int):
    commitment = selectors.get_commitment(request.user, pk)
    agent_ = commitment.session.agent
    if load_access(request.user).own_agent_id != agent_.pk and not selectors.is_lead_of(request.user, agent_):
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.follow_up_commitment(request.user, commitment, note=form.cleaned_data["note"],
                                      done=form.cleaned_data["done"])
        messages.success(request, _("Follow-up saved."))
    return redirect("coaching:grow_detail", pk=commitment.session_id)


@login_required
@require_POST
def interference_create(request, pk: int):
    target = _lead_agent(request, pk)
    form = InterferenceForm(request.POST)
    session = None
    if request.POST.get("session"):
        session = selectors.get_session(request.user, request.POST["session"])
        if session.agent_id != target.pk:
            raise Http404
    if form.is_valid():
        services.record_interference(request.user, target, form.cleaned_data["kind"],
                                     form.cleaned_data["description"], session=session)
        messages.success(request, _("Interference recorded."))
    else:
        messages.error(request, _("Choose the kind and describe what gets in the way."))
    if session is not None:
        return redirect("coaching:grow_detail", pk=session.pk)
    return redirect("coaching:agent", pk=target.pk)


@login_required
@require_POST
def interference_remove(request, pk: int):
    item = selectors.get_interference(request.user, pk)
    if not selectors.is_lead_of(request.user, item.agent):
        raise Http404
    form = RemoveInterferenceForm(request.POST)
    form.is_valid()
    services.remove_interference(request.user, item, form.cleaned_data.get("note", ""))
    messages.success(request, _("Marked as removed."))
    return redirect("coaching:agent", pk=item.agent_id)


@login_required
def questions(request):
    if not selectors.may_edit_questions(request.user):
        raise Http404
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_question(request.user, form.cleaned_data)
        messages.success(request, _("Question added."))
        return redirect("coaching:questions")
    language = get_language()
    bank = selectors.question_bank(active_only=False)
    return render(request, "coaching/questions.html", {
        "form": form, "language": language,
        "bank": [(code, label, [(q, q.text_for(language)) for q in bank[code]]) for code, label in GrowStage.choices],
    })


@login_required
def question_edit(request, pk: int):
    if not selectors.may_edit_questions(request.user):
        raise Http404
    question = get_object_or_404(GrowQuestion, pk=pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(request.user, form.cleaned_data, question, version=form.opened_version)
        except StaleEdit as exc:
            form.reject_stale(exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("coaching:questions")
    return render(request, "coaching/form.html", {
        "form": form, "title": _("Edit a GROW question"), "submit": _("Save"),
        "cancel": "coaching:questions",
    })


# --- improvement plans ----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    access = load_access(request.user)
    lead = selectors.is_lead(request.user)
    if not (lead or selectors.coached_teams(request.user).exists() or access.own_agent_id):
        raise Http404
    plans = list(selectors.visible_plans(request.user).prefetch_related("goals")[:100])
    for plan in plans:
        plan.kpi_labels = join_list(providers.kpi_label(g.kpi) for g in plan.goals.all())
    candidates = selectors.plan_candidates(request.user, timezone.localdate()) if lead else []
    return render(request, "coaching/plan_list.html", {
        "plans": plans, "candidates": candidates, "is_lead": lead,
    })


@login_required
def plan_create(request, pk: int):
    target = _lead_agent(request, pk)
    kpi = request.GET.get("kpi") or ""
    today = timezone.localdate()
    goal, history = _plan_goal_initial(target, kpi, today)
    initial = {"review_on": today + timedelta(days=42), "started_on": today, **goal}
    form = PlanForm(request.POST or None, initial=initial, agent=target)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.start_plan(
                request.user, target, goals=form.goals(), review_on=d["review_on"], started_on=d["started_on"],
                reason=d["reason"], training=d["training"], buddy=d["buddy"],
                coaching_every_days=d["coaching_every_days"], request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Improvement plan started."))
            return redirect("coaching:plan_detail", pk=plan.pk)
    return render(request, "coaching/plan_form.html", {
        "agent": target, "form": form, "history": history, "kpi_label": providers.kpi_label(kpi) if kpi else "",
    })


@login_required
def plan_detail(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    plan_goals = list(plan.goals.all())
    histories = providers.kpi_histories(plan.agent, {g.kpi for g in plan_goals}, 6, timezone.localdate())
    goals = [
        {"goal": g, "label": providers.kpi_label(g.kpi), "baseline": providers.kpi_format(g.kpi, g.baseline),
         "target": providers.kpi_format(g.kpi, g.target), "history": histories[g.kpi]}
        for g in plan_goals
    ]
    return render(request, "coaching/plan_detail.html", {
        "plan": plan, "agent": plan.agent, "goals": goals, "check_ins": plan.check_ins.all(),
        "is_lead": selectors.is_lead_of(request.user, plan.agent), "active": plan.status == PlanStatus.ACTIVE,
        "check_in_form": CheckInForm(), "close_form": ClosePlanForm(),
    })


def _plan_goal_initial(agent, kpi: str, today) -> tuple[dict, dict | None]:
    """Baseline (the mean of the last six weeks known) and target (the team's, or the metric's) of a goal."""
    if not providers.known_kpi(kpi):
        return {}, None
    initial: dict = {"kpi": kpi}
    history = providers.kpi_history(agent, kpi, 6, today)
    if history["target"] is not None:
        initial["target"] = history["target"]
    known = [w["value"] for w in history["weeks"] if w["value"] is not None]
    if known:
        initial["baseline"] = round(sum(known) / len(known), 2)
    return initial, history


@login_required
def plan_goal_add(request, pk: int):
    """Add a goal to an active plan, prefilled from ``?kpi=`` (quality links here for a failed criterion)."""
    plan = selectors.get_plan(request.user, pk)
    if not selectors.is_lead_of(request.user, plan.agent) or plan.status != PlanStatus.ACTIVE:
        raise Http404
    kpi = request.GET.get("kpi") or ""
    initial, history = _plan_goal_initial(plan.agent, kpi, timezone.localdate())
    form = PlanGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_goal(request.user, plan, **form.cleaned_data, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Goal added to the plan."))
            return redirect("coaching:plan_detail", pk=plan.pk)
    return render(request, "coaching/plan_goal_form.html", {
        "plan": plan, "agent": plan.agent, "form": form, "history": history,
        "kpi_label": providers.kpi_label(kpi) if kpi else ""})


@login_required
@require_POST
def plan_check_in(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    if not selectors.is_lead_of(request.user, plan.agent):
        raise Http404
    form = CheckInForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the progress and write a note."))
        services.check_in_plan(request.user, plan, **form.cleaned_data)
        messages.success(request, _("Check-in recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coaching:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_close(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    if not selectors.is_lead_of(request.user, plan.agent):
        raise Http404
    form = ClosePlanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how the plan ended and describe the outcome."))
        services.close_plan(request.user, plan, status=form.cleaned_data["status"],
                            outcome=form.cleaned_data["outcome"], request=request)
        messages.success(request, _("Plan closed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coaching:plan_detail", pk=plan.pk)


# --- delegation ----------------------------------------------------------------------------------------


@login_required
def delegation_create(request, pk: int):
    target = _lead_agent(request, pk)
    today = timezone.localdate()
    state = selectors.agent_states([target], today)[target.pk]
    questions_ = delegation_questions(state.state)
    initial = {"check_on": today + timedelta(days=check_after_days(state.state))}
    form = DelegationForm(request.POST or None, initial=initial, questions=questions_)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.delegate_task(request.user, target, form.cleaned_data["title"], form.answers(),
                                          check_on=form.cleaned_data["check_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Task delegated."))
            return redirect("coaching:delegation_detail", pk=item.pk)
    return render(request, "coaching/delegation_form.html", {
        "agent": target, "form": form, "state": state, "questions": questions_,
        "check_days": check_after_days(state.state),
    })


@login_required
def delegation_detail(request, pk: int):
    item = selectors.get_delegation(request.user, pk)
    access = load_access(request.user)
    answers = [(q, getattr(item, "check_how" if q["code"] == "check" else q["code"]))
               for q in delegation_questions(item.state)]
    return render(request, "coaching/delegation_detail.html", {
        "item": item, "agent": item.agent, "answers": answers,
        "may_complete": access.own_agent_id == item.agent_id or selectors.is_lead_of(request.user, item.agent),
    })


@login_required
@require_POST
def delegation_done(request, pk: int):
    item = selectors.get_delegation(request.user, pk)
    if load_access(request.user).own_agent_id != item.agent_id and not selectors.is_lead_of(request.user, item.agent):
        raise Http404
    services.complete_delegation(request.user, item)
    messages.success(request, _("Marked as done."))
    return redirect("coaching:delegation_detail", pk=item.pk)
