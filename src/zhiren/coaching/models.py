"""Coaching: situational ratings, BIA/BID feedback, GROW sessions, interferences,
improvement plans and delegated tasks.

Everything here about one agent is seen by the agent, their own lead and HR
(``FieldGroup.SENSITIVE``); only praise a lead chose to share reaches the team's
recognition wall. Corrective feedback can never be shared (``coaching_bid_never_shared``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent
from zhiren.org.querysets import VisibleManager

from .situational import State


class StateChoice(models.TextChoices):
    DIRECTING = State.DIRECTING.value, _("Directing")
    COACHING = State.COACHING.value, _("Coaching")
    MOTIVATING = State.MOTIVATING.value, _("Motivating")
    DELEGATING = State.DELEGATING.value, _("Delegating")
    UNKNOWN = State.UNKNOWN.value, _("Unknown")


def _in_range(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5})


class StateRating(models.Model):
    """The lead's rating of an agent's willingness (and optionally ability), with evidence,
    or the agent's own view of their willingness (``is_self``)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="state_ratings")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    rated_on = models.DateField(_("date"))
    is_self = models.BooleanField(_("own view"), default=False)
    ability = models.PositiveSmallIntegerField(_("ability"), null=True, blank=True)
    motivation = models.PositiveSmallIntegerField(_("motivation"), null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(_("confidence"), null=True, blank=True)
    commitment = models.PositiveSmallIntegerField(_("commitment"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-rated_on", "-id"]
        verbose_name = _("state rating")
        verbose_name_plural = _("state ratings")
        indexes = [models.Index(fields=["agent", "is_self", "rated_on"])]
        constraints = [
            models.CheckConstraint(
                condition=_in_range("ability") & _in_range("motivation") & _in_range("confidence")
                & _in_range("commitment"),
                name="coaching_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.rated_on}"


class SkillAssessment(models.Model):
    """A skill assessed on 1–5 (product knowledge, system use, communication, …)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skill_assessments")
    skill = models.CharField(_("skill"), max_length=60)
    score = models.PositiveSmallIntegerField(_("score"))
    assessed_on = models.DateField(_("date"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="coaching_skill_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.score}"


class StateSnapshot(models.Model):
    """Where an agent stood on a day, kept to show movement on the map over time."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="state_snapshots")
    on = models.DateField(_("date"))
    ability = models.FloatField(_("ability"), null=True, blank=True)
    willingness = models.FloatField(_("willingness"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=StateChoice.choices)

    class Meta:
        ordering = ["agent_id", "-on"]
        verbose_name = _("state snapshot")
        verbose_name_plural = _("state snapshots")
        constraints = [models.UniqueConstraint(fields=["agent", "on"], name="coaching_snapshot_once_a_day")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.on} {self.state}"


class FeedbackKind(models.TextChoices):
    PRAISE = "bia", _("Praise (BIA)")
    CORRECTIVE = "bid", _("Corrective feedback (BID)")


class Feedback(models.Model):
    """BIA praise (behavior, impact, appreciation) or BID correction (behavior, impact, desired)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="coaching_feedback")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="given_feedback")
    kind = models.CharField(_("kind"), max_length=3, choices=FeedbackKind.choices)
    given_on = models.DateField(_("date"))
    behavior = models.TextField(_("behavior"))
    impact = models.TextField(_("impact"))
    appreciation = models.TextField(_("appreciation"), blank=True)
    desired = models.TextField(_("desired behavior"), blank=True)
    kpi = models.CharField(_("KPI"), max_length=30, blank=True)
    interaction_ref = models.CharField(_("interaction"), max_length=100, blank=True)
    shared_on_wall = models.BooleanField(_("shared on the recognition wall"), default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    # A correction written with the three beliefs (seed 004, 教练之路) shown first on the form:
    # the lead's growth self-check counts it.
    beliefs_shown = models.BooleanField(_("three beliefs shown first"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["agent", "kind", "given_on"])]
        constraints = [
            # Corrective feedback is one-to-one: it can never reach the wall.
            models.CheckConstraint(
                condition=Q(kind="bia") | Q(shared_on_wall=False), name="coaching_bid_never_shared"
            ),
            models.CheckConstraint(
                condition=(Q(kind="bia", desired="") & ~Q(appreciation=""))
                | (Q(kind="bid", appreciation="") & ~Q(desired="")),
                name="coaching_feedback_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.agent} {self.given_on}"

    @property
    def is_praise(self) -> bool:
        return self.kind == FeedbackKind.PRAISE

    @property
    def closing(self) -> str:
        return self.appreciation if self.is_praise else self.desired


class GrowStage(models.TextChoices):
    GOAL = "goal", _("Goal")
    REALITY = "reality", _("Reality")
    OPTIONS = "options", _("Options")
    WILL = "will", _("Will")


class GrowQuestion(Versioned):
    """The editable, bilingual question bank of the GROW conversation."""

    stage = models.CharField(_("stage"), max_length=10, choices=GrowStage.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=200)
    text_en = models.CharField(_("question (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("GROW question")
        verbose_name_plural = _("GROW questions")

    def __str__(self) -> str:
        return self.text_en

    def text_for(self, language: str | None) -> str:
        if (language or "").lower().startswith("zh"):
            return self.text_zh or self.text_en
        return self.text_en or self.text_zh


class GrowSession(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="grow_sessions")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grow_sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    reality = models.TextField(_("reality"), blank=True)
    options = models.TextField(_("options"), blank=True)
    will = models.TextField(_("will"), blank=True)
    questions_used = models.JSONField(_("questions used"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("GROW session")
        verbose_name_plural = _("GROW sessions")

    def __str__(self) -> str:
        return self.topic


class Commitment(models.Model):
    """What the agent commits to at the end of a GROW session, with a due date and follow-up."""

    session = models.ForeignKey(GrowSession, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(_("commitment"), max_length=300)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.description


class InterferenceKind(models.TextChoices):
    TOOLS = "tools", _("Tools and systems")
    WORKLOAD = "workload", _("Workload")
    PERSONAL = "personal", _("Personal")
    SKILLS = "skills", _("Skills")
    OTHER = "other", _("Other")


class Interference(models.Model):
    """What gets in the way (P = p − I), and when it was removed."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="interferences")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        GrowSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="interferences"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InterferenceKind.choices)
    description = models.CharField(_("description"), max_length=300)
    raised_on = models.DateField(_("raised on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_note = models.CharField(_("how it was removed"), max_length=300, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["removed_on", "-raised_on", "-id"]
        verbose_name = _("interference")
        verbose_name_plural = _("interferences")

    def __str__(self) -> str:
        return self.description


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUCCEEDED = "succeeded", _("Target reached")
    NOT_MET = "not_met", _("Target not reached")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementPlan(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="improvement_plans")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("start"))
    review_on = models.DateField(_("review on"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    reason = models.TextField(_("why a plan"), blank=True)
    training = models.CharField(_("training"), max_length=200, blank=True)
    buddy = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("buddy")
    )
    coaching_every_days = models.PositiveSmallIntegerField(_("coaching every (days)"), default=7)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        constraints = [
            models.CheckConstraint(condition=Q(review_on__gte=models.F("started_on")), name="coaching_plan_dates"),
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True) | (~Q(status="active") & Q(closed_on__isnull=False)),
                name="coaching_plan_closed_when_not_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.started_on}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="goals")
    kpi = models.CharField(_("KPI"), max_length=60)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    target = models.FloatField(_("target"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self) -> str:
        return f"{self.kpi} → {self.target}"


class CheckInProgress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class PlanCheckIn(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField(_("date"))
    progress = models.CharField(_("progress"), max_length=10, choices=CheckInProgress.choices)
    note = models.TextField(_("note"))

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.on} {self.progress}"


class Delegation(models.Model):
    """A task handed to an agent after walking through the six guiding questions."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="delegations")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("task"), max_length=200)
    assigned_on = models.DateField(_("assigned on"))
    state = models.CharField(_("state when assigned"), max_length=12, choices=StateChoice.choices)
    what = models.TextField(_("what"))
    why = models.TextField(_("why"))
    good = models.TextField(_("what good looks like"))
    resources = models.TextField(_("resources"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    check_how = models.TextField(_("how we check"), blank=True)
    check_on = models.DateField(_("first check"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-assigned_on", "-id"]
        verbose_name = _("delegated task")
        verbose_name_plural = _("delegated tasks")
        constraints = [
            models.CheckConstraint(condition=Q(check_on__gte=models.F("assigned_on")), name="coaching_delegation_dates"),
        ]

    def __str__(self) -> str:
        return self.title
