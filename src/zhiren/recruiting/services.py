"""Every write of recruiting: requisitions and their approval, candidates (with duplicate
flags), pipeline moves, the built-in tests, interviews and scorecards, offers and the
offer → agent → onboarding step, and the purge of rejected candidates' personal data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.accounts.naming import display_name
from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.core.registries import onboarding_steps
from zhiren.org.models import Agent, Position, Team

from . import assessments, catalogue, pipeline, timebudget
from .models import (
    AssessmentKind,
    AssessmentResult,
    Candidate,
    ChannelCost,
    Interview,
    InterviewerBudget,
    InterviewKit,
    InterviewScorecard,
    ListeningClip,
    Offer,
    OfferStatus,
    Recommendation,
    Requisition,
    RequisitionStatus,
    Stage,
    StageChange,
    StopReason,
)

# --- requisitions -----------------------------------------------------------------------------


def raise_requisition(
    *,
    user,
    site,
    role,
    headcount: int,
    needed_by: dt.date,
    training_days: int = 21,
    budget: Decimal | None = None,
    queue_code: str = "",
    team: Team | None = None,
    gap_fte: float | None = None,
    note: str = "",
    hiring_manager=None,
) -> Requisition:
    if headcount < 1:
        raise ValidationError(_("The headcount is at least one."))
    if team is not None and team.site_id != site.pk:
        raise ValidationError(_("The team is not at this site."))
    req = Requisition.objects.create(
        site=site,
        role=role,
        headcount=headcount,
        needed_by=needed_by,
        training_days=training_days,
        budget=budget,
        queue_code=queue_code,
        team=team,
        gap_fte=gap_fte,
        note=note,
        hiring_manager=hiring_manager,
        created_by=user,
    )
    record(
        actor=user, action=AuditAction.CREATE, obj=req, fields=["headcount", "needed_by", "budget"]
    )
    return req


def decide_requisition(req: Requisition, *, user, approve: bool) -> Requisition:
    """The site manager approves or declines; nobody approves their own requisition."""
    if req.status != RequisitionStatus.SUBMITTED:
        raise ValidationError(_("This requisition has been decided already."))
    if req.created_by_id == user.pk:
        raise PermissionDenied(_("Someone else approves a requisition you raised."))
    req.status = RequisitionStatus.APPROVED if approve else RequisitionStatus.DECLINED
    req.decided_by, req.decided_at = user, timezone.now()
    req.save(update_fields=["status", "decided_by", "decided_at"])
    record(actor=user, action=AuditAction.UPDATE, obj=req, fields=["status"])
    return req


# --- candidates -------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def find_duplicate(phone: str, id_number: str, *, exclude: int | None = None) -> Candidate | None:
    """An earlier candidate with the same phone or ID number (purged ones no longer match)."""
    condition = Q()
    if phone:
        condition |= Q(phone=phone)
    if id_number:
        condition |= Q(id_number=id_number.upper())
    if not condition:
        return None
    qs = Candidate.objects.filter(condition, purged_at__isnull=True)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("pk").first()


def add_candidate(
    *,
    user,
    site,
    name: str,
    source: str,
    applied_on: dt.date,
    phone: str = "",
    id_number: str = "",
    email: str = "",
    source_detail: str = "",
    requisition=None,
    talent_pool: bool = False,
) -> Candidate:
    """A new application. The same phone or ID number as an earlier candidate is flagged
    (``duplicate_of``) for the recruiter to look at, never merged or refused."""
    phone, id_number = normalise_phone(phone), id_number.strip().upper()
    if requisition is not None and requisition.site_id != site.pk:
        raise ValidationError(_("The requisition is for another site."))
    candidate = Candidate.objects.create(
        site=site,
        requisition=requisition,
        name=name.strip(),
        phone=phone,
        id_number=id_number,
        email=email,
        source=source,
        source_detail=source_detail,
        applied_on=applied_on,
        talent_pool=talent_pool,
        recruiter=user,
        duplicate_of=find_duplicate(phone, id_number),
        stage_changed_at=timezone.now(),
    )
    record(
        actor=user, action=AuditAction.CREATE, obj=candidate, fields=["name", "phone", "id_number"]
    )
    return candidate


def move(candidate: Candidate, target: str, *, user, reason: str = "", note: str = "") -> Candidate:
    """One step of the pipeline (``pipeline.check_transition``), recorded with who and why."""
    try:
        pipeline.check_transition(candidate.stage, target, reason)
    except pipeline.TransitionError as exc:
        if exc.code == "reason":
            raise ValidationError(_("A rejection or withdrawal needs a reason.")) from exc
        raise ValidationError(
            _("A candidate cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": Stage(candidate.stage).label,
                "to": Stage(target).label if target in Stage.values else target,
            }
        ) from exc
    now = timezone.now()
    StageChange.objects.create(
        candidate=candidate,
        from_stage=candidate.stage,
        to_stage=target,
        reason=reason,
        at=now,
        by=user,
    )
    candidate.stage, candidate.reason, candidate.stage_changed_at = target, reason, now
    if note:
        candidate.reason_note = note[:200]
    candidate.save(update_fields=["stage", "reason", "reason_note", "stage_changed_at"])
    return candidate


def set_talent_pool(candidate: Candidate, consent: bool, *, user) -> None:
    candidate.talent_pool = consent
    candidate.save(update_fields=["talent_pool"])
    record(actor=user, action=AuditAction.UPDATE, obj=candidate, fields=["talent_pool"])


# --- built-in tests ---------------------------------------------------------------------------


def issue_typing(candidate: Candidate, passage: str = "p1") -> AssessmentResult:
    """Start a typing test: the clock starts now, on the server."""
    if passage not in catalogue.PASSAGES:
        raise ValidationError(_("Unknown passage."))
    return AssessmentResult.objects.create(
        candidate=candidate,
        kind=AssessmentKind.TYPING,
        issued_at=timezone.now(),
        detail={"passage": passage},
    )


def submit_typing(result: AssessmentResult, text: str) -> AssessmentResult:
    """Score the typed text against the passage over the seconds since the test was issued."""
    if result.kind != AssessmentKind.TYPING:
        raise ValidationError(_("This is not a typing test."))
    if result.submitted_at is not None:
        raise ValidationError(_("This test has been submitted already."))
    now = timezone.now()
    seconds = max(1.0, (now - result.issued_at).total_seconds())
    scored = assessments.score_typing(catalogue.PASSAGES[result.detail["passage"]], text, seconds)
    result.submitted_at, result.score = now, scored.net_cpm
    result.detail = {
        **result.detail,
        "typed": scored.typed,
        "errors": scored.errors,
        "seconds": round(seconds, 1),
        "cpm": scored.cpm,
        "net_cpm": scored.net_cpm,
        "accuracy": scored.accuracy,
    }
    result.save(update_fields=["submitted_at", "score", "detail"])
    return result


def submit_sjt(candidate: Candidate, answers: dict[str, str]) -> AssessmentResult:
    now = timezone.now()
    score = assessments.score_sjt(catalogue.SJT_KEYS, answers)
    return AssessmentResult.objects.create(
        candidate=candidate,
        kind=AssessmentKind.SJT,
        issued_at=now,
        submitted_at=now,
        score=score,
        detail={"answers": answers},
    )


def submit_listening(
    candidate: Candidate, answers: dict[str, str], clip: ListeningClip | None = None
) -> AssessmentResult:
    """Score the listening test on ``clip``'s items, or the shipped clip's without one."""
    keys = assessments.item_keys(clip.items) if clip else catalogue.LISTENING_KEYS
    if clip is not None and clip.site_id != candidate.site_id:
        raise ValidationError(_("This clip belongs to another site."))
    now = timezone.now()
    score, correct = assessments.score_comprehension(keys, answers)
    return AssessmentResult.objects.create(
        candidate=candidate,
        kind=AssessmentKind.LISTENING,
        issued_at=now,
        submitted_at=now,
        score=score,
        detail={
            "answers": answers,
            "correct": correct,
            "items": len(keys),
            "clip": clip.pk if clip else catalogue.LISTENING_CLIP,
        },
    )


def add_listening_clip(clip: ListeningClip, *, user) -> ListeningClip:
    """Keep a clip a recruiter uploaded (validated by ``forms.ListeningClipForm``)."""
    clip.created_by = user
    clip.save()
    record(
        actor=user,
        action=AuditAction.CREATE,
        obj=clip,
        fields=["title", "audio", "transcript", "items"],
        purpose="recruiting: listening clip",
    )
    return clip


def set_clip_active(clip: ListeningClip, active: bool, *, user) -> None:
    clip.active = active
    clip.save(update_fields=["active"])
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=clip,
        fields=["active"],
        purpose="recruiting: listening clip",
    )


def submit_knockout(candidate: Candidate, answers: dict[str, str]) -> AssessmentResult:
    now = timezone.now()
    failed = assessments.knocked_out(catalogue.KNOCKOUT_REQUIRED, answers)
    return AssessmentResult.objects.create(
        candidate=candidate,
        kind=AssessmentKind.KNOCKOUT,
        issued_at=now,
        submitted_at=now,
        passed=not failed,
        detail={"answers": answers, "failed": failed},
    )


def submit_orientation(candidate: Candidate, answers: dict[str, str]) -> AssessmentResult | None:
    found = assessments.score_orientation(catalogue.ORIENTATION_KEYS, answers)
    if found is None:
        return None
    now = timezone.now()
    return AssessmentResult.objects.create(
        candidate=candidate,
        kind=AssessmentKind.ORIENTATION,
        issued_at=now,
        submitted_at=now,
        score=found.service_share,
        detail={"answers": answers, "profile": found.profile},
    )


# --- interviews -------------------------------------------------------------------------------


def schedule_interview(
    candidate: Candidate, kit: InterviewKit, when: dt.datetime, interviewers, *, user
) -> Interview:
    """Book the kit's planned minutes on every panel member's day; refused when that would take
    someone past their daily interview budget (the message names who and by how much)."""
    interviewers = list(dict.fromkeys(interviewers))
    if not interviewers:
        raise ValidationError(_("An interview needs at least one interviewer."))
    if candidate.stage in pipeline.CLOSED:
        raise ValidationError(_("This candidate's application is closed."))
    planned = timebudget.planned_minutes(kit.plan())
    # read here, not at the top: the selectors reach the staffing engine (SciPy), and
    # this module loads with the app (personal data), before any request
    from . import selectors

    loads = selectors.day_loads(interviewers, timezone.localtime(when).date())
    over = [
        _(
            "%(name)s has %(left)s of %(budget)s interview minutes left that day; this kit plans %(planned)s."
        )
        % {
            "name": display_name(person),
            "left": loads[person.pk].left,
            "budget": loads[person.pk].budget,
            "planned": planned,
        }
        for person in interviewers
        if not loads[person.pk].fits(planned)
    ]
    if over:
        raise ValidationError(over)
    with transaction.atomic():
        interview = Interview.objects.create(
            candidate=candidate, kit=kit, scheduled_at=when, planned_minutes=planned
        )
        InterviewScorecard.objects.bulk_create(
            InterviewScorecard(interview=interview, interviewer=person) for person in interviewers
        )
    record(actor=user, action=AuditAction.CREATE, obj=interview, fields=["scheduled_at"])
    return interview


def record_interview_time(
    interview: Interview,
    *,
    user,
    stopped_after: str = "",
    reason: str = "",
    note: str = "",
    minutes: int | None = None,
) -> Interview:
    """How the interview went: stopped early after a stage (a reason is required; the minutes
    default to the plan up to that stage), or run in full (the minutes default to the plan, and
    may be more: time given to a promising candidate)."""
    stages = interview.kit.plan()
    keys = [stage["key"] for stage in stages]
    if stopped_after:
        if stopped_after not in keys[:-1]:
            raise ValidationError(_("Choose the stage after which the interview stopped."))
        if reason not in StopReason.values:
            raise ValidationError(_("Say why the interview stopped early."))
        spent = timebudget.minutes_until(stages, stopped_after) if minutes is None else minutes
    else:
        reason, note = "", ""
        spent = interview.planned_minutes if minutes is None else minutes
    if spent < 0 or spent > 480:
        raise ValidationError(_("Minutes spent are from 0 to 480."))
    interview.stopped_after = stopped_after
    interview.stop_reason = reason
    interview.stop_note = note.strip()[:200]
    interview.minutes_spent = spent
    interview.save(update_fields=["stopped_after", "stop_reason", "stop_note", "minutes_spent"])
    record(actor=user, action=AuditAction.UPDATE, obj=interview, fields=["minutes_spent"])
    return interview


def set_interview_budget(person, daily_minutes: int, *, user) -> InterviewerBudget:
    if not 0 <= daily_minutes <= 600:
        raise ValidationError(_("A daily budget is from 0 to 600 minutes."))
    budget, _created = InterviewerBudget.objects.update_or_create(
        user=person, defaults={"daily_minutes": daily_minutes}
    )
    record(actor=user, action=AuditAction.UPDATE, obj=budget, fields=["daily_minutes"])
    return budget


def submit_scorecard(
    card: InterviewScorecard,
    *,
    user,
    ratings: dict[str, int],
    notes: str,
    recommendation: str,
    no_decision_reason: str = "",
) -> InterviewScorecard:
    """The interviewer's own card, once: every competency rated 1–5, "no decision" only with a reason."""
    if card.interviewer_id != user.pk:
        raise PermissionDenied
    if card.submitted_at is not None:
        raise ValidationError(_("This scorecard has been submitted already."))
    keys = [c["key"] for c in card.interview.kit.competencies]
    clean: dict[str, int] = {}
    for key in keys:
        value = ratings.get(key)
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError(_("Rate every competency from 1 to 5.")) from None
        if not 1 <= number <= 5:
            raise ValidationError(_("Rate every competency from 1 to 5."))
        clean[key] = number
    if recommendation not in Recommendation.values:
        raise ValidationError(_("Choose a recommendation."))
    reason = no_decision_reason.strip()
    if recommendation == Recommendation.NO_DECISION and not reason:
        raise ValidationError(_("“No decision” needs a reason."))
    card.ratings, card.notes, card.recommendation = clean, notes, recommendation
    card.no_decision_reason = reason if recommendation == Recommendation.NO_DECISION else ""
    card.submitted_at = timezone.now()
    card.save()
    return card


# --- offers and onboarding --------------------------------------------------------------------


def make_offer(
    candidate: Candidate,
    *,
    user,
    team: Team,
    start_date: dt.date,
    monthly_salary: Decimal | None = None,
) -> Offer:
    if team.site_id != candidate.site_id:
        raise ValidationError(_("The team is not at the candidate's site."))
    with transaction.atomic():
        move(candidate, Stage.OFFER, user=user)
        offer = Offer.objects.create(
            candidate=candidate,
            team=team,
            start_date=start_date,
            monthly_salary=monthly_salary,
            made_at=timezone.now(),
        )
    record(
        actor=user, action=AuditAction.CREATE, obj=offer, fields=["start_date", "monthly_salary"]
    )
    return offer


def _employee_no(candidate: Candidate) -> str:
    base = f"R{candidate.applied_on:%y}{candidate.pk:05d}"
    number, n = base, 1
    while Agent.objects.filter(employee_no=number).exists():
        n += 1
        number = f"{base}-{n}"
    return number


@transaction.atomic
def accept_offer(offer: Offer, *, user) -> list[str]:
    """Accepted → the agent is created on the offer's team and every onboarding step runs.

    Returns the steps' lines (also kept on the offer). One transaction: a failing step
    leaves no half-made agent.
    """
    candidate = offer.candidate
    if offer.status != OfferStatus.MADE:
        raise ValidationError(_("This offer has been decided already."))
    move(candidate, Stage.ACCEPTED, user=user)
    role = candidate.requisition.role.code if candidate.requisition_id else ""
    agent = Agent.objects.create(
        employee_no=_employee_no(candidate),
        name=candidate.name,
        team=offer.team,
        position=role if role in Position.values else Position.AFTERSALES,
        hire_date=offer.start_date,
        channel_skills=[offer.team.main_channel],
    )
    candidate.agent, candidate.hired_on = agent, offer.start_date
    candidate.save(update_fields=["agent", "hired_on"])
    lines = [
        _("Agent %(no)s created on %(team)s.") % {"no": agent.employee_no, "team": offer.team.name}
    ]
    for step in onboarding_steps:
        said = step(agent, offer)
        if said:
            lines.append(str(said))
    offer.status, offer.decided_at, offer.onboarding_log = (
        OfferStatus.ACCEPTED,
        timezone.now(),
        lines,
    )
    offer.save(update_fields=["status", "decided_at", "onboarding_log"])
    move(candidate, Stage.ONBOARDED, user=user)
    record(
        actor=user,
        action=AuditAction.CREATE,
        obj=agent,
        fields=["name", "team", "hire_date"],
        subject_agent_id=agent.pk,
        purpose="recruiting: offer accepted",
    )
    return lines


def decline_offer(offer: Offer, *, user, reason: str) -> None:
    if offer.status != OfferStatus.MADE:
        raise ValidationError(_("This offer has been decided already."))
    with transaction.atomic():
        move(offer.candidate, Stage.WITHDRAWN, user=user, reason=reason)
        offer.status, offer.decided_at = OfferStatus.DECLINED, timezone.now()
        offer.save(update_fields=["status", "decided_at"])


# --- retention (PIPL) -------------------------------------------------------------------------


def purge_candidates(cutoff: dt.datetime, dry_run: bool) -> int:
    """Blank the personal data of candidates rejected or withdrawn before ``cutoff`` who did
    not consent to the talent pool; their channel, stages and scores stay (no one is named)."""
    due = Candidate.objects.filter(
        stage__in=(Stage.REJECTED, Stage.WITHDRAWN),
        stage_changed_at__lt=cutoff,
        talent_pool=False,
        purged_at__isnull=True,
    )
    if dry_run:
        return due.count()
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Candidate.objects.filter(pk__in=ids).update(
            name="",
            phone="",
            id_number="",
            email="",
            reason_note="",
            source_detail="",
            purged_at=timezone.now(),
        )
        InterviewScorecard.objects.filter(interview__candidate_id__in=ids).update(
            notes="", no_decision_reason=""
        )
        for result in AssessmentResult.objects.filter(candidate_id__in=ids):
            result.detail = {k: v for k, v in result.detail.items() if k not in ("answers",)}
            result.save(update_fields=["detail"])
    record(
        actor=None,
        action=AuditAction.DELETE,
        object_type="recruiting.candidate",
        fields=list(Candidate.PERSONAL_FIELDS),
        purpose=f"retention: {len(ids)} candidates purged",
    )
    return len(ids)


# --- channel costs ----------------------------------------------------------------------------


def record_channel_cost(
    *, user, site, source: str, month: dt.date, amount: Decimal, note: str = ""
) -> ChannelCost:
    """What a channel cost the site in a month; the same month again replaces the figure."""
    if amount < 0:
        raise ValidationError(_("A cost cannot be negative."))
    cost, _created = ChannelCost.objects.update_or_create(
        site=site,
        source=source,
        month=month.replace(day=1),
        defaults={"amount": amount, "note": note.strip()[:200], "created_by": user},
    )
    record(actor=user, action=AuditAction.UPDATE, obj=cost, fields=["amount"])
    return cost
