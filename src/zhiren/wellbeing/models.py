"""Moods, detected cycles, early-warning alerts, buddy pairs and the team message board."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Team
from zhiren.org.querysets import VisibleManager

from . import alerts as rules
from . import cycles


class Score(models.IntegerChoices):
    AWFUL = 1, _("Very bad")
    LOW = 2, _("Low")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    GREAT = 5, _("Great")


FACES = {1: "😣", 2: "😞", 3: "😐", 4: "😊", 5: "😄"}
LOW_SCORE = rules.DEFAULTS.low_score


class Cause(models.TextChoices):
    NOT_VALUED = "not_valued", _("Not valued")
    DIFFICULTY = "difficulty", _("Difficulty")
    WORKLOAD = "workload", _("Workload")
    UNFAIR_COMPARISON = "unfair_comparison", _("Unfair comparison")
    CUSTOMER = "customer", _("Customer")
    LEADER = "leader", _("Leader")
    PERSONAL = "personal", _("Personal")
    HEALTH = "health", _("Health")


class Source(models.TextChoices):
    SELF = "self", _("Self check-in")
    OBSERVED = "observed", _("Observed at the morning meeting")


class MoodEntry(models.Model):
    """One mood on one day, told by the agent or observed by the lead. The note is sensitive."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="moods", verbose_name=_("agent")
    )
    day = models.DateField(_("day"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    score = models.PositiveSmallIntegerField(_("mood"), choices=Score.choices)
    causes = models.JSONField(_("causes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Field names for the audit trail when the note is read.
    SENSITIVE_FIELDS = ("note",)

    class Meta:
        ordering = ["-day", "source"]
        verbose_name = _("mood")
        verbose_name_plural = _("moods")
        constraints = [
            models.UniqueConstraint(fields=["agent", "day", "source"], name="mood_one_per_day_source"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="mood_score_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["day", "agent"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day} {self.score}"

    @property
    def face(self) -> str:
        return FACES.get(self.score, "")

    def get_causes_display(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes or []]


class CycleKind(models.TextChoices):
    WEEKDAY = cycles.WEEKDAY, _("Weekday")
    MONTH_END = cycles.MONTH_END, _("Month-end / assessment period")
    AFTER_PROMOTION = cycles.AFTER_PROMOTION, _("After a promotion peak")
    BEFORE_HOLIDAY = cycles.BEFORE_HOLIDAY, _("Days before a public holiday")


class Strength(models.TextChoices):
    MODERATE = "moderate", _("Moderate evidence")
    STRONG = "strong", _("Strong evidence")


class MoodCycle(models.Model):
    """A pattern found by the nightly evaluation, with its evidence. Replaced on each run."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="mood_cycles")
    kind = models.CharField(_("pattern"), max_length=20, choices=CycleKind.choices)
    key = models.PositiveSmallIntegerField(_("weekday"), default=0)
    n_in = models.PositiveIntegerField(_("days under the condition"))
    n_out = models.PositiveIntegerField(_("other days"))
    mean_in = models.FloatField(_("mean under the condition"))
    mean_out = models.FloatField(_("mean on other days"))
    effect = models.FloatField(_("difference"))
    p_value = models.FloatField(_("p-value (adjusted)"))
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices)
    computed_on = models.DateField(_("computed on"))

    class Meta:
        ordering = ["agent_id", "p_value"]
        verbose_name = _("emotion cycle")
        verbose_name_plural = _("emotion cycles")
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "key"], name="mood_cycle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind} {self.key}"

    @property
    def is_low(self) -> bool:
        return self.effect < 0


class AlertKind(models.TextChoices):
    VERY_LOW = rules.VERY_LOW, _("Very low mood today")
    SUSTAINED_LOW = rules.SUSTAINED_LOW, _("Sustained low mood")
    SHARP_DROP = rules.SHARP_DROP, _("Sharp drop from own baseline")
    LOW_ON_HARD_QUEUE = rules.LOW_ON_HARD_QUEUE, _("Low mood on a complaint queue")


class Action(models.TextChoices):
    ONE_TO_ONE = rules.ONE_TO_ONE, _("One-to-one talk")
    LIGHTER_QUEUE = rules.LIGHTER_QUEUE, _("Lighter queue for a while")
    BUDDY = rules.BUDDY, _("Pair with a buddy")
    LONGER_MEETING = rules.LONGER_MEETING, _("Longer morning meeting")
    OTHER = "other", _("Something else")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTED = "acted", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")


class MoodAlert(models.Model):
    """An early warning for one agent, with the evidence and what the lead did about it."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="mood_alerts")
    kind = models.CharField(_("alert"), max_length=20, choices=AlertKind.choices)
    day = models.DateField(_("day"))  # the check-in that triggered it
    raised_on = models.DateField(_("raised on"))
    evidence = models.JSONField(_("evidence"), default=dict)
    suggested = models.JSONField(_("suggested actions"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    action = models.CharField(_("action taken"), max_length=20, choices=Action.choices, blank=True)
    action_note = models.TextField(_("what was done"), blank=True, max_length=1000)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["status", "-day", "agent_id"]
        verbose_name = _("mood alert")
        verbose_name_plural = _("mood alerts")
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "day"], name="mood_alert_once_per_day")
        ]
        indexes = [models.Index(fields=["status", "agent"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind} {self.day}"

    def get_suggested_display(self) -> list[str]:
        labels = dict(Action.choices)
        return [str(labels.get(a, a)) for a in self.suggested or []]


class EvaluationRun(models.Model):
    """One nightly evaluation; one per day (re-running the same day refreshes it)."""

    day = models.DateField(_("day"), unique=True)
    agents = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    cycles_found = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class BuddyPair(models.Model):
    """一帮一: an experienced agent helps a colleague through a hard patch."""

    helper = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="buddy_helping", verbose_name=_("helper")
    )
    buddy = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="buddy_helped", verbose_name=_("helped")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    alert = models.ForeignKey(
        MoodAlert, on_delete=models.SET_NULL, null=True, blank=True, related_name="buddy_pairs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = VisibleManager()

    class Meta:
        ordering = ["ended_on", "-started_on"]
        verbose_name = _("buddy pair")
        verbose_name_plural = _("buddy pairs")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(helper=models.F("buddy")), name="buddy_not_self"
            ),
            models.UniqueConstraint(
                fields=["buddy"], condition=models.Q(ended_on__isnull=True),
                name="buddy_one_active_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_id} → {self.buddy_id}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class BoardMessage(models.Model):
    """A message of encouragement on a team's board (员工留言板). Visible to the whole team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="board_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("signed"), max_length=60, blank=True)
    body = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("board message")
        verbose_name_plural = _("board messages")

    def __str__(self) -> str:
        return self.body[:40]
