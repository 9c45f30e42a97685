"""What the coaching module holds about an agent (``core.registries.personal_data``) and what it
erases when an agent has left: all of it (seen by the agent, their lead and HR only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import delete_rows, model_section
from zhiren.core.registries import APPROVER_LEAD, CorrectionTopic, DataSection, PersonalDataSource
from zhiren.org.models import Agent

from . import providers
from .models import (
    Commitment,
    Delegation,
    Feedback,
    GrowSession,
    ImprovementPlan,
    Interference,
    PlanCheckIn,
    SkillAssessment,
    StateRating,
    StateSnapshot,
)


def _goals(plan: ImprovementPlan) -> list[str]:
    return [f"{providers.kpi_label(g.kpi)}: {'—' if g.baseline is None else g.baseline} → {g.target}" for g in plan.goals.all()]


def collect(agent: Agent) -> list[DataSection]:
    plans = ImprovementPlan.objects.filter(agent=agent).prefetch_related("goals").order_by("started_on", "id")
    return [
        model_section("ratings", _("State ratings"), StateRating,
                      StateRating.objects.filter(agent=agent).order_by("rated_on", "id"),
                      ["rated_on", "is_self", "ability", "motivation", "confidence", "commitment", "evidence"]),
        model_section("skills", _("Skill assessments"), SkillAssessment,
                      SkillAssessment.objects.filter(agent=agent).order_by("assessed_on", "id"),
                      ["assessed_on", "skill", "score", "note"]),
        model_section("states", _("Situational states"), StateSnapshot,
                      StateSnapshot.objects.filter(agent=agent).order_by("on"),
                      ["on", "state", "ability", "willingness"]),
        model_section("feedback", _("Feedback"), Feedback,
                      Feedback.objects.filter(agent=agent).order_by("given_on", "id"),
                      ["given_on", "kind", "behavior", "impact", "appreciation", "desired", "kpi",
                       "shared_on_wall"]),
        model_section("grow_sessions", _("GROW sessions"), GrowSession,
                      GrowSession.objects.filter(agent=agent).order_by("held_on", "id"),
                      ["held_on", "topic", "goal", "reality", "options", "will"]),
        model_section("commitments", _("Commitments"), Commitment,
                      Commitment.objects.filter(session__agent=agent).order_by("due_on", "id"),
                      ["description", "due_on", "done_at", "follow_up_note", "followed_up_on"]),
        model_section("interferences", _("Interferences"), Interference,
                      Interference.objects.filter(agent=agent).order_by("raised_on", "id"),
                      ["raised_on", "kind", "description", "removed_on", "removal_note"]),
        model_section("plans", _("Improvement plans"), ImprovementPlan, plans, [
            "started_on", "review_on", "status", "reason", ("goals", _("goals"), _goals), "training", "outcome",
            "closed_on",
        ]),
        model_section("check_ins", _("Plan check-ins"), PlanCheckIn,
                      PlanCheckIn.objects.filter(plan__agent=agent).order_by("on", "id"), ["on", "progress", "note"]),
        model_section("delegations", _("Delegated tasks"), Delegation,
                      Delegation.objects.filter(agent=agent).order_by("assigned_on", "id"),
                      ["assigned_on", "title", "state", "what", "why", "good", "check_on", "done_at"]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Every coaching record of leavers (sessions take their commitments, plans their goals)."""
    return sum(
        delete_rows(model.objects.filter(agent_id__in=agent_ids), dry_run)
        for model in (StateRating, SkillAssessment, StateSnapshot, Feedback, GrowSession, Interference,
                      ImprovementPlan, Delegation)
    )


SOURCE = PersonalDataSource(
    label=_("Coaching"),
    collect=collect,
    erase=erase,
    corrections=(CorrectionTopic("coaching.records", _("Coaching records"), APPROVER_LEAD),),
)
