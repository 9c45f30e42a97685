"""The lead's workspace: 晨会 (shift huddles) with their agenda and attendance, the board's state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Team
from zhiren.org.scoping import VisibleManager

from . import quadrants


def render_text(text: str, params: dict) -> str:
    """A source's msgid in the reader's language, its ``%(name)s`` slots filled."""
    try:
        return gettext(text) % params if params else gettext(text)
    except (KeyError, ValueError, TypeError):
        return gettext(text)


class HuddleStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Held")


class Huddle(models.Model):
    """One 晨会 of a team, before the shift starting at ``shift_start``."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    shift_start = models.DateTimeField(_("shift starts"))
    minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=15)
    status = models.CharField(
        max_length=10, choices=HuddleStatus.choices, default=HuddleStatus.PLANNED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    generated_at = models.DateTimeField()

    objects = VisibleManager()

    class Meta:
        ordering = ["shift_start", "team_id"]
        verbose_name = _("huddle")
        verbose_name_plural = _("huddles")
        constraints = [
            models.UniqueConstraint(fields=["team", "shift_start"], name="huddle_team_start_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.shift_start:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """A point of a huddle's agenda: generated from a ``huddle_sources`` entry, or the lead's own."""

    huddle = models.ForeignKey(Huddle, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=12)
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=80, blank=True)
    text = models.CharField(max_length=300)  # a msgid (system) or the lead's words (own)
    params = models.JSONField(default=dict, blank=True)
    own = models.BooleanField(default=False)  # written by the lead: shown as typed
    edited_text = models.CharField(_("text"), max_length=300, blank=True)
    private = models.BooleanField(_("lead only"), default=False)
    focus = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    resolved = models.BooleanField(_("resolved"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = VisibleManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        if self.edited_text:
            return self.edited_text
        return self.text if self.own else render_text(self.text, self.params)


class Attendance(models.Model):
    huddle = models.ForeignKey(Huddle, on_delete=models.CASCADE, related_name="attendance")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["huddle", "agent"], name="huddle_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.huddle_id} {self.agent_id}: {self.present}"


class HuddleSend(models.Model):
    """The huddle's agenda (and, if the lead chose, the notes) sent to one of the lead's group
    robots (people's ``DigestWebhook``: WeCom, DingTalk, Feishu) through the task queue. Only what
    a shared screen may show is sent; a failure is kept with its error for the lead to see and
    send again."""

    huddle = models.ForeignKey(Huddle, on_delete=models.CASCADE, related_name="sends")
    hook = models.ForeignKey(
        "people.DigestWebhook", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    robot = models.CharField(max_length=60)  # the robot as named when asked for ("WeCom #3")
    with_notes = models.BooleanField(_("with the notes"), default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.huddle_id} → {self.robot}"


class CardStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DELEGATED = "delegated", _("Delegated")
    SCHEDULED = "scheduled", _("Scheduled")
    DROPPED = "dropped", _("Dropped")


class Importance(models.TextChoices):
    NONE = "", _("Not important")
    PERSON = "person", _("A person at risk")
    COMPLIANCE = "compliance", _("Compliance")
    KPI = "kpi", _("A KPI target")


class Task(models.Model):
    """The lead's own card on the board."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("task"), max_length=200)
    due = models.DateField(_("deadline"), null=True, blank=True)
    important = models.CharField(
        _("why important"), max_length=12, choices=Importance.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def card_key(self) -> str:
        return f"task:{self.pk}"


class CardState(models.Model):
    """What the lead decided about a card (system or own), kept under the card's key."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=CardStatus.choices, default=CardStatus.OPEN)
    delegated_to = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled_for = models.DateField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    quadrant = models.PositiveSmallIntegerField(default=0)  # where it stood when decided
    # Where the card stood when the board first showed it, and when: a card first in II and
    # now (or when decided) in I was left too long (the weekly review's question).
    first_quadrant = models.PositiveSmallIntegerField(default=0)
    first_seen = models.DateField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    # The coaching delegation (the six guiding questions) the card was handed over with.
    delegation = models.ForeignKey(
        "coaching.Delegation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="card_state_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class BoardSettings(models.Model):
    """A lead's board: how many days ahead a deadline makes a card urgent."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    window_days = models.PositiveSmallIntegerField(
        _("urgent within (days)"), default=quadrants.DEFAULT_WINDOW_DAYS
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_days__lte=quadrants.MAX_WINDOW_DAYS),
                name="board_window_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.window_days}"


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for instructions")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Request(models.Model):
    """请示: one matter (一事一请) put to the lead's manager, with options and a recommendation."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    subject = models.CharField(_("the matter"), max_length=80)
    background = models.TextField(_("background"), max_length=4000)
    options = models.JSONField(_("options"), default=list)
    recommended = models.PositiveSmallIntegerField(_("recommended option"), default=0)
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    # The tables picked from the system, frozen when sent (``facts.snapshot``): the approver sees
    # what the lead saw.
    evidence_data = models.JSONField(_("data evidence"), default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )
    created_at = models.DateTimeField()

    objects = VisibleManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for instructions")
        verbose_name_plural = _("requests for instructions")

    def __str__(self) -> str:
        return self.subject

    @property
    def recommendation(self) -> str:
        return self.options[self.recommended] if 0 <= self.recommended < len(self.options) else ""


class ReplyKind(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    COMMENT = "comment", _("Comment")


class RequestReply(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReplyKind.choices)
    text = models.TextField(_("reply"), blank=True, max_length=2000)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind}"


class ReportKind(models.TextChoices):
    ADHOC = "adhoc", _("Ad-hoc report")
    WEEKLY = "weekly", _("Weekly report")
    MONTHLY = "monthly", _("Monthly report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class Report(models.Model):
    """汇报: an ad-hoc (临时汇报), weekly or monthly report to the lead's manager. Weekly and monthly
    ones start pre-filled from the team's data (``data``, a ``facts.snapshot``); the lead edits the
    text before sending."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("report"), blank=True, max_length=8000)
    data = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title


class ReportComment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.at:%Y-%m-%d}"


class TaskIntake(models.Model):
    """A task received from above, taken in with the checklist: goal, deadline, resources,
    standards, who to report to. It goes on the lead's board as their own task."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("task"), max_length=200)
    given_by = models.CharField(_("given by"), max_length=100, blank=True)
    goal = models.TextField(_("goal"), blank=True, max_length=2000)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    resources = models.TextField(_("resources"), blank=True, max_length=2000)
    standards = models.TextField(_("standards"), blank=True, max_length=2000)
    report_to = models.CharField(_("report to"), max_length=100, blank=True)
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    CHECKLIST = (
        ("goal", _("Goal")),
        ("deadline", _("Deadline")),
        ("resources", _("Resources")),
        ("standards", _("Standards")),
        ("report_to", _("Who to report to")),
    )

    @property
    def checklist(self) -> list[tuple[str, bool]]:
        """Each item of the intake checklist and whether it has been clarified."""
        return [(str(label), bool(getattr(self, name))) for name, label in self.CHECKLIST]

    @property
    def complete(self) -> bool:
        return all(done for _, done in self.checklist)


class SelfCheck(models.Model):
    """The lead's growth self-check against seed 004's seven abilities: their own rating of each
    (1–5) beside the reading the system's evidence gives, kept over time (the balance wheel).
    Private to the lead; their manager sees it only once the lead shares it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    taken_on = models.DateField(_("date"))
    ratings = models.JSONField(default=dict)  # ability code -> the lead's own 1–5
    evidence = models.JSONField(default=dict)  # ability code -> {"reading", "text", "params"}
    note = models.TextField(_("what I will work on"), blank=True, max_length=2000)
    shared = models.BooleanField(_("shared with my manager"), default=False)

    objects = VisibleManager()

    class Meta:
        ordering = ["-taken_on", "-pk"]
        verbose_name = _("self-check")
        verbose_name_plural = _("self-checks")

    def __str__(self) -> str:
        return f"{self.owner_id} {self.taken_on}"
