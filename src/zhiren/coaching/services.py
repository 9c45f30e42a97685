"""Writes of the coaching module. Other modules may call:

- ``record_feedback(lead, agent, kind, *, behavior, impact, appreciation="", desired="", given_on=None,
  kpi="", interaction_ref="", share=False, request=None)`` → ``Feedback``; writes a deposit (BIA) or
  withdrawal (BID) into the emotional bank account through ``zhiren.people.services.record_entry``;
- ``share_praise(lead, feedback)`` / ``unshare_praise(lead, feedback)`` — BIA only;
- ``rate_state(actor, agent, ...)``, ``assess_skill(lead, agent, ...)``, ``refresh_snapshot(agent, on)``;
- ``record_grow_session(lead, agent, ...)``, ``add_commitment``, ``follow_up_commitment``;
- ``record_interference``, ``remove_interference``;
- ``start_plan(lead, agent, goals=[(kpi, baseline, target)], ...)``, ``check_in_plan``, ``close_plan``;
- ``delegate_task(lead, agent, title, answers, check_on=None)``, ``complete_delegation``.

Writes about an agent are the agent's own lead's (``selectors.is_lead_of``); the agent gives
their own view of their willingness and follows up their own commitments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.core.versioning import claim_version
from zhiren.org.access import load_access
from zhiren.org.models import Agent

from . import providers, selectors
from .guidance import check_after_days
from .models import (
    CheckInProgress,
    Commitment,
    Delegation,
    Feedback,
    FeedbackKind,
    GrowQuestion,
    GrowSession,
    ImprovementPlan,
    Interference,
    InterferenceKind,
    PlanCheckIn,
    PlanGoal,
    PlanStatus,
    SkillAssessment,
    StateRating,
    StateSnapshot,
)
from .situational import QUESTIONS

LEDGER_SOURCE = "coaching"


def _require_lead(actor, agent: Agent) -> None:
    if not selectors.is_lead_of(actor, agent):
        raise PermissionError("only the agent's own lead does this")


def _not_future(day: dt.date, what) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": what})


# --- situational state -------------------------------------------------------------------------


def _check_rating(value, name) -> int | None:
    if value in (None, ""):
        return None
    value = int(value)
    if not 1 <= value <= 5:
        raise ValidationError(_("Ratings are from 1 to 5."), code=name)
    return value


@transaction.atomic
def rate_state(
    actor, agent: Agent, *, motivation=None, confidence=None, commitment=None, ability=None,
    evidence: str = "", rated_on: dt.date | None = None, request=None,
) -> StateRating:
    """The lead rates willingness (and optionally ability) with evidence; the agent gives their own view."""
    is_self = load_access(actor).own_agent_id == agent.pk
    if not is_self:
        _require_lead(actor, agent)
        if not (evidence or "").strip():
            raise ValidationError(_("Write down what you observed: a rating needs evidence."))
    rated_on = rated_on or timezone.localdate()
    _not_future(rated_on, _("The date"))
    values = {name: _check_rating(v, name) for name, v in (
        ("motivation", motivation), ("confidence", confidence), ("commitment", commitment), ("ability", ability))}
    if all(v is None for v in values.values()):
        raise ValidationError(_("Give at least one rating."))
    rating = StateRating.objects.create(
        agent=agent, rated_by=actor, rated_on=rated_on, is_self=is_self, evidence=evidence.strip(), **values
    )
    refresh_snapshot(agent, rated_on)
    audit(actor=actor, action=AuditAction.CREATE, obj=rating, fields=[*values, "evidence"],
          subject_agent_id=agent.pk, request=request)
    return rating


def assess_skill(lead, agent: Agent, skill: str, score: int, *, note: str = "", assessed_on=None) -> SkillAssessment:
    _require_lead(lead, agent)
    score = _check_rating(score, "score")
    if score is None or not skill.strip():
        raise ValidationError(_("Name the skill and give a score from 1 to 5."))
    assessed_on = assessed_on or timezone.localdate()
    _not_future(assessed_on, _("The date"))
    item = SkillAssessment.objects.create(agent=agent, skill=skill.strip(), score=score, assessed_on=assessed_on,
                                          assessed_by=lead, note=note)
    refresh_snapshot(agent, assessed_on)
    return item


def refresh_snapshot(agent: Agent, on: dt.date | None = None) -> StateSnapshot:
    """Store where the agent stands on ``on`` (idempotent per day) for the map's movement."""
    on = on or timezone.localdate()
    st = selectors.agent_states([agent], on)[agent.pk]
    snap, _created = StateSnapshot.objects.update_or_create(
        agent=agent, on=on,
        defaults={"ability": st.ability.score, "willingness": st.willingness, "state": str(st.state)},
    )
    return snap


# --- feedback -------------------------------------------------------------------------------------


def _ledger_entry(lead, feedback: Feedback) -> None:
    """A deposit for praise, a withdrawal for correction — through the people module's service.

    The note names the kind only: the ledger never repeats what the corrective feedback said.
    """
    from zhiren.people.models import EntryKind
    from zhiren.people.services import record_entry

    if feedback.is_praise:
        kind, note = EntryKind.PRAISE, gettext("Praise (BIA)")
    else:
        kind, note = EntryKind.CRITICISM, gettext("Corrective feedback (BID)")
    record_entry(lead, feedback.agent, kind, note=note, occurred_on=feedback.given_on,
                 source=LEDGER_SOURCE, source_ref=f"feedback:{feedback.pk}")


@transaction.atomic
def record_feedback(
    lead, agent: Agent, kind: str, *, behavior: str, impact: str, appreciation: str = "", desired: str = "",
    given_on: dt.date | None = None, kpi: str = "", interaction_ref: str = "", share: bool = False, request=None,
    beliefs_shown: bool = False,
) -> Feedback:
    """Record BIA praise or BID correction. Only praise may be shared to the wall. ``beliefs_shown``:
    the three beliefs were put before the lead as they wrote a correction (kept for corrections)."""
    _require_lead(lead, agent)
    if kind not in FeedbackKind.values:
        raise ValidationError(_("Unknown kind of feedback."))
    behavior, impact = (behavior or "").strip(), (impact or "").strip()
    appreciation, desired = (appreciation or "").strip(), (desired or "").strip()
    if kind == FeedbackKind.PRAISE:
        if desired:
            raise ValidationError(_("Praise names the behavior, its impact and your appreciation."))
        if not appreciation:
            raise ValidationError(_("Say how you appreciate it."))
    else:
        if share:
            raise ValidationError(
                _("Corrective feedback is always one-to-one: it cannot be shared."), code="bid_not_shareable"
            )
        if appreciation:
            raise ValidationError(_("Corrective feedback names the behavior, its impact and what you want instead."))
        if not desired:
            raise ValidationError(_("Say what you would like to see instead."))
    if not behavior or not impact:
        raise ValidationError(_("Describe the behavior and its impact."))
    if kpi and kpi not in dict(providers.kpi_choices()):
        raise ValidationError(_("Unknown KPI."))
    given_on = given_on or timezone.localdate()
    _not_future(given_on, _("The date"))
    feedback = Feedback.objects.create(
        agent=agent, lead=lead, kind=kind, given_on=given_on, behavior=behavior, impact=impact,
        appreciation=appreciation, desired=desired, kpi=kpi, interaction_ref=(interaction_ref or "").strip(),
        shared_on_wall=bool(share), shared_at=timezone.now() if share else None,
        beliefs_shown=bool(beliefs_shown) and kind == FeedbackKind.CORRECTIVE,
    )
    _ledger_entry(lead, feedback)
    audit(actor=lead, action=AuditAction.CREATE, obj=feedback,
          fields=["behavior", "impact", "appreciation" if feedback.is_praise else "desired"],
          subject_agent_id=agent.pk, request=request)
    return feedback


def share_praise(lead, feedback: Feedback) -> Feedback:
    _require_lead(lead, feedback.agent)
    if not feedback.is_praise:
        raise ValidationError(
            _("Corrective feedback is always one-to-one: it cannot be shared."), code="bid_not_shareable"
        )
    if not feedback.shared_on_wall:
        feedback.shared_on_wall = True
        feedback.shared_at = timezone.now()
        feedback.save(update_fields=["shared_on_wall", "shared_at"])
    return feedback


def unshare_praise(lead, feedback: Feedback) -> Feedback:
    _require_lead(lead, feedback.agent)
    if feedback.shared_on_wall:
        feedback.shared_on_wall = False
        feedback.shared_at = None
        feedback.save(update_fields=["shared_on_wall", "shared_at"])
    return feedback


# --- GROW -------------------------------------------------------------------------------------------


@transaction.atomic
def record_grow_session(
    lead, agent: Agent, *, held_on: dt.date | None = None, topic: str, goal: str = "", reality: str = "",
    options: str = "", will: str = "", questions: Iterable[int] = (),
    commitments: Iterable[tuple[str, dt.date]] = (), interferences: Iterable[tuple[str, str]] = (), request=None,
) -> GrowSession:
    _require_lead(lead, agent)
    if not (topic or "").strip():
        raise ValidationError(_("Give the session a topic."))
    held_on = held_on or timezone.localdate()
    _not_future(held_on, _("The date"))
    known = set(GrowQuestion.objects.filter(pk__in=list(questions)).values_list("pk", flat=True))
    session = GrowSession.objects.create(
        agent=agent, lead=lead, held_on=held_on, topic=topic.strip(), goal=goal, reality=reality,
        options=options, will=will, questions_used=sorted(known),
    )
    for description, due_on in commitments:
        add_commitment(lead, session, description, due_on)
    for kind, description in interferences:
        record_interference(lead, agent, kind, description, session=session, raised_on=held_on)
    audit(actor=lead, action=AuditAction.CREATE, obj=session, fields=["goal", "reality", "options", "will"],
          subject_agent_id=agent.pk, request=request)
    return session


def add_commitment(lead, session: GrowSession, description: str, due_on: dt.date) -> Commitment:
    _require_lead(lead, session.agent)
    if not (description or "").strip():
        raise ValidationError(_("Describe the commitment."))
    if due_on < session.held_on:
        raise ValidationError(_("A commitment is due on or after the session."))
    return Commitment.objects.create(session=session, description=description.strip(), due_on=due_on)


def follow_up_commitment(actor, commitment: Commitment, *, note: str = "", done: bool = False) -> Commitment:
    """The lead (or the agent who committed) records the follow-up; ``done`` closes it."""
    agent = commitment.session.agent
    if load_access(actor).own_agent_id != agent.pk:
        _require_lead(actor, agent)
    if note.strip():
        commitment.follow_up_note = note.strip()
    commitment.followed_up_on = timezone.localdate()
    if done and commitment.done_at is None:
        commitment.done_at = timezone.now()
    commitment.save(update_fields=["follow_up_note", "followed_up_on", "done_at"])
    return commitment


def record_interference(lead, agent: Agent, kind: str, description: str, *, session: GrowSession | None = None,
                        raised_on: dt.date | None = None) -> Interference:
    _require_lead(lead, agent)
    if kind not in InterferenceKind.values:
        raise ValidationError(_("Unknown kind of interference."))
    if not (description or "").strip():
        raise ValidationError(_("Describe what gets in the way."))
    return Interference.objects.create(
        agent=agent, lead=lead, session=session, kind=kind, description=description.strip(),
        raised_on=raised_on or timezone.localdate(),
    )


def remove_interference(lead, interference: Interference, note: str = "", removed_on=None) -> Interference:
    _require_lead(lead, interference.agent)
    if interference.removed_on is None:
        interference.removed_on = removed_on or timezone.localdate()
        interference.removal_note = (note or "").strip()[:300]
        interference.save(update_fields=["removed_on", "removal_note"])
    return interference


# --- improvement plans -----------------------------------------------------------------------------


@transaction.atomic
def start_plan(
    lead, agent: Agent, *, goals: Iterable[tuple[str, float | None, float]], review_on: dt.date,
    started_on: dt.date | None = None, reason: str = "", training: str = "", buddy: Agent | None = None,
    coaching_every_days: int = 7, request=None,
) -> ImprovementPlan:
    _require_lead(lead, agent)
    goals = [g for g in goals if g and g[0]]
    if not goals:
        raise ValidationError(_("A plan needs at least one KPI goal."))
    if any(not providers.known_kpi(code) for code, _b, _t in goals):
        raise ValidationError(_("Unknown KPI."))
    started_on = started_on or timezone.localdate()
    if review_on < started_on:
        raise ValidationError(_("The review date is after the start."))
    if ImprovementPlan.objects.filter(agent=agent, status=PlanStatus.ACTIVE).exists():
        raise ValidationError(_("This agent already has an active improvement plan."))
    if buddy is not None and (buddy.pk == agent.pk or buddy.team_id != agent.team_id):
        raise ValidationError(_("The buddy is another agent of the same team."))
    if not 1 <= int(coaching_every_days) <= 60:
        raise ValidationError(_("Coaching cadence is between 1 and 60 days."))
    plan = ImprovementPlan.objects.create(
        agent=agent, lead=lead, started_on=started_on, review_on=review_on, reason=reason, training=training,
        buddy=buddy, coaching_every_days=int(coaching_every_days),
    )
    PlanGoal.objects.bulk_create(PlanGoal(plan=plan, kpi=c, baseline=b, target=t) for c, b, t in goals)
    audit(actor=lead, action=AuditAction.CREATE, obj=plan, fields=["goals", "reason"], subject_agent_id=agent.pk,
          request=request)
    return plan


@transaction.atomic
def add_plan_goal(lead, plan: ImprovementPlan, *, kpi: str, baseline: float | None, target: float,
                  request=None) -> PlanGoal:
    """One more goal on an active plan (e.g. a QA criterion's pass rate after a failed evaluation)."""
    _require_lead(lead, plan.agent)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("The plan is closed."))
    if not providers.known_kpi(kpi):
        raise ValidationError(_("Unknown KPI."))
    if plan.goals.filter(kpi=kpi).exists():
        raise ValidationError(_("The plan already has a goal on this measure."))
    goal = PlanGoal.objects.create(plan=plan, kpi=kpi, baseline=baseline, target=target)
    audit(actor=lead, action=AuditAction.UPDATE, obj=plan, fields=["goals"], subject_agent_id=plan.agent_id,
          request=request)
    return goal


def check_in_plan(lead, plan: ImprovementPlan, *, progress: str, note: str, on: dt.date | None = None) -> PlanCheckIn:
    _require_lead(lead, plan.agent)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("The plan is closed."))
    if progress not in CheckInProgress.values or not (note or "").strip():
        raise ValidationError(_("Choose the progress and write a note."))
    return PlanCheckIn.objects.create(plan=plan, on=on or timezone.localdate(), progress=progress, note=note.strip())


def close_plan(lead, plan: ImprovementPlan, *, status: str, outcome: str, request=None) -> ImprovementPlan:
    _require_lead(lead, plan.agent)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("The plan is closed."))
    if status not in (PlanStatus.SUCCEEDED, PlanStatus.NOT_MET, PlanStatus.CANCELLED):
        raise ValidationError(_("Choose how the plan ended."))
    if not (outcome or "").strip():
        raise ValidationError(_("Describe the outcome."))
    plan.status, plan.outcome, plan.closed_on = status, outcome.strip(), timezone.localdate()
    plan.save(update_fields=["status", "outcome", "closed_on"])
    audit(actor=lead, action=AuditAction.UPDATE, obj=plan, fields=["status", "outcome"],
          subject_agent_id=plan.agent_id, request=request)
    return plan


# --- delegation --------------------------------------------------------------------------------------


@transaction.atomic
def delegate_task(lead, agent: Agent, title: str, answers: dict[str, str], *, check_on: dt.date | None = None,
                  assigned_on: dt.date | None = None) -> Delegation:
    """Hand a task to an agent; the six answers are required for what, why and what good looks like."""
    _require_lead(lead, agent)
    if not (title or "").strip():
        raise ValidationError(_("Name the task."))
    missing = [q for q in ("what", "why", "good") if not (answers.get(q) or "").strip()]
    if missing:
        raise ValidationError(_("Answer at least what, why and what good looks like."))
    assigned_on = assigned_on or timezone.localdate()
    state = selectors.agent_states([agent], assigned_on)[agent.pk].state
    check_on = check_on or assigned_on + dt.timedelta(days=check_after_days(state))
    if check_on < assigned_on:
        raise ValidationError(_("The first check is on or after the assignment."))
    values = {q: (answers.get(q) or "").strip() for q in QUESTIONS if q != "check"}
    return Delegation.objects.create(
        agent=agent, lead=lead, title=title.strip(), assigned_on=assigned_on, state=str(state),
        check_how=(answers.get("check") or "").strip(), check_on=check_on, **values,
    )


def complete_delegation(actor, delegation: Delegation) -> Delegation:
    if load_access(actor).own_agent_id != delegation.agent_id:
        _require_lead(actor, delegation.agent)
    if delegation.done_at is None:
        delegation.done_at = timezone.now()
        delegation.save(update_fields=["done_at"])
    return delegation


# --- question bank --------------------------------------------------------------------------------------


@transaction.atomic
def save_question(actor, data: dict, question: GrowQuestion | None = None, *,
                  version: int | None = None) -> GrowQuestion:
    """``version``: the version the editing form was opened at (``StaleEdit`` if someone saved since)."""
    if not selectors.may_edit_questions(actor):
        raise PermissionError("leads, trainers and admins edit the question bank")
    question = question or GrowQuestion()
    claim_version(question, version)
    for name in ("stage", "text_zh", "text_en", "order", "active"):
        if name in data:
            setattr(question, name, data[name])
    if not (question.text_zh or question.text_en):
        raise ValidationError(_("Write the question in at least one language."))
    question.full_clean()
    question.save()
    return question
