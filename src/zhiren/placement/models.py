"""Placement (量才选用): the role catalogue, what is known of agents' traits and wishes, open
positions, assignment runs, picks checked for favoritism, and captured know-how."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent, Position, Site, Team

from . import fit


class Trait(models.TextChoices):
    CURIOUS = "curious", _("Curious, likes to dig in")
    LIVELY = "lively", _("Lively and upbeat")
    AMBITIOUS = "ambitious", _("Ambitious, driven by results")
    CALM = "calm", _("Calm and gentle")
    STEADY = "steady", _("Steady, not easily rattled")
    PATIENT = "patient", _("Patient")
    RIGOROUS = "rigorous", _("Rigorous")
    RULE_ABIDING = "rule_abiding", _("Respects rules")
    EMPATHETIC = "empathetic", _("Empathetic")
    RESILIENT = "resilient", _("Resilient under pressure")
    ARTICULATE = "articulate", _("Explains clearly")
    MENTORING = "mentoring", _("Enjoys helping others learn")
    ANALYTICAL = "analytical", _("Analytical")
    ORGANISED = "organised", _("Organised")
    DECISIVE = "decisive", _("Decisive, takes responsibility")


class Skill(models.TextChoices):
    PRODUCT = "product", _("Product knowledge")
    SELLING = "selling", _("Consultative selling")
    AFTERSALES_PROCESS = "aftersales_process", _("Returns, refunds and logistics")
    DE_ESCALATION = "de_escalation", _("De-escalation")
    POLICY = "policy", _("Policies and rules")
    QA_SCORING = "qa_scoring", _("Quality scoring")
    TRAINING_DELIVERY = "training_delivery", _("Training delivery")
    DATA_ANALYSIS = "data_analysis", _("Data analysis")
    PROCESS_IMPROVEMENT = "process_improvement", _("Process improvement")
    PEOPLE_LEADERSHIP = "people_leadership", _("Leading people")
    WRITING = "writing", _("Written communication")


def _validate_codes(values, choices, label) -> None:
    unknown = sorted(set(values or []) - set(choices))
    if unknown:
        raise ValidationError(_("Unknown %(what)s: %(codes)s") % {"what": label, "codes": ", ".join(unknown)})


class RoleProfile(Versioned):
    """A role of the catalogue with the traits and skills it needs and the weights of the fit."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    traits = models.JSONField(_("traits"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    weight_ability = models.FloatField(
        _("weight of ability"), default=fit.DEFAULT_WEIGHTS[fit.ABILITY],
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    weight_knowledge = models.FloatField(
        _("weight of knowledge"), default=fit.DEFAULT_WEIGHTS[fit.KNOWLEDGE],
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    weight_traits = models.FloatField(
        _("weight of traits"), default=fit.DEFAULT_WEIGHTS[fit.TRAITS],
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    weight_willingness = models.FloatField(
        _("weight of willingness"), default=fit.DEFAULT_WEIGHTS[fit.WILLINGNESS],
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        if self.name:
            return self.name
        return dict(Position.choices).get(self.code, self.code)

    def clean(self) -> None:
        _validate_codes(self.traits, Trait.values, _("trait"))
        _validate_codes(self.skills, Skill.values, _("skill"))
        if self.weight_ability + self.weight_knowledge + self.weight_traits + self.weight_willingness <= 0:
            raise ValidationError(_("At least one weight must be above zero."))

    def spec(self) -> fit.RoleSpec:
        return fit.RoleSpec(
            code=self.code,
            traits=tuple(self.traits or ()),
            skills=tuple(self.skills or ()),
            weights={
                fit.ABILITY: self.weight_ability,
                fit.KNOWLEDGE: self.weight_knowledge,
                fit.TRAITS: self.weight_traits,
                fit.WILLINGNESS: self.weight_willingness,
            },
        )

    def get_traits_display(self) -> list:
        labels = dict(Trait.choices)
        return [labels.get(t, t) for t in self.traits or []]

    def get_skills_display(self) -> list:
        labels = dict(Skill.choices)
        return [labels.get(s, s) for s in self.skills or []]


class AgentTraits(models.Model):
    """The traits a lead (or HR) has observed in an agent. No row: traits unknown."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="placement_traits")
    traits = models.JSONField(_("traits"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agent traits")
        verbose_name_plural = _("agent traits")

    def __str__(self) -> str:
        return str(self.agent)

    def clean(self) -> None:
        _validate_codes(self.traits, Trait.values, _("trait"))


class Stance(models.TextChoices):
    WANTS = fit.WANTS, _("Wants this role")
    UNWILLING = fit.UNWILLING, _("Does not want this role")


class WishSource(models.TextChoices):
    SELF = "self", _("Said by the agent")
    LEAD = "lead", _("Recorded by the lead")


class RoleWish(models.Model):
    """An agent's own wish for or against a role (the agent says it; a lead may record it)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="role_wishes")
    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="wishes")
    stance = models.CharField(_("stance"), max_length=12, choices=Stance.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=WishSource.choices, default=WishSource.SELF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("role wish")
        verbose_name_plural = _("role wishes")
        constraints = [models.UniqueConstraint(fields=["agent", "role"], name="placement_one_wish_per_role")]

    def __str__(self) -> str:
        return f"{self.agent} · {self.role} · {self.stance}"


class PositionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class OpenPosition(models.Model):
    """Seats to fill in a role at a site (optionally on a given team)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    role = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="positions", verbose_name=_("role"))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    status = models.CharField(_("status"), max_length=8, choices=PositionStatus.choices, default=PositionStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site__code", "role__order", "pk"]
        verbose_name = _("open position")
        verbose_name_plural = _("open positions")

    def __str__(self) -> str:
        return self.title or str(self.role)

    def clean(self) -> None:
        if self.team_id and self.site_id and self.team.site_id != self.site_id:
            raise ValidationError({"team": _("The team must belong to the position's site.")})


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPLIED = "applied", _("Applied")


class AssignmentRun(models.Model):
    """One optimisation over a site's open positions, with its result."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    seats = models.PositiveIntegerField(_("seats"), default=0)
    total_fit = models.FloatField(_("total fit"), default=0)
    greedy_total = models.FloatField(_("total fit of a greedy choice"), default=0)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    solver = models.CharField(max_length=30, blank=True)
    seconds = models.FloatField(default=0)
    blocked_by_wish = models.PositiveIntegerField(_("pairs left out for a stated unwillingness"), default=0)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.site} · {self.created_at:%Y-%m-%d %H:%M}"


class Move(models.Model):
    """One agent placed in one position by a run."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="moves")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(OpenPosition, on_delete=models.CASCADE, related_name="moves")
    fit_score = models.FloatField(_("fit"))
    rank = models.PositiveIntegerField(_("rank"))
    candidates = models.PositiveIntegerField(_("candidates"))
    override_reason = models.TextField(_("override reason"), blank=True)

    class Meta:
        ordering = ["position_id", "-fit_score", "agent_id"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")

    def __str__(self) -> str:
        return f"{self.agent} → {self.position}"


class PickKind(models.TextChoices):
    ROLE = "role", _("Pick for a role")
    TRANSFER = "transfer", _("Transfer")
    OVERRIDE = "override", _("Assignment against a stated wish")


class Pick(models.Model):
    """A person chosen for a role by a lead or planner, with where they ranked (favoritism check)."""

    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("picked by")
    )
    picked_by_name = models.CharField(max_length=150, blank=True)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent"))
    role = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="+", verbose_name=_("role"))
    position = models.ForeignKey(OpenPosition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    to_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("to team")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PickKind.choices, default=PickKind.ROLE)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    fit_score = models.FloatField(_("fit"), null=True)
    rank = models.PositiveIntegerField(_("rank"))
    candidates = models.PositiveIntegerField(_("candidates"))
    top_candidates = models.JSONField(default=list, blank=True)  # [{"id", "name", "score"}]
    below_top = models.BooleanField(_("not among the top candidates"), default=False)
    against_wish = models.BooleanField(_("against the agent's wish"), default=False)
    justification = models.TextField(_("justification"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        indexes = [models.Index(fields=["site", "created_at"])]

    def __str__(self) -> str:
        return f"{self.picked_by_name}: {self.agent} → {self.role}"

    @property
    def flagged(self) -> bool:
        return self.below_top or self.against_wish


class KnowHowKind(models.TextChoices):
    SCRIPT = "script", _("Script")
    TIP = "tip", _("Tip")
    CASE = "case", _("Case")


class KnowHow(models.Model):
    """A top performer's practice, kept for newcomers in a role (seed 000: 把经验沉淀下来)."""

    role = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="know_how", verbose_name=_("role"))
    author = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("whose practice")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=KnowHowKind.choices, default=KnowHowKind.TIP)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("what they do"))
    situation = models.CharField(_("when it applies"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role__order", "-created_at", "-pk"]
        verbose_name = _("know-how")
        verbose_name_plural = _("know-how")

    def __str__(self) -> str:
        return self.title
