"""Attendance and rules: clock events, attendance per shift, rules, violations, exceptions."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.versioning import Versioned
from zhiren.org.models import Agent, Site, Team
from zhiren.org.querysets import VisibleManager

from . import ladder


class AttendancePolicy(models.Model):
    """Thresholds of one site (minutes). A site without a row uses the defaults."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="attendance_policy")
    late_grace = models.PositiveSmallIntegerField(_("grace minutes for arrival"), default=5)
    early_grace = models.PositiveSmallIntegerField(_("grace minutes for leaving"), default=5)
    overtime_minimum = models.PositiveSmallIntegerField(_("minimum overtime (minutes)"), default=30)
    late_as_absence = models.PositiveSmallIntegerField(
        _("late by this many minutes counts as absence (0: never)"), default=0
    )
    response_due_days = models.PositiveSmallIntegerField(_("days to respond to a violation"), default=3)

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")

    def __str__(self) -> str:
        return str(self.site)


class PunchKind(models.TextChoices):
    IN = "in", _("Clock in")
    OUT = "out", _("Clock out")
    PUNCH = "punch", _("Punch (direction unknown)")


class PunchSource(models.TextChoices):
    API = "api", _("Pushed by API")
    IMPORT = "import", _("Imported file")
    LOGIN = "login", _("Agent login state")
    CORRECTION = "correction", _("Approved correction")


class ClockEvent(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="clock_events", verbose_name=_("agent"))
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("direction"), max_length=8, choices=PunchKind.choices, default=PunchKind.PUNCH)
    source = models.CharField(_("source"), max_length=12, choices=PunchSource.choices, default=PunchSource.API)
    device = models.CharField(_("device"), max_length=60, blank=True)
    # agent, time and direction: the same punch pushed or imported twice is stored once.
    fingerprint = models.CharField(max_length=80, unique=True)
    voided = models.BooleanField(_("voided"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agent", "at"]
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        indexes = [models.Index(fields=["agent", "at"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.at:%Y-%m-%d %H:%M} {self.kind}"

    @staticmethod
    def make_fingerprint(agent_id: int, at, kind: str) -> str:
        return f"{agent_id}|{at.astimezone(UTC).strftime('%Y%m%dT%H%M%S')}|{kind}"


class CorrectionAction(models.TextChoices):
    ADD = "add", _("Add a missing punch")
    VOID = "void", _("Void a wrong punch")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClockCorrection(models.Model):
    """A request to add or void a punch. It changes attendance only once approved."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="clock_corrections",
                              verbose_name=_("agent"))
    action = models.CharField(_("action"), max_length=8, choices=CorrectionAction.choices)
    at = models.DateTimeField(_("time"), null=True, blank=True)
    kind = models.CharField(_("direction"), max_length=8, choices=PunchKind.choices, default=PunchKind.IN)
    event = models.ForeignKey(ClockEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("punch"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_event = models.ForeignKey(ClockEvent, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")

    objects = VisibleManager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("clock correction")
        verbose_name_plural = _("clock corrections")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.get_action_display()} {self.get_status_display()}"


class AttendanceDay(models.Model):
    """One scheduled shift of one agent, judged against the punches."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="attendance_days",
                              verbose_name=_("agent"))
    day = models.DateField(_("day"))
    shift_start = models.DateTimeField(_("shift start"))
    shift_end = models.DateTimeField(_("shift end"))
    arrived = models.DateTimeField(_("arrived"), null=True, blank=True)
    left = models.DateTimeField(_("left"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("late (minutes)"), default=0)
    early_minutes = models.PositiveIntegerField(_("left early (minutes)"), default=0)
    overtime_minutes = models.PositiveIntegerField(_("overtime (minutes)"), default=0)
    absent = models.BooleanField(_("absent"), default=False)
    missing_in = models.BooleanField(_("clock-in missing"), default=False)
    missing_out = models.BooleanField(_("clock-out missing"), default=False)
    excused = models.BooleanField(_("on leave"), default=False)

    class Meta:
        ordering = ["agent", "-day"]
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        constraints = [models.UniqueConstraint(fields=["agent", "shift_start"], name="attendance_once_per_shift")]
        indexes = [models.Index(fields=["agent", "day"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day}"

    @property
    def clean_day(self) -> bool:
        return self.excused or not (
            self.absent or self.late_minutes or self.early_minutes or self.missing_in or self.missing_out
        )


class RuleCategory(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance (from the clock)")
    CONDUCT = "conduct", _("Conduct (recorded by hand)")


class ViolationKind(models.TextChoices):
    LATE = "late", _("Late arrival")
    EARLY_LEAVE = "early_leave", _("Early leave")
    ABSENCE = "absence", _("Absence")
    MISSING_PUNCH = "missing_punch", _("Missing punch")
    MANUAL = "manual", _("Recorded by the lead")


ATTENDANCE_KINDS = [ViolationKind.LATE, ViolationKind.EARLY_LEAVE, ViolationKind.ABSENCE,
                    ViolationKind.MISSING_PUNCH]


class Window(models.TextChoices):
    MONTH = ladder.MONTH, _("Calendar month")
    QUARTER = ladder.QUARTER, _("Calendar quarter")
    ROLLING = ladder.ROLLING, _("Trailing days")


class Consequence(models.TextChoices):
    WARNING = ladder.WARNING, _("Warning (grace period)")
    REMINDER = ladder.REMINDER, _("Reminder")
    TALK = ladder.TALK, _("Talk with the lead")
    WRITTEN_WARNING = ladder.WRITTEN_WARNING, _("Written warning")
    FINAL_WARNING = ladder.FINAL_WARNING, _("Final warning")
    ESCALATION = ladder.ESCALATION, _("Escalation to the site manager")
    FREE = ladder.FREE, _("Free (within the allowance)")
    TALLY = ladder.TALLY, _("Counted towards an absence")
    EXCUSED = ladder.EXCUSED, _("Exception granted")
    NONE = ladder.NONE, _("No consequence")


LADDER_CHOICES = [(c, Consequence(c).label) for c in ladder.LADDER_STEPS]


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Drafted")
    GRACE = "grace", _("Grace period")
    ENFORCED = "enforced", _("Enforced")
    RETIRED = "retired", _("Retired")
    SCHEDULED = "scheduled", _("Announced, starts later")


class Rule(Versioned):
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("rule text"), help_text=_("What is expected, in the words the team will read."))
    category = models.CharField(_("category"), max_length=12, choices=RuleCategory.choices,
                                default=RuleCategory.CONDUCT)
    kinds = models.JSONField(_("attendance findings covered"), default=list, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rules", verbose_name=_("site"))
    teams = models.ManyToManyField(Team, blank=True, related_name="rules", verbose_name=_("teams"),
                                   help_text=_("Leave empty for the whole site."))
    ladder = models.JSONField(_("consequence ladder"), default=list)
    window = models.CharField(_("counting window"), max_length=10, choices=Window.choices, default=Window.MONTH)
    window_days = models.PositiveSmallIntegerField(_("window length (days)"), default=30)
    free_per_window = models.PositiveSmallIntegerField(_("free occurrences per window"), default=0)
    lates_per_absence = models.PositiveSmallIntegerField(_("lates that count as one absence (0: off)"), default=0)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement = models.TextField(_("announcement"), blank=True)
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=7)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "title"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = [k for k in self.kinds or [] if k not in ATTENDANCE_KINDS]
        if unknown:
            raise ValidationError({"kinds": _("Unknown finding: %s") % ", ".join(unknown)})
        if self.category == RuleCategory.ATTENDANCE and not self.kinds:
            raise ValidationError({"kinds": _("An attendance rule covers at least one finding.")})
        bad = [c for c in self.ladder or [] if c not in ladder.LADDER_STEPS]
        if bad or not self.ladder:
            raise ValidationError({"ladder": _("Choose the consequence of each step.")})

    @property
    def terms(self) -> ladder.Terms:
        return ladder.Terms(
            ladder=tuple(self.ladder), window=self.window, window_days=self.window_days,
            free_per_window=self.free_per_window, lates_per_absence=self.lates_per_absence,
            announced_on=self.announced_on, grace_days=self.grace_days, retired_on=self.retired_on,
        )

    @property
    def enforced_from(self) -> date | None:
        return self.announced_on + timedelta(days=self.grace_days) if self.announced_on else None

    def status_on(self, day: date) -> str:
        phase = self.terms.phase(day)
        if self.announced_on is None:
            return RuleStatus.DRAFT
        if phase == ladder.NOT_IN_FORCE:
            return RuleStatus.SCHEDULED
        return {ladder.GRACE: RuleStatus.GRACE, ladder.ENFORCED: RuleStatus.ENFORCED}.get(phase, RuleStatus.RETIRED)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return RuleStatus(self.status).label

    def ladder_labels(self) -> list[str]:
        return [str(Consequence(c).label) for c in self.ladder or []]


class ViolationSource(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    MANUAL = "manual", _("Recorded by hand")


class Violation(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="violations", verbose_name=_("agent"))
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="violations", verbose_name=_("rule"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=ViolationKind.choices)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    source = models.CharField(_("source"), max_length=12, choices=ViolationSource.choices)
    note = models.TextField(_("what happened"), blank=True)
    attendance_day = models.ForeignKey(AttendanceDay, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="violations")
    fingerprint = models.CharField(max_length=120, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Set by the ladder (services.recount), never by hand.
    phase = models.CharField(_("phase"), max_length=14, default=ladder.ENFORCED)
    consequence = models.CharField(_("consequence"), max_length=16, choices=Consequence.choices,
                                   default=Consequence.NONE)
    unit = models.PositiveSmallIntegerField(_("count in window"), null=True, blank=True)
    lates = models.PositiveSmallIntegerField(default=0)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    response_note = models.TextField(_("response"), blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-day", "-recorded_at"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [models.Index(fields=["agent", "rule", "day"]), models.Index(fields=["team", "day"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.rule_id} {self.day}"

    @property
    def needs_response(self) -> bool:
        return self.consequence in ladder.NEEDS_RESPONSE

    @property
    def is_open(self) -> bool:
        return self.needs_response and self.responded_at is None

    @property
    def is_warning(self) -> bool:
        return self.consequence == Consequence.WARNING


class Exemption(models.Model):
    """An exception to a violation: no consequence, not counted. Only with a written reason."""

    violation = models.OneToOneField(Violation, on_delete=models.CASCADE, related_name="exemption")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    objects = VisibleManager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self) -> str:
        return f"{self.violation_id}"
