"""Writes of the training app: enrolment (including new hires from recruiting), milestones,
attendance and ratings, quiz attempts, sign-off and graduation (the queue skill in
workforce and a certification), extensions, re-certification, plan goals and cases.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role
from zhiren.org.scoping import coverage
from zhiren.placement.models import KnowHow
from zhiren.quality.masking import mask
from zhiren.quality.models import Evaluation, Transcript
from zhiren.quality.scoring import NA, card_from_definition
from zhiren.workforce.planning.services import grant_queue_skill

from . import selectors
from .models import (
    Attempt,
    AttemptMode,
    Attendance,
    Case,
    CaseKind,
    CaseSource,
    Certification,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Extension,
    GoalStatus,
    Milestone,
    PlanGoal,
    Programme,
    Progress,
    Quiz,
    Response,
    Session,
    SignOff,
    SignOffRole,
    Tier,
    TrainingPlan,
)


class TrainingError(ValueError):
    """A rule of training refused the change; the message says why (translated)."""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- enrolment ----------------------------------------------------------------------------------


def next_cohort(programme: Programme, today: dt.date) -> Cohort | None:
    return programme.cohorts.filter(starts_on__gte=today).order_by("starts_on", "pk").first()


def enrol(
    programme: Programme,
    agent: Agent,
    *,
    cohort: Cohort | None = None,
    today: dt.date | None = None,
    user=None,
) -> Enrolment:
    """Enrol the agent (idempotent: an existing enrolment in the programme is returned as it is)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            programme=programme,
            agent=agent,
            defaults={
                "cohort": cohort,
                "enrolled_on": today,
                "nesting_until": cohort.starts_on + dt.timedelta(weeks=cohort.weeks)
                if cohort
                else None,
            },
        )
        if created:
            record(
                actor=user,
                action=AuditAction.CREATE,
                obj=enrolment,
                fields=["programme", "cohort"],
                subject_agent_id=agent.pk,
            )
    return enrolment


def enrol_new_hire(agent: Agent, role_code: str | None = None) -> Enrolment:
    """Enrol a new hire in their role's new-hire programme at their site and in its next nesting cohort.

    The programme: the site's active new-hire programme for ``role_code``, else one for any role
    (blank role), else the site's first new-hire programme. Raises ``TrainingError`` when the site
    has none. Idempotent. Called by recruiting's onboarding (``onboarding_step``).
    """
    site_id = agent.team.site_id
    programmes = Programme.objects.filter(
        site_id=site_id, tier=Tier.NEW_HIRE, active=True
    ).order_by("pk")
    programme = (
        (programmes.filter(role_code=role_code).first() if role_code else None)
        or programmes.filter(role_code="").first()
        or programmes.first()
    )
    if programme is None:
        raise TrainingError(_("The site has no new-hire training programme."))
    existing = Enrolment.objects.filter(programme=programme, agent=agent).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return enrol(programme, agent, cohort=next_cohort(programme, today), today=today)


def onboarding_step(agent: Agent, offer=None) -> str:
    """Recruiting's onboarding step (``callable(agent, offer) -> description``): the training side."""
    role_code = getattr(offer, "role_code", None) or getattr(
        getattr(offer, "role", None), "code", None
    )
    try:
        enrolment = enrol_new_hire(agent, role_code)
    except TrainingError as exc:
        return str(exc)
    if enrolment.cohort_id:
        return _("Enrolled in %(programme)s, nesting cohort %(cohort)s from %(day)s.") % {
            "programme": enrolment.programme.name,
            "cohort": enrolment.cohort.name,
            "day": enrolment.cohort.starts_on.isoformat(),
        }
    return _("Enrolled in %(programme)s (no nesting cohort planned yet).") % {
        "programme": enrolment.programme.name
    }


def mark_milestone(
    enrolment: Enrolment, milestone: Milestone, *, user, today: dt.date | None = None
) -> Progress:
    """The trainer marks a milestone done; the last one moves the enrolment on (nesting or completed)."""
    if milestone.programme_id != enrolment.programme_id:
        raise TrainingError(_("This milestone belongs to another programme."))
    if enrolment.status in (
        EnrolmentStatus.GRADUATED,
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.WITHDRAWN,
    ):
        raise TrainingError(_("This enrolment is closed."))
    today = today or timezone.localdate()
    with transaction.atomic():
        progress, _created = Progress.objects.get_or_create(
            enrolment=enrolment, milestone=milestone, defaults={"done_on": today, "marked_by": user}
        )
        total = enrolment.programme.milestones.count()
        if enrolment.progress.count() >= total and enrolment.status == EnrolmentStatus.ACTIVE:
            if enrolment.cohort_id:
                enrolment.status = EnrolmentStatus.NESTING
            else:
                enrolment.status, enrolment.completed_on = EnrolmentStatus.COMPLETED, today
            enrolment.save(update_fields=["status", "completed_on"])
    return progress


def record_attendance(session: Session, present_ids: set[int], *, user) -> int:
    """Attendance of the session's enrolled agents: those in ``present_ids`` present, the others absent."""
    agents = list(
        Enrolment.objects.filter(programme_id=session.programme_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("agent_id", flat=True)
    )
    with transaction.atomic():
        for agent_id in agents:
            Attendance.objects.update_or_create(
                session=session, agent_id=agent_id, defaults={"present": agent_id in present_ids}
            )
    return len(agents)


def rate_session(attendance: Attendance, rating: int) -> Attendance:
    if not 1 <= rating <= 5:
        raise TrainingError(_("A rating is from 1 to 5."))
    if not attendance.present:
        raise TrainingError(_("Only those present rate a session."))
    attendance.rating = rating
    attendance.save(update_fields=["rating"])
    return attendance


# --- quizzes ---------------------------------------------------------------------------------------


def allowed_modes(quiz: Quiz, agent: Agent) -> list[str]:
    """Practice always; the pre-test once, before any final attempt; final attempts."""
    modes = set(Attempt.objects.filter(quiz=quiz, agent=agent).values_list("mode", flat=True))
    allowed = [AttemptMode.PRACTICE]
    if AttemptMode.PRE not in modes and AttemptMode.FINAL not in modes:
        allowed.append(AttemptMode.PRE)
    allowed.append(AttemptMode.FINAL)
    return [str(m) for m in allowed]


def submit_attempt(
    quiz: Quiz,
    agent: Agent,
    answers: dict[int, int | None],
    mode: str,
    *,
    now: dt.datetime | None = None,
) -> Attempt:
    """Score an attempt (share of the quiz's items answered with the keyed choice, in %)."""
    if mode not in allowed_modes(quiz, agent):
        raise TrainingError(_("This kind of attempt is not open to you."))
    items = list(quiz.items.filter(active=True))
    if not items:
        raise TrainingError(_("This quiz has no questions."))
    now = now or timezone.now()
    with transaction.atomic():
        correct = [answers.get(item.pk) == item.key for item in items]
        attempt = Attempt.objects.create(
            quiz=quiz,
            agent=agent,
            mode=mode,
            submitted_at=now,
            score=round(100 * sum(correct) / len(items), 2),
        )
        Response.objects.bulk_create(
            Response(attempt=attempt, item=item, choice=answers.get(item.pk), correct=ok)
            for item, ok in zip(items, correct, strict=True)
        )
        if mode == AttemptMode.FINAL and attempt.score >= quiz.pass_mark:
            _recertify(quiz, agent, attempt, timezone.localdate(now))
    return attempt


def _recertify(quiz: Quiz, agent: Agent, attempt: Attempt, today: dt.date) -> None:
    """A passed final attempt of a certification quiz renews a certification that expires soon (or has)."""
    for programme in Programme.objects.filter(certification_quiz=quiz, queue__isnull=False):
        latest = (
            Certification.objects.filter(agent=agent, queue_id=programme.queue_id)
            .order_by("-certified_on", "-pk")
            .first()
        )
        warning = today + dt.timedelta(days=selectors.RECERTIFY_WARNING_DAYS)
        if latest is not None and latest.expires_on <= warning:
            Certification.objects.create(
                agent=agent,
                queue_id=programme.queue_id,
                certified_on=today,
                expires_on=add_months(today, programme.certification_months),
                attempt=attempt,
                recertification=True,
            )


# --- sign-off, graduation, extension ---------------------------------------------------------------


SIGN_ROLES = {
    SignOffRole.TRAINER: Role.TRAINER,
    SignOffRole.QA: Role.QA,
    SignOffRole.LEAD: Role.TEAM_LEAD,
}


def may_sign_as(user, enrolment: Enrolment) -> list[str]:
    """The sign-off roles the user holds for this agent's team (trainer, QA, lead)."""
    access = load_access(user)
    return [
        str(sign)
        for sign, role in SIGN_ROLES.items()
        if access.has_role(role) and coverage(user, (role,)).covers(enrolment.agent.team_id)
    ]


def sign_off(
    enrolment: Enrolment, role: str, *, user, note: str = "", today: dt.date | None = None
) -> SignOff:
    """Sign the gate off as trainer, QA or lead; only once the gate passes. The third graduates."""
    today = today or timezone.localdate()
    if role not in may_sign_as(user, enrolment):
        raise TrainingError(_("You cannot sign off in this role."))
    if enrolment.status != EnrolmentStatus.NESTING:
        raise TrainingError(_("Only an agent in nesting can be signed off."))
    found = selectors.gate_for(enrolment, today)
    if found is None or not found[1].passed:
        raise TrainingError(_("The graduation gate has not passed: nothing to sign off."))
    with transaction.atomic():
        signed, _created = SignOff.objects.get_or_create(
            enrolment=enrolment,
            role=role,
            defaults={"user": user, "signed_at": timezone.now(), "note": note[:200]},
        )
        if set(enrolment.sign_offs.values_list("role", flat=True)) >= set(SignOffRole.values):
            graduate(enrolment, user=user, today=today)
    return signed


def graduate(enrolment: Enrolment, *, user, today: dt.date) -> Certification | None:
    """Graduated: the programme's queue becomes the agent's skill in workforce, with a certification."""
    enrolment.status, enrolment.completed_on = EnrolmentStatus.GRADUATED, today
    enrolment.save(update_fields=["status", "completed_on"])
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=enrolment,
        fields=["status"],
        subject_agent_id=enrolment.agent_id,
    )
    programme = enrolment.programme
    if programme.queue_id is None:
        return None
    grant_queue_skill(enrolment.agent, programme.queue)
    return Certification.objects.create(
        agent=enrolment.agent,
        queue_id=programme.queue_id,
        certified_on=today,
        expires_on=add_months(today, programme.certification_months),
        enrolment=enrolment,
    )


def extend(enrolment: Enrolment, new_until: dt.date, reason: str, *, user) -> Extension:
    if (
        enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.NESTING)
        or not enrolment.cohort_id
    ):
        raise TrainingError(_("Only an open nesting can be extended."))
    if not reason.strip():
        raise TrainingError(_("Say why nesting is extended."))
    if enrolment.nesting_until and new_until <= enrolment.nesting_until:
        raise TrainingError(_("The new date must be later than the current one."))
    with transaction.atomic():
        item = Extension.objects.create(
            enrolment=enrolment,
            previous_until=enrolment.nesting_until,
            new_until=new_until,
            reason=reason.strip(),
            by=user,
            at=timezone.now(),
        )
        enrolment.nesting_until = new_until
        enrolment.save(update_fields=["nesting_until"])
    return item


# --- the plan ---------------------------------------------------------------------------------------


def set_goal_status(goal: PlanGoal, status: str, note: str = "", *, user) -> PlanGoal:
    if status not in GoalStatus.values:
        raise TrainingError(_("Unknown status."))
    goal.status, goal.note, goal.updated_at = status, note[:200], timezone.now()
    goal.save(update_fields=["status", "note", "updated_at"])
    return goal


# --- cases ------------------------------------------------------------------------------------------


def _criteria_of(evaluation: Evaluation, kind: str) -> list[str]:
    """The criteria the case teaches: those failed (nothing earned) for a bad example, full marks for a good one."""
    card = card_from_definition(evaluation.version.definition)
    out = []
    for _section, criterion in card.criteria():
        answer = (evaluation.answers.get(criterion.key) or {}).get("answer")
        if answer is None or answer == NA:
            continue
        try:
            earned = criterion.fraction(answer)
        except (ValueError, TypeError):
            continue
        if (kind == CaseKind.WORST and earned == 0) or (kind == CaseKind.BEST and earned == 1):
            out.append(criterion.key)
    return sorted(out)


def case_from_evaluation(evaluation: Evaluation, kind: str, *, user, title: str = "") -> Case:
    """A QA evaluation marked as an example: the transcript's turns, masked, with the inspector's comments."""
    if kind not in CaseKind.values:
        raise TrainingError(_("Unknown kind of case."))
    existing = Case.objects.filter(evaluation=evaluation).first()
    if existing is not None:
        return existing
    lines = []
    transcript = Transcript.objects.filter(interaction_id=evaluation.interaction_id).first()
    if transcript is not None:
        speakers = {"agent": _("Agent"), "customer": _("Customer")}
        lines = [
            f"{speakers.get(t.speaker, t.speaker)}: {mask(t.text)}" for t in transcript.turns.all()
        ]
    comments = [
        f"[{key}] {mask(str(value.get('comment', '')))}"
        for key, value in sorted(evaluation.answers.items())
        if isinstance(value, dict) and value.get("comment")
    ]
    body = "\n".join(lines + ([""] if lines and comments else []) + comments) or _(
        "(no transcript)"
    )
    criteria = _criteria_of(evaluation, kind)
    case = Case.objects.create(
        site_id=evaluation.team.site_id if evaluation.team_id else evaluation.agent.team.site_id,
        title=title[:120] or _("QA example %(score)s") % {"score": evaluation.score},
        source=CaseSource.QA,
        kind=kind,
        evaluation=evaluation,
        body=body,
        criteria=criteria,
        created_by=user,
        created_at=timezone.now(),
    )
    record(actor=user, action=AuditAction.CREATE, obj=case, fields=["body"])
    return case


def tag_case(case: Case, criteria: list[str], *, user) -> Case:
    """Set the QA criteria a case teaches (criterion keys of the site's scorecards)."""
    case.criteria = sorted({c.strip() for c in criteria if c.strip()})[:20]
    case.save(update_fields=["criteria"])
    return case


def case_from_know_how(know_how: KnowHow, site, *, user) -> Case:
    existing = Case.objects.filter(know_how=know_how).first()
    if existing is not None:
        return existing
    body = "\n".join(part for part in (know_how.situation, know_how.body) if part)
    return Case.objects.create(
        site=site,
        title=know_how.title[:120],
        source=CaseSource.KNOW_HOW,
        kind=CaseKind.BEST,
        know_how=know_how,
        body=mask(body),
        criteria=[],
        created_by=user,
        created_at=timezone.now(),
    )


# --- editing programmes, cohorts and quizzes ---------------------------------------------------


def save_programme(form, milestones, *, user) -> Programme:
    """A programme and its milestones (an inline formset), together or not at all."""
    with transaction.atomic():
        programme = form.save()
        milestones.instance = programme
        milestones.save()
    record(actor=user, action=AuditAction.UPDATE, obj=programme, fields=sorted(form.changed_data))
    return programme


def save_cohort(form, *, user) -> Cohort:
    """A cohort with its exposure stages (parsed and checked by the form). The roster reads the
    new stages from its next run; members keep their cohort."""
    cohort = form.save()
    record(actor=user, action=AuditAction.UPDATE, obj=cohort, fields=sorted(form.changed_data))
    return cohort


def save_quiz(form, *, user) -> Quiz:
    with transaction.atomic():
        quiz = form.save()
    record(actor=user, action=AuditAction.UPDATE, obj=quiz, fields=sorted(form.changed_data))
    return quiz


def save_plan(form, goals, *, user) -> TrainingPlan:
    """A plan and its quarterly goals (an inline formset), together or not at all. A goal whose
    status changed gets ``updated_at`` as if set on the plan page."""
    with transaction.atomic():
        plan = form.save()
        goals.instance = plan
        for goal_form in goals.forms:
            if goal_form.has_changed() and "status" in goal_form.changed_data:
                goal_form.instance.updated_at = timezone.now()
        goals.save()
    changed = sorted(form.changed_data) + (["goals"] if goals.has_changed() else [])
    record(actor=user, action=AuditAction.UPDATE, obj=plan, fields=changed)
    return plan


def save_session(form, *, user) -> Session:
    session = form.save()
    record(actor=user, action=AuditAction.UPDATE, obj=session, fields=sorted(form.changed_data))
    return session
