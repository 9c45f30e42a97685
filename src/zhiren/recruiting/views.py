"""Recruiting pages: the home (pipeline, requisitions, my interviews), the staffing gap, a
candidate with the tests, interviews and offer, one's own scorecard, and the channel report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record, record_object_reads
from zhiren.org.access import load_access
from zhiren.org.scoping import get_or_404

from . import assessments, catalogue, channels, pipeline, scope, selectors, services
from .forms import (
    BudgetForm,
    CandidateForm,
    ChannelCostForm,
    DeclineForm,
    InterviewForm,
    InterviewTimeForm,
    ListeningClipForm,
    ListeningForm,
    MoveForm,
    OfferForm,
    QuestionsForm,
    RequisitionForm,
    ScorecardForm,
)
from .models import (
    REASON_LABELS,
    AssessmentKind,
    AssessmentResult,
    Candidate,
    ChannelCost,
    Interview,
    InterviewKit,
    InterviewScorecard,
    Offer,
    OfferStatus,
    RequisitionStatus,
    Source,
    Stage,
)

ORIENTATION_LABELS = {
    assessments.SERVICE: _lazy("service-minded"),
    assessments.SALES: _lazy("sales-minded"),
    assessments.BALANCED: _lazy("balanced"),
}
LIST_FIELDS = ["name", "source", "stage"]
DETAIL_FIELDS = [
    "name",
    "phone",
    "id_number",
    "email",
    "source",
    "stage",
    "tests",
    "interview_notes",
]


def _errors(request, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _labelled(cards: list[InterviewScorecard], kit: InterviewKit) -> list[InterviewScorecard]:
    """Give each card ``rated``: (competency label, rating) in the kit's order, for display."""
    for card in cards:
        card.rated = [(c["label"], (card.ratings or {}).get(c["key"])) for c in kit.competencies]  # type: ignore[attr-defined]
    return cards


@login_required
def home(request):
    user = request.user
    recruiter = scope.is_recruiter(user)
    candidates = scope.recruited_candidates(user) if recruiter else Candidate.objects.none()
    stage = request.GET.get("stage", "")
    shown = list(
        candidates.filter(stage=stage)[:200]
        if stage in Stage.values
        else candidates.exclude(stage__in=pipeline.CLOSED)[:200]
    )
    if shown:
        record_object_reads(
            actor=user,
            object_type="recruiting.candidate",
            object_ids=[c.pk for c in shown],
            fields=LIST_FIELDS,
            request=request,
        )
    my_cards = list(
        InterviewScorecard.objects.filter(
            interviewer=user, interview__candidate__purged_at__isnull=True
        )
        .select_related("interview__candidate", "interview__kit")
        .order_by("-interview__scheduled_at")[:50]
    )
    requisitions = list(scope.visible_requisitions(user)[:50])
    counts = selectors.stage_counts(candidates) if recruiter else {}
    approvable = set(scope.approver_sites(user).values_list("pk", flat=True))
    interviewer = load_access(user).has_role(*scope.INTERVIEWER_ROLES) or bool(my_cards)
    if not (
        recruiter or interviewer or requisitions or scope.may_plan(user) or scope.may_report(user)
    ):
        raise Http404
    return render(
        request,
        "recruiting/home.html",
        {
            "recruiter": recruiter,
            "candidates": shown,
            "stage": stage,
            "stages": [(code, label, counts.get(code, 0)) for code, label in Stage.choices],
            "my_cards": my_cards,
            "interviewer": interviewer,
            "requisitions": requisitions,
            "approvable": approvable,
            "may_plan": scope.may_plan(user),
            "may_report": scope.may_report(user),
            "submitted": RequisitionStatus.SUBMITTED,
        },
    )


# --- the staffing gap and requisitions --------------------------------------------------------


@login_required
def gap(request):
    sites = scope.planner_sites(request.user)
    if not scope.may_plan(request.user):
        raise Http404
    site = get_or_404(sites, request.GET["site"]) if request.GET.get("site") else sites.first()
    try:
        training_days = max(0, min(180, int(request.GET.get("training_days", 21))))
    except ValueError:
        training_days = 21
    data = selectors.staffing_gap(site, timezone.localdate(), training_days=training_days)
    return render(request, "recruiting/gap.html", {"site": site, "sites": sites, "data": data})


@login_required
def requisition_new(request):
    if not scope.may_plan(request.user):
        raise Http404
    sites = scope.planner_sites(request.user)
    form = RequisitionForm(request.POST or None, sites=sites, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.raise_requisition(user=request.user, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Requisition raised; the site manager approves it."))
            return redirect("recruiting:home")
    return render(request, "recruiting/requisition_form.html", {"form": form})


@login_required
@require_POST
def requisition_decide(request, pk):
    req = scope.get_requisition(request.user, pk)
    if not scope.approver_sites(request.user).filter(pk=req.site_id).exists():
        raise Http404
    try:
        services.decide_requisition(
            req, user=request.user, approve=request.POST.get("decision") == "approve"
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("recruiting:home")


# --- candidates -------------------------------------------------------------------------------


@login_required
def candidate_new(request):
    if not scope.is_recruiter(request.user):
        raise Http404
    sites = scope.recruiter_sites(request.user)
    requisitions = scope.visible_requisitions(request.user).filter(
        status=RequisitionStatus.APPROVED
    )
    form = CandidateForm(
        request.POST or None,
        sites=sites,
        requisitions=requisitions,
        initial={"applied_on": timezone.localdate(), "source": Source.JOB_SITE},
    )
    if request.method == "POST" and form.is_valid():
        candidate = services.add_candidate(user=request.user, **form.cleaned_data)
        if candidate.duplicate_of_id:
            messages.warning(
                request, _("Same phone or ID number as an earlier candidate: please check.")
            )
        return redirect("recruiting:candidate", candidate.pk)
    return render(request, "recruiting/candidate_form.html", {"form": form})


@login_required
def candidate(request, pk):
    user = request.user
    item = scope.get_candidate(user, pk)
    recruiter = scope.recruited_candidates(user).filter(pk=item.pk).exists()
    record(actor=user, action=AuditAction.READ, obj=item, fields=DETAIL_FIELDS, request=request)
    interviews = []
    readable = scope.candidate_scorecards(user, item, recruiter=recruiter)
    for interview in item.interviews.select_related("kit").order_by("scheduled_at"):
        cards = _labelled(readable.get(interview.pk, []), interview.kit)
        own = next((c for c in cards if c.interviewer_id == user.pk), None)
        stages = interview.kit.plan()
        interviews.append(
            {
                "interview": interview,
                "cards": cards,
                "own": own,
                "stages": stages,
                "stopped_label": next(
                    (s["label"] for s in stages if s["key"] == interview.stopped_after), ""
                ),
                "time_form": InterviewTimeForm(stages=stages)
                if recruiter or own is not None
                else None,
            }
        )
    tests = selectors.latest_tests(item)
    orientation = None
    if "orientation" in tests:
        profile = tests["orientation"].detail.get("profile", "")
        need = (
            assessments.role_orientation(item.requisition.role.code)
            if item.requisition_id
            else None
        )
        orientation = {
            "label": ORIENTATION_LABELS.get(profile, profile),
            "share": tests["orientation"].score,
            "mismatch": need is not None and profile not in (need, assessments.BALANCED),
        }
    context = {
        "orientation": orientation,
        "c": item,
        "recruiter": recruiter,
        "tests": tests,
        "interviews": interviews,
        "offer": Offer.objects.filter(candidate=item).select_related("team").first(),
        "next_stages": [(s, Stage(s).label) for s in pipeline.next_states(item.stage)],
        "reasons": REASON_LABELS.items(),
        "duplicate": item.duplicate_of if recruiter else None,
    }
    if recruiter:
        kits = (
            InterviewKit.objects.filter(role=item.requisition.role)
            if item.requisition_id
            else InterviewKit.objects.all()
        )
        context.update(
            {
                "interview_form": InterviewForm(kits=kits, people=scope.interviewer_choices()),
                "offer_form": OfferForm(site=item.site),
                "decline_form": DeclineForm(),
            }
        )
    return render(request, "recruiting/candidate.html", context)


@login_required
@require_POST
def candidate_move(request, pk):
    item = scope.get_recruited_candidate(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move(
                item,
                form.cleaned_data["stage"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a stage."))
    return redirect("recruiting:candidate", item.pk)


@login_required
@require_POST
def typing_start(request, pk):
    item = scope.get_recruited_candidate(request.user, pk)
    result = services.issue_typing(item, request.POST.get("passage", "p1"))
    return redirect("recruiting:typing", result.pk)


@login_required
def typing(request, pk):
    result = get_or_404(
        AssessmentResult.objects.filter(
            kind=AssessmentKind.TYPING, candidate__in=scope.recruited_candidates(request.user)
        ).select_related("candidate"),
        pk,
    )
    if request.method == "POST":
        try:
            services.submit_typing(result, request.POST.get("text", ""))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("recruiting:typing", result.pk)
    return render(
        request,
        "recruiting/typing.html",
        {
            "result": result,
            "passage": catalogue.PASSAGES[result.detail["passage"]],
            "seconds": catalogue.TYPING_SECONDS,
        },
    )


@login_required
def questions(request, pk):
    item = scope.get_recruited_candidate(request.user, pk)
    form = QuestionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        knockout = services.submit_knockout(item, form.answers("ko_"))
        services.submit_sjt(item, form.answers("sjt_"))
        services.submit_orientation(item, form.answers("or_"))
        if not knockout.passed:
            messages.warning(
                request, _("A knock-out question was failed: end the process kindly and early.")
            )
        return redirect("recruiting:candidate", item.pk)
    return render(request, "recruiting/questions.html", {"c": item, "form": form})


@login_required
def listening(request, pk):
    """Listening comprehension: the candidate plays a clip (the shipped one, or one the site's
    recruiters uploaded: ``?clip=<id>``) and answers its items; the transcript is not on this
    page (HR reads it on the clips page)."""
    item = scope.get_recruited_candidate(request.user, pk)
    clips = scope.visible_clips(request.user).filter(site_id=item.site_id, active=True)
    chosen = request.POST.get("clip") or request.GET.get("clip") or catalogue.LISTENING_CLIP
    clip = None
    if chosen != catalogue.LISTENING_CLIP:
        clip = get_or_404(clips, chosen)
    form = ListeningForm(request.POST or None, items=clip.items if clip else None)
    if request.method == "POST" and form.is_valid():
        answers = dict(form.cleaned_data)
        result = services.submit_listening(item, answers, clip)
        messages.success(
            request,
            _("Listening: %(correct)s of %(items)s correct.")
            % {"correct": result.detail["correct"], "items": result.detail["items"]},
        )
        return redirect("recruiting:candidate", item.pk)
    return render(
        request,
        "recruiting/listening.html",
        {
            "c": item,
            "form": form,
            "clip": clip,
            "clips": clips,
            "sample": catalogue.LISTENING_CLIP,
            "sample_file": catalogue.LISTENING_CLIP_FILE,
            "audio_type": clip.content_type if clip else "audio/ogg",
        },
    )


@login_required
def clips(request):
    """The listening clips: the shipped one and the site's own, with transcripts; upload."""
    if not scope.is_recruiter(request.user):
        raise Http404
    form = ListeningClipForm(
        request.POST or None, request.FILES or None, sites=scope.recruiter_sites(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.add_listening_clip(form.save(commit=False), user=request.user)
        messages.success(request, _("Clip saved."))
        return redirect("recruiting:clips")
    return render(
        request,
        "recruiting/clips.html",
        {
            "form": form,
            "clips": scope.visible_clips(request.user),
            "sample_file": catalogue.LISTENING_CLIP_FILE,
            "sample_transcript": catalogue.LISTENING_MESSAGE,
            "sample_items": catalogue.LISTENING_ITEMS,
        },
    )


@login_required
def clip_audio(request, pk):
    """An uploaded clip's audio, for HR of its site only (not public media)."""
    clip = scope.get_clip(request.user, pk)
    try:
        handle = clip.audio.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=clip.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def clip_toggle(request, pk):
    clip = scope.get_clip(request.user, pk)
    services.set_clip_active(clip, not clip.active, user=request.user)
    return redirect("recruiting:clips")


@login_required
@require_POST
def interview_new(request, pk):
    item = scope.get_recruited_candidate(request.user, pk)
    form = InterviewForm(
        request.POST, kits=InterviewKit.objects.all(), people=scope.interviewer_choices()
    )
    if form.is_valid():
        try:
            services.schedule_interview(
                item,
                form.cleaned_data["kit"],
                form.cleaned_data["scheduled_at"],
                form.cleaned_data["interviewers"],
                user=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a kit, a time and the interviewers."))
    return redirect("recruiting:candidate", item.pk)


@login_required
@require_POST
def interview_time(request, pk):
    """Record what an interview took (HR of the site, or a member of its panel)."""
    user = request.user
    interview = get_or_404(
        Interview.objects.filter(
            Q(candidate__in=scope.recruited_candidates(user)) | Q(scorecards__interviewer=user)
        )
        .distinct()
        .select_related("kit"),
        pk,
    )
    form = InterviewTimeForm(request.POST, stages=interview.kit.plan())
    if form.is_valid():
        try:
            services.record_interview_time(
                interview,
                user=user,
                stopped_after=form.cleaned_data["stopped_after"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Interview time recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("recruiting:candidate", interview.candidate_id)


@login_required
def interviewers(request):
    """Each interviewer's booked minutes against their daily budget for the coming week; HR sets
    the budgets."""
    if not scope.is_recruiter(request.user):
        raise Http404
    people = list(scope.interviewer_choices())
    form = BudgetForm(request.POST or None, people=scope.interviewer_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_interview_budget(
                form.cleaned_data["person"], form.cleaned_data["daily_minutes"], user=request.user
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Budget saved."))
            return redirect("recruiting:interviewers")
    today = timezone.localdate()
    return render(
        request,
        "recruiting/interviewers.html",
        {"form": form, "rows": selectors.interviewer_week(people, today), "today": today},
    )


@login_required
def scorecard(request, pk):
    card = scope.get_own_scorecard(request.user, pk)
    interview = card.interview
    form = ScorecardForm(request.POST or None, competencies=interview.kit.competencies)
    if request.method == "POST":
        if card.submitted_at is not None:
            messages.error(request, _("This scorecard has been submitted already."))
        elif form.is_valid():
            try:
                services.submit_scorecard(
                    card,
                    user=request.user,
                    ratings=form.ratings(),
                    notes=form.cleaned_data["notes"],
                    recommendation=form.cleaned_data["recommendation"],
                    no_decision_reason=form.cleaned_data["no_decision_reason"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("recruiting:scorecard", card.pk)
    record(
        actor=request.user,
        action=AuditAction.READ,
        obj=interview.candidate,
        fields=["name", "interview_notes"],
        request=request,
    )
    others = _labelled(
        [c for c in scope.visible_scorecards(request.user, interview) if c.pk != card.pk],
        interview.kit,
    )
    _labelled([card], interview.kit)
    return render(
        request,
        "recruiting/scorecard.html",
        {
            "card": card,
            "interview": interview,
            "c": interview.candidate,
            "form": form,
            "others": others,
            "hidden": interview.scorecards.exclude(pk=card.pk).count() - len(others),
        },
    )


@login_required
@require_POST
def offer_new(request, pk):
    item = scope.get_recruited_candidate(request.user, pk)
    form = OfferForm(request.POST, site=item.site)
    if form.is_valid():
        try:
            services.make_offer(item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a team and a start date."))
    return redirect("recruiting:candidate", item.pk)


def _own_offer(user, pk) -> Offer:
    return get_or_404(
        Offer.objects.filter(candidate__in=scope.recruited_candidates(user)).select_related(
            "candidate__requisition__role", "team"
        ),
        pk,
    )


@login_required
@require_POST
def offer_accept(request, pk):
    offer = _own_offer(request.user, pk)
    try:
        lines = services.accept_offer(offer, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        for line in lines:
            messages.success(request, line)
    return redirect("recruiting:candidate", offer.candidate_id)


@login_required
@require_POST
def offer_decline(request, pk):
    offer = _own_offer(request.user, pk)
    form = DeclineForm(request.POST)
    if form.is_valid() and offer.status == OfferStatus.MADE:
        try:
            services.decline_offer(offer, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose why the offer was declined."))
    return redirect("recruiting:candidate", offer.candidate_id)


# --- the channel report -----------------------------------------------------------------------


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - dt.timedelta(days=365)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@login_required
def report(request):
    if not scope.may_report(request.user):
        raise Http404
    start, end = _period(request)
    today = timezone.localdate()
    data = selectors.channel_report(scope.report_sites(request.user), start, end, today)
    labels = dict(Source.choices)
    curves = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 16, "top": 32, "bottom": 32},
        "xAxis": {"type": "value", "name": _("days after the hire"), "max": 180},
        "yAxis": {"type": "value", "min": 0, "max": 1},
        "series": [
            {
                "name": str(labels.get(row.channel, row.channel)),
                "type": "line",
                "step": "end",
                "showSymbol": False,
                "data": [[d, round(s, 3)] for d, s in row.curve],
            }
            for row in data["rows"]
            if row.curve
        ],
    }
    tables = [
        (_("By channel (candidates who applied in the period)"), "channel", data["rows"], labels),
        (_("By recruiter"), "recruiter", data["by_recruiter"], {}),
        (_("By typing band (correct characters per minute)"), "band", data["by_band"], {}),
        (
            _("By situational-judgement band (share of the best possible)"),
            "sjt",
            data["by_sjt"],
            {},
        ),
        (_("By listening band (share correct)"), "listening", data["by_listening"], {}),
        (_("By interviewer"), "interviewer", data["by_interviewer"], {}),
    ]
    kits = list(InterviewKit.objects.order_by("name"))
    agreement = selectors.panel_agreement([k.pk for k in kits])
    return render(
        request,
        "recruiting/report.html",
        {
            "data": data,
            "tables": [
                (
                    title,
                    key,
                    [{"row": row, "label": names.get(row.channel, row.channel)} for row in rows],
                )
                for title, key, rows, names in tables
            ],
            "rows": [
                {"row": row, "retention": {r.day: r for r in row.retention}} for row in data["rows"]
            ],
            "start": start,
            "end": end,
            "charts": {"chart-retention": curves},
            "kits": [(k, agreement.get(k.pk)) for k in kits],
            "min_n": channels.MIN_N,
            "correlations": [
                (_("Typing and 90-day retention"), data["typing_retention"]),
                (_("Typing and QA of the first 60 days"), data["typing_qa"]),
                (_("Situational judgement and 90-day retention"), data["sjt_retention"]),
                (_("Situational judgement and QA of the first 60 days"), data["sjt_qa"]),
                (_("Listening and 90-day retention"), data["listening_retention"]),
                (_("Listening and QA of the first 60 days"), data["listening_qa"]),
            ],
            "may_cost": scope.may_plan(request.user),
        },
    )


@login_required
def costs(request):
    """What each channel cost a site per month (for the cost per retained hire)."""
    if not scope.may_plan(request.user):
        raise Http404
    sites = scope.planner_sites(request.user)
    form = ChannelCostForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_channel_cost(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Cost saved."))
            return redirect("recruiting:costs")
    return render(
        request,
        "recruiting/costs.html",
        {
            "form": form,
            "costs": ChannelCost.objects.filter(site__in=sites).select_related("site")[:200],
        },
    )
