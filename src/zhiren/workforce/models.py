"""Workforce data: queues, skills, targets, shrinkage, shift templates and labour rules per
site, forecast versions, roster drafts and published schedules, leave and swap requests,
agent state events.

Times of a shift are kept as minutes from the local midnight of the shift's day
(``end_minute`` may exceed 1440 for a night shift), the same frame as the engine;
:mod:`zhiren.workforce.schedules` turns them into aware datetimes.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent, Channel, Site, Team
from zhiren.org.querysets import VisibleManager


class StaffingModel(models.TextChoices):
    ERLANG_C = "erlang-c", _("Erlang C")
    ERLANG_A = "erlang-a", _("Erlang A (with abandonment)")
    CHAT = "chat", _("Chat (concurrent conversations)")


class Queue(Versioned):
    """A contact queue of a site with its service targets and staffing model."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="wfm_queues", verbose_name=_("site")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE
    )
    history_name = models.CharField(
        _("queue name in the contact data"),
        max_length=60,
        blank=True,
        help_text=_("The queue column of imported contacts whose history feeds the forecast."),
    )
    model = models.CharField(
        _("staffing model"),
        max_length=10,
        choices=StaffingModel.choices,
        default=StaffingModel.ERLANG_C,
    )
    service_level = models.FloatField(
        _("service level target (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    answer_time_s = models.PositiveIntegerField(_("answer within (seconds)"), default=20)
    asa_target_s = models.PositiveIntegerField(_("ASA target (seconds)"), null=True, blank=True)
    max_occupancy = models.FloatField(
        _("maximum occupancy (%)"),
        null=True,
        blank=True,
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_abandon_rate = models.FloatField(
        _("maximum abandon rate (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    patience_s = models.PositiveIntegerField(_("mean patience (seconds)"), default=120)
    max_concurrency = models.PositiveSmallIntegerField(
        _("chats per agent at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    concurrency_slowdown = models.FloatField(
        _("handle time increase per extra chat (%)"),
        default=25,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    default_aht_s = models.PositiveIntegerField(_("default handle time (seconds)"), default=300)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["site", "code"]
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="wfm_queue_site_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.model == StaffingModel.CHAT and self.max_abandon_rate is not None:
            raise ValidationError(
                {"max_abandon_rate": _("The chat model has no abandonment target.")}
            )


class ShrinkageKind(models.TextChoices):
    BREAKS = "breaks", _("Breaks")
    MEETINGS = "meetings", _("Meetings")
    TRAINING = "training", _("Training")
    COACHING = "coaching", _("Coaching")
    LEAVE = "leave", _("Leave and absence")
    OTHER = "other", _("Other")


class Shrinkage(models.Model):
    """Share of paid time lost to one kind of activity, per site (percent)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="wfm_shrinkage")
    kind = models.CharField(_("kind"), max_length=10, choices=ShrinkageKind.choices)
    percent = models.FloatField(
        _("percent"), validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    planned_in_roster = models.BooleanField(
        _("placed by the roster"),
        default=False,
        help_text=_("Breaks placed in every shift are not added again to the requirement."),
    )

    class Meta:
        verbose_name = _("shrinkage")
        verbose_name_plural = _("shrinkage")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="wfm_shrinkage_site_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent}%"


class AgentSkill(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="wfm_skills")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="skills")
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency (1–5)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")
        constraints = [
            models.UniqueConstraint(fields=["agent", "queue"], name="wfm_skill_agent_queue")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id}:{self.queue_id}"


class ShiftTemplate(Versioned):
    """A shift type of a site: start window, length, breaks (JSON list of dicts).

    ``breaks``: ``[{"kind": "break"|"lunch", "length": 15, "earliest_after": 90,
    "latest_after": 150, "paid": true}, ...]`` in minutes after the shift start.
    """

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="wfm_templates", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=40)
    earliest_start = models.PositiveIntegerField(_("earliest start (minutes after midnight)"))
    latest_start = models.PositiveIntegerField(_("latest start (minutes after midnight)"))
    length_minutes = models.PositiveIntegerField(_("length (minutes)"))
    start_step = models.PositiveIntegerField(_("start every (minutes)"), default=30)
    may_cross_midnight = models.BooleanField(_("may end after midnight"), default=False)
    late = models.BooleanField(_("late shift"), default=False)
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    max_contract_minutes = models.PositiveIntegerField(
        _("only for contracts of at most (minutes a week)"),
        null=True,
        blank=True,
        help_text=_("E.g. 1440 keeps a 4-hour peak shift for part-timers of up to 24 h a week. Blank: everyone."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        ordering = ["site", "earliest_start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="wfm_template_site_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.latest_start < self.earliest_start:
            raise ValidationError(
                {"latest_start": _("The latest start is before the earliest start.")}
            )
        if self.earliest_start % 15 or self.latest_start % 15 or self.start_step % 15:
            raise ValidationError(_("Starts are on the quarter hour."))
        if self.latest_start + self.length_minutes > 1440 and not self.may_cross_midnight:
            raise ValidationError({"may_cross_midnight": _("This shift ends after midnight.")})


class SiteRules(Versioned):
    """Labour rules and floor settings of one site."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="wfm_rules")
    min_rest_minutes = models.PositiveIntegerField(
        _("rest between shifts (minutes)"), default=11 * 60
    )
    max_consecutive_days = models.PositiveSmallIntegerField(
        _("consecutive working days at most"), default=6
    )
    min_rest_days_per_week = models.PositiveSmallIntegerField(
        _("rest days per week at least"), default=1
    )
    max_minutes_per_day = models.PositiveIntegerField(
        _("paid minutes per day at most"), default=10 * 60
    )
    max_minutes_per_week = models.PositiveIntegerField(
        _("paid minutes per week at most"), default=44 * 60
    )
    meeting_minute = models.PositiveIntegerField(
        _("morning meeting at (minutes after midnight)"), null=True, blank=True, default=9 * 60
    )
    meeting_length = models.PositiveIntegerField(_("morning meeting length (minutes)"), default=15)
    auto_approve_swaps = models.BooleanField(
        _("approve swaps that pass every check"), default=False
    )
    grace_minutes = models.PositiveIntegerField(_("adherence grace (minutes)"), default=3)

    class Meta:
        verbose_name = _("site rules")
        verbose_name_plural = _("site rules")

    def __str__(self) -> str:
        return str(self.site_id)


class AgentPreference(models.Model):
    """Contract hours and the agent's own wishes (e.g. a parent asking for day shifts)."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="wfm_preference")
    min_minutes_week = models.PositiveIntegerField(
        _("contract minutes per week at least"), default=0
    )
    max_minutes_week = models.PositiveIntegerField(
        _("contract minutes per week at most"), default=40 * 60
    )
    preferred_templates = models.JSONField(_("preferred shifts"), default=list, blank=True)
    preferred_days_off = models.JSONField(
        _("preferred days off"), default=list, blank=True
    )  # weekdays 0–6
    note = models.CharField(_("why"), max_length=200, blank=True)
    calendar_token = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("agent preference")
        verbose_name_plural = _("agent preferences")

    def __str__(self) -> str:
        return str(self.agent_id)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


class HolidayDay(models.Model):
    """The admin's holiday table: days off and make-up workdays the calendar package lacks."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[("holiday", _("Holiday")), ("workday", _("Make-up workday"))],
    )
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ForecastEvent(Versioned):
    """A promotion or other event that moves volume (uplift learned when blank)."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="wfm_events", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=60)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    uplift = models.FloatField(
        _("volume factor"),
        null=True,
        blank=True,
        help_text=_("1.8 means +80%. Leave blank to learn it from past events of the same name."),
        validators=[MinValueValidator(0.05), MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("forecast event")
        verbose_name_plural = _("forecast events")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event ends before it starts.")})


class ForecastVersion(models.Model):
    """One forecast of a queue: per day 96 quarter-hour volumes and AHTs (JSON).

    A manual adjustment is a new version with its ``parent`` and ``reason``.

    ``holdout`` scores the queue's model on what already happened: a fit on the history
    before the four whole weeks preceding the week the version was made in, compared with
    those weeks (WAPE of the daily totals, percent). Stored once by the ``score_forecast``
    task (an adjustment keeps its parent's); ``None`` until then.
    """

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="forecasts")
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    data = models.JSONField(default=dict)  # {"YYYY-MM-DD": {"volume": [96], "aht": [96]}}
    warnings = models.JSONField(default=list, blank=True)
    holdout_start = models.DateField(null=True, blank=True)
    # [{"start": "YYYY-MM-DD", "actual": n, "forecast": n, "wape": percent}] per scored week
    holdout = models.JSONField(null=True, blank=True)
    holdout_wape = models.FloatField(null=True, blank=True)  # percent, all scored weeks
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forecast version")
        verbose_name_plural = _("forecast versions")
        ordering = ["queue", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "number"], name="wfm_forecast_queue_number")
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} v{self.number}"


class DraftStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


class RosterDraft(models.Model):
    """A roster being built for some teams of a site and some weeks.

    ``version`` is bumped by every save; a save that names an older version is
    refused (optimistic locking), so two planners cannot overwrite each other.
    """

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="wfm_drafts", verbose_name=_("site")
    )
    teams = models.ManyToManyField(Team, related_name="+", verbose_name=_("teams"))
    start = models.DateField(_("first day"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    time_limit_s = models.PositiveIntegerField(
        _("solver time (seconds)"),
        default=20,
        validators=[MinValueValidator(2), MaxValueValidator(600)],
    )
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.QUEUED
    )
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    demand = models.JSONField(default=dict, blank=True)  # {queue code: [agents per slot]}
    result = models.JSONField(
        default=dict, blank=True
    )  # coverage summary, rule checks, unmet wishes
    engine_seconds = models.FloatField(null=True, blank=True)
    total_seconds = models.FloatField(null=True, blank=True)
    solve_started_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roster draft")
        verbose_name_plural = _("roster drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.site_id} {self.start} ×{self.weeks}"

    @property
    def days(self) -> int:
        return self.weeks * 7

    @property
    def is_working(self) -> bool:
        return self.status in (DraftStatus.QUEUED, DraftStatus.RUNNING)


class DraftShift(models.Model):
    """A shift in a draft: template, minutes from the day's midnight, breaks and queue per slot."""

    draft = models.ForeignKey(RosterDraft, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    template = models.CharField(max_length=40)
    start_minute = models.PositiveIntegerField()
    end_minute = models.PositiveIntegerField()
    breaks = models.JSONField(default=list)  # [[kind, start, end], ...] minutes from midnight
    queues = models.JSONField(default=list)  # queue code per 15-minute slot (null on break)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "agent", "day"], name="wfm_draftshift_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day} {self.template}"


class ScheduleVersion(models.Model):
    """Every publish of a site's schedule is a numbered version."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    draft = models.ForeignKey(
        RosterDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="wfm_version_site_number")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} v{self.number}"


class PublishedShift(models.Model):
    """A shift of the published schedule; a change supersedes the row (``active=False``)."""

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    template = models.CharField(max_length=40)
    start_minute = models.PositiveIntegerField()
    end_minute = models.PositiveIntegerField()
    activities = models.JSONField(default=list)  # [[kind, start, end], ...] minutes from midnight
    queues = models.JSONField(default=list)
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["agent", "day", "active"]),
            models.Index(fields=["day", "active"]),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day} {self.template}"


class ShiftNotice(models.Model):
    """An in-app notification to an agent that a published shift changed."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="wfm_notices")
    day = models.DateField()
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a partner")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    PERSONAL = "personal", _("Personal leave")
    COMPENSATORY = "compensatory", _("Time off in lieu")


class LeaveRequest(models.Model):
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="wfm_leave", verbose_name=_("agent")
    )
    kind = models.CharField(
        _("kind"), max_length=15, choices=LeaveKind.choices, default=LeaveKind.ANNUAL
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.start}–{self.end}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day is before the first day.")})
        if self.start and self.end and (self.end - self.start).days > 30:
            raise ValidationError({"end": _("Ask for at most 31 days at once.")})


class SwapRequest(models.Model):
    """An agent offers their shift on a day (``partner`` empty: to anyone) or asks one partner.

    When accepted, the two agents exchange their shifts of ``day`` (one may be a day off).
    """

    requester = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent")
    )
    partner = models.ForeignKey(
        Agent,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("swap with"),
    )
    day = models.DateField(_("day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    checks = models.JSONField(default=list, blank=True)  # messages of failed checks
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requester_id} {self.day}"


class AgentState(models.TextChoices):
    LOGGED_IN = "logged_in", _("Logged in")
    AVAILABLE = "available", _("Available")
    ON_CONTACT = "on_contact", _("On contact")
    AFTER_CONTACT = "acw", _("After-contact work")
    BREAK = "break", _("Break")
    LUNCH = "lunch", _("Lunch")
    MEETING = "meeting", _("Meeting")
    OFFLINE = "offline", _("Offline")


class StateEvent(models.Model):
    """An agent's state change as reported by the ACD / chat system."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=AgentState.choices)
    at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["agent", "at"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state} {self.at}"


class CurrentState(models.Model):
    """The latest state per agent, kept up to date by the ingest (the floor view reads this)."""

    agent = models.OneToOneField(
        Agent, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    state = models.CharField(max_length=12, choices=AgentState.choices)
    since = models.DateTimeField()
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state}"
