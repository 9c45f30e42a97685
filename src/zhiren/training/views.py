"""Training pages: thin, they parse, call a selector or a service, and render.

Denial is a 404 (the scoped querysets of ``selectors``); a refused change is a message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.org.access import load_access
from zhiren.org.models import Role
from zhiren.org.scoping import NO_ROLE, get_or_404, own_agent, own_agent_or_404
from zhiren.placement.models import KnowHow
from zhiren.quality.models import Evaluation, EvaluationKind, EvaluationStatus
from zhiren.quality.selectors import QA_ROLES

from . import effect as training_effect
from . import itemstats, selectors, services
from .forms import (
    CohortForm,
    GoalFormSet,
    MilestoneFormSet,
    PlanForm,
    ProgrammeForm,
    QuizForm,
    SessionForm,
)
from .gate import MISSING, PASS
from .models import (
    AttemptMode,
    Attendance,
    CaseKind,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    GoalStatus,
    Programme,
    Quiz,
    Response,
    Session,
    SignOffRole,
    TrainingPlan,
)
from .plans import execution_rate


def _check_labels() -> dict[str, str]:
    return {
        "evaluations": _("QA evaluations"),
        "qa_score": _("QA average"),
        "critical": _("Critical fails"),
        "aht": _("AHT (seconds)"),
        "quiz": _("Certification quiz"),
    }


def _gate_rows(result) -> list[dict]:
    labels = _check_labels()
    status = {PASS: _("passed"), MISSING: _("missing"), "fail": _("not yet")}
    return [
        {
            "key": c.key,
            "label": labels[c.key],
            "status": c.status,
            "status_label": status[c.status],
            "value": c.value,
            "required": c.required,
        }
        for c in result.checks
    ]


@login_required
def home(request):
    today = timezone.localdate()
    user = request.user
    access = load_access(user)
    agent = own_agent(user)
    context: dict = {"today": today}
    if agent is not None:
        mine = list(selectors.visible_enrolments(user).filter(agent=agent))
        context.update(
            my_enrolments=mine,
            my_progress=selectors.progress_share(mine),
            my_quizzes=list(selectors.quizzes_for_agent(agent)),
            my_attempts=list(selectors.visible_attempts(user).filter(agent=agent)[:20]),
            my_certifications=list(selectors.visible_certifications(user).filter(agent=agent)),
            my_attendance=selectors.own_attendance(agent),
        )
    if access.has_role(*selectors.ENROLMENT_ROLES):
        # the gate itself is on the cohort and enrolment pages (its evidence costs queries per programme)
        floor = list(
            selectors.visible_enrolments(user)
            .exclude(agent=agent)
            .filter(status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.NESTING))[:100]
        )
        context.update(
            staff=True,
            enrolments=floor,
            progress=selectors.progress_share(floor),
            expiring=selectors.expiring_certifications(user, today)[:50],
        )
    if selectors.is_training_staff(user):
        plans = list(selectors.visible_plans(user))
        goals = defaultdict(list)
        for goal in selectors.visible_goals(user).filter(plan__in=plans):
            goals[goal.plan_id].append((goal.year, goal.quarter, goal.status))
        context.update(
            trainer=True,
            programmes=list(selectors.visible_programmes(user)),
            cohorts=list(selectors.visible_cohorts(user)[:20]),
            plans=[(plan, execution_rate(goals[plan.pk], today)) for plan in plans],
            quizzes=list(selectors.visible_quizzes_for_staff(user)),
            sessions=list(selectors.visible_sessions(user)[:10]),
        )
    context["can_see_cases"] = access.has_role(*selectors.CASE_ROLES)
    return render(request, "training/home.html", context)


@login_required
def programme(request, pk: int):
    item = selectors.get_programme(request.user, pk)
    enrolments = list(item.enrolments.select_related("agent", "cohort").order_by("agent__name"))
    return render(
        request,
        "training/programme.html",
        {
            "programme": item,
            "milestones": list(item.milestones.all()),
            "enrolments": enrolments,
            "progress": selectors.progress_share(enrolments),
            "cohorts": list(item.cohorts.all()),
            "quizzes": list(item.quizzes.all()),
            "sessions": list(item.sessions.select_related("milestone")[:20]),
            "trainers": list(item.trainers.all()),
        },
    )


@login_required
def effect(request, pk: int):
    item = selectors.get_programme(request.user, pk)
    return render(
        request,
        "training/effect.html",
        {"programme": item, "effect": training_effect.programme_effect(item)},
    )


@login_required
def cohort(request, pk: int):
    item = get_or_404(selectors.visible_cohorts(request.user), pk)
    today = timezone.localdate()
    members = list(
        item.enrolments.select_related("agent", "programme", "cohort").order_by("agent__name")
    )
    gates = selectors.gate_results(members, today)
    rows = [
        {
            "enrolment": e,
            "gate": gates.get(e.pk),
            "missing": gates[e.pk][1].missing if e.pk in gates else (),
        }
        for e in members
    ]
    return render(
        request,
        "training/cohort.html",
        {
            "cohort": item,
            "rows": rows,
            "exposure": selectors.exposure_today(members[0], today) if members else {},
            "stages": item.exposure,
        },
    )


@login_required
def enrolment(request, pk: int):
    item = get_or_404(selectors.visible_enrolments(request.user), pk)
    today = timezone.localdate()
    gate = selectors.gate_for(item, today) if item.cohort_id else None
    staff = selectors.training_sites(request.user).filter(pk=item.programme.site_id).exists()
    sign_labels = dict(SignOffRole.choices)
    return render(
        request,
        "training/enrolment.html",
        {
            "enrolment": item,
            "rows": selectors.progress_rows(item),
            "gate": _gate_rows(gate[1]) if gate else None,
            "gate_passed": bool(gate and gate[1].passed),
            "signed": selectors.signed_roles(item),
            "sign_roles": [(r, sign_labels[r]) for r in services.may_sign_as(request.user, item)]
            if item.status == EnrolmentStatus.NESTING
            else [],
            "sign_choices": SignOffRole.choices,
            "extensions": list(item.extensions.select_related("by")),
            "can_mark": staff,
            "can_extend": staff or load_access(request.user).has_role(Role.TEAM_LEAD),
            "exposure": selectors.exposure_today(item, today),
            "attempts": list(
                selectors.visible_attempts(request.user).filter(
                    agent=item.agent, quiz__programme=item.programme
                )
            ),
        },
    )


def _staff_enrolment(request, pk: int) -> Enrolment:
    return get_or_404(
        selectors.visible_enrolments(request.user).filter(
            programme__site__in=selectors.training_sites(request.user)
        ),
        pk,
    )


@login_required
@require_POST
def mark_milestone(request, pk: int, milestone: int):
    item = _staff_enrolment(request, pk)
    found = get_or_404(item.programme.milestones.all(), milestone)
    try:
        services.mark_milestone(item, found, user=request.user)
    except services.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Milestone marked done."))
    return redirect("training:enrolment", pk=item.pk)


@login_required
@require_POST
def sign_off(request, pk: int):
    item = get_or_404(selectors.visible_enrolments(request.user), pk)
    if not services.may_sign_as(request.user, item):
        raise Http404
    try:
        services.sign_off(
            item, request.POST.get("role", ""), user=request.user, note=request.POST.get("note", "")
        )
    except services.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Signed off."))
    return redirect("training:enrolment", pk=item.pk)


@login_required
@require_POST
def extend(request, pk: int):
    item = get_or_404(
        Enrolment.objects.visible_to(
            request.user, selectors.TRAINING_ROLES + (Role.TEAM_LEAD,), via="agent"
        ),
        pk,
    )
    try:
        new_until = dt.date.fromisoformat(request.POST.get("until", ""))
        services.extend(item, new_until, request.POST.get("reason", ""), user=request.user)
    except ValueError as exc:
        messages.error(
            request, str(exc) if isinstance(exc, services.TrainingError) else _("Enter a date.")
        )
    else:
        messages.success(request, _("Nesting extended."))
    return redirect("training:enrolment", pk=item.pk)


@login_required
def session(request, pk: int):
    item = get_or_404(selectors.visible_sessions(request.user), pk)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        services.record_attendance(item, present, user=request.user)
        messages.success(request, _("Attendance saved."))
        return redirect("training:session", pk=item.pk)
    enrolled = list(
        Enrolment.objects.filter(programme_id=item.programme_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("agent")
        .order_by("agent__name")
    )
    marks = {a.agent_id: a for a in item.attendance.all()}
    return render(
        request,
        "training/session.html",
        {
            "session": item,
            "rows": [{"agent": e.agent, "mark": marks.get(e.agent_id)} for e in enrolled],
        },
    )


@login_required
@require_POST
def rate(request, pk: int):
    item = get_or_404(Attendance.objects.visible_to(request.user, NO_ROLE, own=True), pk)
    try:
        services.rate_session(item, int(request.POST.get("rating", "0")))
    except (ValueError, services.TrainingError) as exc:
        messages.error(
            request,
            str(exc) if isinstance(exc, services.TrainingError) else _("A rating is from 1 to 5."),
        )
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("training:home")


@login_required
def quiz(request, pk: int):
    agent = own_agent_or_404(request.user)
    item = get_or_404(selectors.quizzes_for_agent(agent), pk)
    items = list(item.items.filter(active=True))
    modes = services.allowed_modes(item, agent)
    if request.method == "POST":
        answers = {}
        for question in items:
            value = request.POST.get(f"item-{question.pk}", "")
            answers[question.pk] = int(value) if value.isdigit() else None
        try:
            attempt = services.submit_attempt(
                item, agent, answers, request.POST.get("mode", AttemptMode.PRACTICE)
            )
        except services.TrainingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your score: %(score)s%%.") % {"score": attempt.score})
            return redirect("training:home")
    labels = dict(AttemptMode.choices)
    return render(
        request,
        "training/quiz.html",
        {
            "quiz": item,
            "items": [(q, list(enumerate(q.choices))) for q in items],
            "modes": [(m, labels[m]) for m in modes],
        },
    )


@login_required
def quiz_items(request, pk: int):
    item = get_or_404(selectors.visible_quizzes_for_staff(request.user), pk)
    questions = list(item.items.all())
    index = {q.pk: n for n, q in enumerate(questions)}
    rows: dict[int, list[int]] = {}
    for attempt_id, item_id, correct in (
        Response.objects.filter(attempt__quiz=item, item_id__in=index)
        .exclude(attempt__mode=AttemptMode.PRACTICE)
        .values_list("attempt_id", "item_id", "correct")
    ):
        rows.setdefault(attempt_id, [0] * len(questions))[index[item_id]] = int(correct)
    analysis = itemstats.analyse(list(rows.values())) if rows else []
    return render(
        request,
        "training/quiz_items.html",
        {
            "quiz": item,
            "attempts": len(rows),
            "rows": [
                {"item": q, "stats": analysis[n] if analysis else None}
                for n, q in enumerate(questions)
            ],
        },
    )


@login_required
def plan(request, pk: int):
    item = get_or_404(selectors.visible_plans(request.user), pk)
    goals = list(item.goals.all())
    today = timezone.localdate()
    quarters: dict[tuple[int, int], list] = defaultdict(list)
    for goal in goals:
        quarters[(goal.year, goal.quarter)].append(goal)
    return render(
        request,
        "training/plan.html",
        {
            "plan": item,
            "quarters": sorted(quarters.items()),
            "statuses": GoalStatus.choices,
            "rate": execution_rate([(g.year, g.quarter, g.status) for g in goals], today),
        },
    )


@login_required
@require_POST
def goal(request, pk: int):
    item = get_or_404(selectors.visible_goals(request.user), pk)
    try:
        services.set_goal_status(
            item, request.POST.get("status", ""), request.POST.get("note", ""), user=request.user
        )
    except services.TrainingError as exc:
        messages.error(request, str(exc))
    return redirect("training:plan", pk=item.plan_id)


@login_required
def cases(request):
    access = load_access(request.user)
    if not access.has_role(*selectors.CASE_ROLES):
        raise Http404
    found = selectors.visible_cases(request.user)
    criterion = request.GET.get("criterion", "")
    candidates = []
    if access.has_role(*QA_ROLES):
        marked = (
            selectors.visible_cases(request.user).exclude(evaluation=None).values("evaluation_id")
        )
        released = (
            Evaluation.objects.visible_to(request.user, QA_ROLES, via="team")
            .filter(
                kind=EvaluationKind.INSPECTION,
                status=EvaluationStatus.RELEASED,
                score__isnull=False,
            )
            .exclude(pk__in=marked)
            .select_related("agent")
        )
        candidates = list(released.order_by("-score", "-pk")[:5]) + list(
            released.order_by("score", "pk")[:5]
        )
    know_how = (
        list(
            KnowHow.objects.select_related("role").exclude(
                pk__in=selectors.visible_cases(request.user)
                .exclude(know_how=None)
                .values("know_how_id")
            )[:10]
        )
        if selectors.is_training_staff(request.user)
        else []
    )
    return render(
        request,
        "training/cases.html",
        {
            "cases": [c for c in found[:200] if not criterion or criterion in (c.criteria or [])],
            "criterion": criterion,
            "candidates": candidates,
            "know_how": know_how,
            "kinds": CaseKind.choices,
            "can_tag": selectors.is_training_staff(request.user),
        },
    )


@login_required
@require_POST
def case_from_evaluation(request, pk: int):
    item = get_or_404(
        Evaluation.objects.visible_to(request.user, QA_ROLES, via="team").select_related(
            "team", "agent__team", "version"
        ),
        pk,
    )
    try:
        services.case_from_evaluation(
            item, request.POST.get("kind", CaseKind.BEST), user=request.user
        )
    except services.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Added to the case library."))
    return redirect("training:cases")


@login_required
@require_POST
def case_from_know_how(request, pk: int):
    site = selectors.training_sites(request.user).first()
    if site is None:
        raise Http404
    item = get_or_404(KnowHow.objects.all(), pk)
    services.case_from_know_how(item, site, user=request.user)
    messages.success(request, _("Added to the case library."))
    return redirect("training:cases")


@login_required
@require_POST
def case_tags(request, pk: int):
    item = get_or_404(
        selectors.visible_cases(request.user).filter(
            site__in=selectors.training_sites(request.user)
        ),
        pk,
    )
    services.tag_case(
        item, request.POST.get("criteria", "").replace("，", ",").split(","), user=request.user
    )
    messages.success(request, _("Criteria saved."))
    return redirect("training:cases")


# --- editing pages (trainers, site managers, administrators of the site) ----------------------


def _staff_sites(request):
    sites = selectors.training_sites(request.user)
    if not selectors.is_training_staff(request.user) or not sites.exists():
        raise Http404
    return sites


@login_required
def programme_edit(request, pk: int | None = None):
    sites = _staff_sites(request)
    item = selectors.get_programme(request.user, pk) if pk else Programme()
    form = ProgrammeForm(request.POST or None, instance=item, sites=sites)
    milestones = MilestoneFormSet(request.POST or None, instance=item, prefix="m")
    if request.method == "POST":
        if form.is_valid() and milestones.is_valid():
            saved = services.save_programme(form, milestones, user=request.user)
            messages.success(request, _("Programme saved."))
            return redirect("training:programme", pk=saved.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "training/programme_form.html",
        {"form": form, "milestones": milestones, "programme": item if pk else None},
    )


@login_required
def cohort_edit(request, pk: int | None = None):
    _staff_sites(request)
    item = get_or_404(selectors.visible_cohorts(request.user), pk) if pk else Cohort()
    if not pk and request.GET.get("programme", "").isdigit():
        item.programme = selectors.get_programme(request.user, int(request.GET["programme"]))
    form = CohortForm(
        request.POST or None,
        instance=item,
        programmes=selectors.visible_programmes(request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            saved = services.save_cohort(form, user=request.user)
            messages.success(request, _("Cohort saved."))
            return redirect("training:cohort", pk=saved.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "training/cohort_form.html", {"form": form, "cohort": item if pk else None}
    )


@login_required
def quiz_edit(request, pk: int | None = None):
    sites = _staff_sites(request)
    item = get_or_404(selectors.visible_quizzes_for_staff(request.user), pk) if pk else Quiz()
    form = QuizForm(
        request.POST or None,
        instance=item,
        sites=sites,
        programmes=selectors.visible_programmes(request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            saved = services.save_quiz(form, user=request.user)
            messages.success(request, _("Quiz saved."))
            return redirect("training:quiz_items", pk=saved.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "training/quiz_form.html", {"form": form, "quiz": item if pk else None})


# --- plans and sessions (what the Django admin used to hold) ----------------------------------


@login_required
def plans(request):
    _staff_sites(request)
    today = timezone.localdate()
    found = list(selectors.visible_plans(request.user))
    goals = defaultdict(list)
    for goal in selectors.visible_goals(request.user).filter(plan__in=found):
        goals[goal.plan_id].append((goal.year, goal.quarter, goal.status))
    return render(
        request,
        "training/plans.html",
        {
            "plans": [
                (plan, len(goals[plan.pk]), execution_rate(goals[plan.pk], today))
                for plan in found
            ]
        },
    )


def _plan_years(request) -> tuple[int, int] | None:
    try:
        return int(request.POST["first_year"]), int(request.POST["last_year"])
    except (KeyError, ValueError):
        return None


@login_required
def plan_edit(request, pk: int | None = None):
    sites = _staff_sites(request)
    item = get_or_404(selectors.visible_plans(request.user), pk) if pk else TrainingPlan()
    form = PlanForm(request.POST or None, instance=item, sites=sites)
    goals = GoalFormSet(
        request.POST or None,
        instance=item,
        prefix="g",
        years=_plan_years(request) if request.method == "POST" else None,
    )
    if request.method == "POST":
        if form.is_valid() and goals.is_valid():
            saved = services.save_plan(form, goals, user=request.user)
            messages.success(request, _("Plan saved."))
            return redirect("training:plan", pk=saved.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "training/plan_form.html",
        {"form": form, "goals": goals, "plan": item if pk else None},
    )


@login_required
def sessions(request):
    _staff_sites(request)
    found = selectors.visible_sessions(request.user).select_related("trainer")
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        found = found.filter(programme_id=int(programme))
    return render(
        request,
        "training/sessions.html",
        {
            "sessions": found.annotate(
                present=Count("attendance", filter=Q(attendance__present=True))
            )[:200],
            "programmes": selectors.visible_programmes(request.user),
            "programme": programme,
        },
    )


@login_required
def session_edit(request, pk: int | None = None):
    _staff_sites(request)
    item = get_or_404(selectors.visible_sessions(request.user), pk) if pk else Session()
    if not pk:
        if request.GET.get("programme", "").isdigit():
            item.programme = selectors.get_programme(request.user, int(request.GET["programme"]))
        item.held_on = timezone.localdate()
    form = SessionForm(
        request.POST or None, instance=item, programmes=selectors.visible_programmes(request.user)
    )
    if request.method == "POST":
        if form.is_valid():
            saved = services.save_session(form, user=request.user)
            messages.success(request, _("Session saved."))
            return redirect("training:session", pk=saved.pk)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "training/session_form.html", {"form": form, "session": item if pk else None}
    )
