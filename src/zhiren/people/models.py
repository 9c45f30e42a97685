"""People (知人): agent profiles, life stage with consent, heart-to-heart talks,
the emotional bank account and digest delivery."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent, Team
from zhiren.org.querysets import VisibleManager


class CareerAspiration(models.TextChoices):
    STAY_GROW = "stay_grow", _("Stay and grow in the role")
    LEAD = "lead", _("Become a team lead")
    OPERATIONS = "operations", _("Move to operations")
    QA = "qa", _("Move to quality assurance")
    TRAINING = "training", _("Move to training")
    CHANGE_CAREER = "change_career", _("Change career")


class JobFit(models.TextChoices):
    FITS = "fits", _("Fits the aspiration")
    PARTLY = "partly", _("Partly fits")
    DOES_NOT_FIT = "does_not_fit", _("Does not fit")


class Motivator(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement")
    INCOME = "income", _("Income")
    GROWTH = "growth", _("Growth")
    STABILITY = "stability", _("Stability")
    RECOGNITION = "recognition", _("Recognition")
    FLEXIBILITY = "flexibility", _("Flexibility")
    BELONGING = "belonging", _("Belonging")


class AgentProfile(Versioned):
    """What a lead knows about what an agent wants (seed 000 §01). Not sensitive
    by itself: seen by the agent, their lead, HR and site management."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="profile")
    career_aspiration = models.CharField(
        _("career aspiration"), max_length=20, choices=CareerAspiration.choices, blank=True
    )
    job_fit = models.CharField(
        _("does the current job fit it?"), max_length=20, choices=JobFit.choices, blank=True
    )
    motivators = models.JSONField(_("motivators, most important first"), default=list, blank=True)
    likes = models.TextField(_("likes"), blank=True)
    gift_ideas = models.TextField(_("gift ideas"), blank=True)
    personality_notes = models.TextField(_("personality notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return str(self.agent)

    def clean(self) -> None:
        motivators = list(self.motivators or [])
        unknown = sorted(set(motivators) - set(Motivator.values))
        if unknown:
            raise ValidationError({"motivators": _("Unknown motivator: %s") % ", ".join(unknown)})
        if len(set(motivators)) != len(motivators):
            raise ValidationError({"motivators": _("Each motivator may be ranked only once.")})


class ImportantDate(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="important_dates")
    label = models.CharField(_("occasion"), max_length=80)
    date = models.DateField(_("date"))
    yearly = models.BooleanField(_("every year"), default=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("important date")
        verbose_name_plural = _("important dates")

    def __str__(self) -> str:
        return f"{self.label} {self.date:%m-%d}"


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    IN_RELATIONSHIP = "relationship", _("In a relationship")
    MARRIED = "married", _("Married")
    OTHER = "other", _("Other")


class HomeSituation(models.TextChoices):
    RENTS = "rents", _("Rents")
    OWNS = "owns", _("Owns a home")
    WITH_FAMILY = "with_family", _("Lives with family")
    DORMITORY = "dormitory", _("Company dormitory")
    OTHER = "other", _("Other")


class LifeStage(models.Model):
    """Optional life-stage details, entered by the agent under a recorded consent.

    Never stores children's own data: only whether the agent has dependents.
    When consent is withdrawn the details are erased; the consent history stays.
    """

    SENSITIVE_FIELDS = ("marital_status", "has_dependents", "home", "family_situation")

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="life_stage")
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    has_dependents = models.BooleanField(_("has dependents"), null=True, blank=True)
    home = models.CharField(_("home"), max_length=20, choices=HomeSituation.choices, blank=True)
    family_situation = models.TextField(_("family situation"), blank=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("life stage")
        verbose_name_plural = _("life stages")

    def __str__(self) -> str:
        return str(self.agent)

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("Consent given")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class ConsentEvent(models.Model):
    """The record of each consent decision about life-stage details."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="consent_events")
    action = models.CharField(_("action"), max_length=10, choices=ConsentAction.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.action} {self.at:%Y-%m-%d}"


class TalkSetting(models.TextChoices):
    MEAL = "meal", _("Meal together")
    WALK = "walk", _("Walk")
    TEA = "tea", _("Tea or coffee")
    OFFICE = "office", _("Quiet room")
    ONLINE = "online", _("Video call")
    OTHER = "other", _("Other")


class TalkPrompt(models.TextChoices):
    """The conversation guide of seed 000 §01 (裸心会)."""

    GROWTH_STORY = "growth_story", _("Your growth story")
    PROUDEST = "proudest", _("Your proudest moment")
    WHY_JOINED = "why_joined", _("Why you joined us")
    RECENT_JOYS = "recent_joys", _("Recent joys")
    WORRIES = "worries", _("Worries")
    WHAT_NEXT = "what_next", _("What you want to do next")


MIN_TALK_AGENTS = 1
MAX_TALK_AGENTS = 5


class Talk(models.Model):
    """A heart-to-heart talk (裸心会): one lead with 1–5 agents."""

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="people_talks",
        verbose_name=_("lead"),
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="talks", verbose_name=_("team"))
    held_on = models.DateField(_("date"))
    setting = models.CharField(_("setting"), max_length=10, choices=TalkSetting.choices)
    prompts_used = models.JSONField(_("prompts used"), default=list, blank=True)
    summary = models.TextField(
        _("shared summary"), blank=True,
        help_text=_("Seen by every agent who took part. Keep private observations in the notes per agent."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("heart-to-heart talk")
        verbose_name_plural = _("heart-to-heart talks")
        indexes = [models.Index(fields=["lead", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_setting_display()}"


class TalkParticipant(models.Model):
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="participants")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="talk_participations")
    private_note = models.TextField(_("private note"), blank=True)

    class Meta:
        ordering = ["agent__employee_no"]
        constraints = [models.UniqueConstraint(fields=["talk", "agent"], name="talk_agent_once")]
        indexes = [models.Index(fields=["agent", "talk"])]

    def __str__(self) -> str:
        return f"{self.talk_id} · {self.agent_id}"


class FollowUp(models.Model):
    """An action agreed in a talk. The owner is the lead unless an agent is named."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("action"), max_length=200)
    owner_agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, blank=True, related_name="talk_follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["due_on", "done_at"])]

    def __str__(self) -> str:
        return self.description


DEFAULT_CADENCE_WEEKS = 8


class TalkCadence(models.Model):
    """How often every agent of a team should be in a talk."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="talk_cadence")
    weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=DEFAULT_CADENCE_WEEKS)

    class Meta:
        verbose_name = _("talk cadence")
        verbose_name_plural = _("talk cadences")
        constraints = [
            models.CheckConstraint(condition=models.Q(weeks__gte=1, weeks__lte=52), name="cadence_weeks_range")
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.weeks}"


class EntryKind(models.TextChoices):
    # deposits
    PRAISE = "praise", _("Specific praise")
    CARE_CHECK_IN = "care_check_in", _("Care check-in")
    BIRTHDAY_WISH = "birthday_wish", _("Birthday wish")
    SMALL_GIFT = "small_gift", _("Small gift")
    HELP = "help", _("Help with a problem")
    KEPT_PROMISE = "kept_promise", _("Kept promise")
    # withdrawals
    CRITICISM = "criticism", _("Criticism")
    BROKEN_PROMISE = "broken_promise", _("Broken promise")
    IMPOSED_OVERTIME = "imposed_overtime", _("Imposed overtime")
    REFUSED_REQUEST = "refused_request", _("Refused request")
    MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")


# Default weight of each kind; the sign says deposit (+) or withdrawal (−).
DEFAULT_WEIGHTS: dict[str, int] = {
    EntryKind.PRAISE: 2,
    EntryKind.CARE_CHECK_IN: 1,
    EntryKind.BIRTHDAY_WISH: 2,
    EntryKind.SMALL_GIFT: 2,
    EntryKind.HELP: 3,
    EntryKind.KEPT_PROMISE: 3,
    EntryKind.CRITICISM: -2,
    EntryKind.BROKEN_PROMISE: -5,
    EntryKind.IMPOSED_OVERTIME: -3,
    EntryKind.REFUSED_REQUEST: -2,
    EntryKind.MISSED_CHECK_IN: -1,
}
DEPOSIT_KINDS = frozenset(k for k, w in DEFAULT_WEIGHTS.items() if w > 0)
WITHDRAWAL_KINDS = frozenset(k for k, w in DEFAULT_WEIGHTS.items() if w < 0)
MAX_WEIGHT = 10


class BankEntry(models.Model):
    """One deposit or withdrawal in a lead's emotional bank account with an agent.

    ``amount`` is signed (weight × direction). Entries created by other modules
    carry ``source`` and ``source_ref``; the pair is unique so re-sending is harmless.
    """

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_entries"
    )
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="bank_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    amount = models.SmallIntegerField(_("amount"))
    source = models.CharField(_("source"), max_length=30, default="manual")
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("emotional bank entry")
        verbose_name_plural = _("emotional bank entries")
        indexes = [models.Index(fields=["lead", "agent", "occurred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~models.Q(source_ref=""),
                name="bank_entry_source_once",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=-MAX_WEIGHT, amount__lte=MAX_WEIGHT)
                & ~models.Q(amount=0),
                name="bank_entry_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.kind} {self.amount:+d}"

    @property
    def is_deposit(self) -> bool:
        return self.amount > 0


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu group robot")


class DigestWebhook(models.Model):
    """A group robot that receives a lead's daily digest."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_webhooks"
    )
    kind = models.CharField(_("robot"), max_length=10, choices=RobotKind.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"), max_length=200, blank=True,
        help_text=_("DingTalk and Feishu: the secret of the robot's signature check, if enabled."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("digest webhook")
        verbose_name_plural = _("digest webhooks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DigestDelivery(models.Model):
    """One digest for one lead, day and channel; its existence makes sending idempotent."""

    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.CharField(max_length=40)  # "email" or "webhook:<id>"
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "day", "channel"], name="digest_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.day} {self.channel}"
