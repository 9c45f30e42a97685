"""Quality (质检): scorecards, transcripts and their rule hits, sampling, evaluations,
calibration and disputes.

A scorecard is edited by publishing a new ``ScorecardVersion`` (its definition is JSON
read by ``scoring.card_from_definition``); an evaluation keeps the version it was scored
on and stores both its answers and the computed score, so no later edit changes it.
Every change of a stored score is a ``ScoreChange`` row saying who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent, Channel, Site, Team
from zhiren.org.querysets import VisibleManager
from zhiren.performance.models import Interaction

from .rules.engine import KINDS


class Scorecard(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("scorecard")
        ordering = ["site", "channel", "name"]

    def __str__(self) -> str:
        return self.name

    def current(self) -> ScorecardVersion | None:
        return self.versions.order_by("-number").first()


class ScorecardVersion(models.Model):
    """One published state of a scorecard; never edited after an evaluation uses it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # {"max_score": 100, "sections": [{"key", "label", "weight", "bonus",
    #   "criteria": [{"key", "label", "points", "scale", "na_allowed", "critical"}]}]}
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "number"], name="quality_version_unique")]

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.number}"


class PhraseList(Versioned):
    """A named, editable list of phrases (the shipped 服务禁语 list is the first).

    Edited on its page by the site's QA lead (``services.save_phrase_list``); a list out of
    use is left out of the rules, so no rule in use may name it.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.SlugField(_("name"), max_length=40)
    phrases = models.JSONField(_("phrases"), default=list)
    active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="quality_phrase_list_unique")]

    def __str__(self) -> str:
        return self.name


class TranscriptRule(Versioned):
    """A transcript rule (see ``rules.engine`` for the kinds and the expression language);
    edited on its page by the site's QA lead (``services.save_rule``)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=[(k, k) for k in KINDS])
    expression = models.JSONField(_("expression"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    speaker = models.CharField(_("speaker"), max_length=10, blank=True)
    # Pre-fill: a hit suggests this answer for this criterion; the inspector confirms it.
    criterion_key = models.CharField(_("criterion"), max_length=40, blank=True)
    suggested_answer = models.CharField(_("suggested answer"), max_length=10, blank=True)
    targets_sampling = models.BooleanField(_("feeds targeted sampling"), default=True)
    active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="quality_rule_unique")]

    def __str__(self) -> str:
        return self.name


class Transcript(models.Model):
    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="transcript")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    def __str__(self) -> str:
        return str(self.interaction_id)


class Turn(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="turns")
    seq = models.PositiveIntegerField()
    speaker = models.CharField(max_length=10)
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    # ``rules.normalize`` of the text, stored at import so that checks search it as it is;
    # None (turns saved before it was stored): normalised when checked
    normalized = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["transcript", "seq"]
        constraints = [models.UniqueConstraint(fields=["transcript", "seq"], name="quality_turn_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.speaker}"


class RuleHit(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="hits")
    rule = models.ForeignKey(TranscriptRule, on_delete=models.CASCADE, related_name="hits")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    day = models.DateField()
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.FloatField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        indexes = [models.Index(fields=["agent", "day"])]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.transcript_id}"


class Period(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class SamplingPlan(models.Model):
    """How many contacts per agent and period are scored for a team (or one queue), and how drawn."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    queue = models.CharField(_("queue"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=100)
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="+")
    per_agent = models.PositiveSmallIntegerField(_("contacts per agent"), default=4)
    period = models.CharField(_("period"), max_length=5, choices=Period.choices, default=Period.WEEK)
    targeted_share = models.FloatField(_("targeted share"), default=0.5)
    # which targeted reasons are drawn first: see sampling.TARGETS
    targets = models.JSONField(_("targets"), default=list, blank=True)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    self_evaluation = models.BooleanField(_("agents evaluate themselves first"), default=False)
    review_step = models.BooleanField(_("QA lead reviews before release"), default=True)
    dispute_days = models.PositiveSmallIntegerField(_("days to dispute"), default=7)
    active = models.BooleanField(_("in use"), default=True)

    objects = VisibleManager()

    def __str__(self) -> str:
        return self.name


class Sample(models.Model):
    """A contact drawn for scoring: one line of an inspector's queue."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="samples")
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    reason = models.CharField(_("reason"), max_length=20)
    drawn_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "interaction"], name="quality_sample_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.interaction_id}"


class EvaluationKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SELF = "self", _("Self-evaluation")
    CALIBRATION = "calibration", _("Calibration")


class EvaluationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    RELEASED = "released", _("Released")


class Evaluation(models.Model):
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="evaluations")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sample = models.ForeignKey(Sample, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations")
    calibration = models.ForeignKey("CalibrationSession", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="evaluations")
    kind = models.CharField(max_length=12, choices=EvaluationKind.choices, default=EvaluationKind.INSPECTION)
    status = models.CharField(max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.SUBMITTED)
    # {criterion key: {"answer": "yes" | "no" | 1–5 | points | "na", "comment": "…"}}
    answers = models.JSONField(_("answers"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    critical_failed = models.CharField(max_length=10, blank=True)
    seconds_spent = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    day = models.DateField()  # the contact's day
    submitted_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        indexes = [models.Index(fields=["agent", "day"]), models.Index(fields=["team", "day"])]

    def __str__(self) -> str:
        return f"{self.interaction_id}: {self.score}"


class ScoreChange(models.Model):
    """The score history: every change of an evaluation's stored score, with the reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="changes")
    old_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    answers = models.JSONField(default=dict)  # the answers after the change
    reason = models.TextField()
    dispute = models.ForeignKey("Dispute", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_score} -> {self.new_score}"


class CalibrationSession(models.Model):
    """Several inspectors score the same contacts blind; the benchmark grader's answers are the reference."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    interactions = models.ManyToManyField(Interaction, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    benchmark = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    closed = models.BooleanField(_("closed"), default=False)

    def __str__(self) -> str:
        return self.name


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the inspector")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    ESCALATED = "escalated", _("With the QA lead")
    UPHELD = "upheld", _("Final: score stands")
    OVERTURNED = "overturned", _("Final: score changed")


class Dispute(models.Model):
    """申诉: a criterion (or the whole evaluation) disputed; level 1 the inspector, level 2 the QA lead (终审)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="disputes")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    criterion_key = models.CharField(_("criterion"), max_length=40, blank=True)  # blank: the whole evaluation
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    comment = models.TextField(_("comment"))
    status = models.CharField(max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    level = models.PositiveSmallIntegerField(default=1)
    inspector_reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    escalation_comment = models.TextField(blank=True)
    ruling = models.TextField(blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    ruled_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.status}"
