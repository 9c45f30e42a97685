"""Engagement: surveys with provable anonymity, action plans, suggestions (合理化建议).

What the storage promises (docs/engagement.md):

- ``Invitation`` is the token table: who was asked in which wave and *whether* they have
  answered, nothing more (no time of answering, no link to the answer).
- ``Response`` and ``Comment`` keep no user, no token, no time, and a random key (a UUID)
  instead of a counter, so neither the order of rows nor a timestamp ties an answer to the
  moment an invitation was marked answered. They keep only the coarse groups the results
  are cut by (team, tenure band, channel). Only an *identified* survey (onboarding, exit),
  announced as such before answering, stores the agent.
- Nothing reads a single ``Response`` outside ``selectors.results``, which passes every
  number through ``anonymity.guard``; the admin and the API register neither model.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Site, Team
from zhiren.org.querysets import VisibleManager

from . import flow, reminders
from .anonymity import DEFAULT_COMMENTS, DEFAULT_SCORES
from .items import ENGAGEMENT, EXIT, ONBOARDING, PULSE


class SurveyKind(models.TextChoices):
    ENGAGEMENT = ENGAGEMENT, _("Engagement survey")
    PULSE = PULSE, _("Pulse")
    ONBOARDING = ONBOARDING, _("Onboarding check-in")
    EXIT = EXIT, _("Exit survey")


class TenureBand(models.TextChoices):
    NEW = "0-6", _("Under 6 months")
    YEAR = "6-12", _("6 to 12 months")
    LONGER = "12+", _("Over a year")
    UNKNOWN = "", _("Unknown")


class Survey(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=SurveyKind.choices)
    items = models.JSONField(_("items"), default=list)
    min_scores = models.PositiveSmallIntegerField(
        _("minimum answers for scores"), default=DEFAULT_SCORES
    )
    min_comments = models.PositiveSmallIntegerField(_("minimum comments"), default=DEFAULT_COMMENTS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        ordering = ["site", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def identified(self) -> bool:
        return self.kind in (ONBOARDING, EXIT)


class Wave(models.Model):
    """One launch of a survey; its items and minimums are locked copies."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveIntegerField(_("wave"))
    items = models.JSONField(_("items"))
    min_scores = models.PositiveSmallIntegerField(_("minimum answers for scores"))
    min_comments = models.PositiveSmallIntegerField(_("minimum comments"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    launched_at = models.DateTimeField(default=timezone.now)
    # the automatic reminder plan (``reminders.py``); set at launch, off on older waves
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), null=True, blank=True
    )
    remind_last_day = models.BooleanField(_("remind on the last day"), default=False)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="engagement_wave_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.number}"

    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on

    @property
    def reminder_plan(self) -> reminders.Plan:
        return reminders.Plan(self.remind_after_days, self.remind_last_day)

    def reminder_schedule(self) -> list[tuple[str, object]]:
        """(kind, day) of each automatic reminder planned (``reminders.schedule``)."""
        launched_on = timezone.localdate(self.launched_at)
        return reminders.schedule(self.reminder_plan, self.opens_on, self.closes_on, launched_on)


class ReminderKind(models.TextChoices):
    AFTER = reminders.AFTER, _("Days after opening")
    LAST_DAY = reminders.LAST_DAY, _("Last day")


class WaveReminder(models.Model):
    """An automatic reminder of a wave that went out: one row per kind, so never twice."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "kind"], name="engagement_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.kind}"


class Invitation(models.Model):
    """The token table: that a user was asked, and whether they answered. Never the answer."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    tenure_band = models.CharField(max_length=5, choices=TenureBand.choices, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    token = models.CharField(max_length=43, unique=True)
    responded = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "user"], name="engagement_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave} → {self.user_id}"


class Response(models.Model):
    """One answer sheet. No user, no token, no time; a random key (see the module's note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    tenure_band = models.CharField(max_length=5, choices=TenureBand.choices, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, related_name="+"
    )  # identified only
    answers = models.JSONField(default=dict)  # item key -> 1..5
    enps = models.PositiveSmallIntegerField(null=True)

    def __str__(self) -> str:
        return str(self.id)


class Comment(models.Model):
    """An open comment, stored apart from the scores it came with (no key joins them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="comments")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    tenure_band = models.CharField(max_length=5, choices=TenureBand.choices, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, related_name="+"
    )  # identified only
    text = models.TextField()

    def __str__(self) -> str:
        return str(self.id)


class Tally(models.Model):
    """Running sums of one wave's answers per atom (team, tenure band, channel): see ``tally.py``.

    Kept up to date as each sheet is stored (and rebuilt from the answers when the counts
    disagree), so the results page adds up a few hundred of these instead of reading answers.
    Like ``Response``, it holds no user, token or time; an atom of one answer holds that
    answer's values, exactly as its ``Response`` row does, and is read only by the guarded
    ``selectors.results``.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    tenure_band = models.CharField(max_length=5, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    sums = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.team_id}:{self.tenure_band}:{self.channel}"


class QueryLog(models.Model):
    """The groups of answers one viewer was shown for a wave (the guard's memory of them).

    ``members``: atom -> how many answers it held when shown ("r|team|band|channel" for
    scores, "c|…" for comments). Answers are only ever added to an atom, so the first
    ``n`` of it then are among those it holds now (``selectors._segments``).
    """

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    members = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "wave", "digest"], name="engagement_log_unique"
            )
        ]

    def __str__(self) -> str:
        return self.digest[:8]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DOING = "doing", _("In progress")
    DONE = "done", _("Done")


class ActionItem(models.Model):
    """A step of a team's action plan, from one of its lowest factors; the next wave re-measures it."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="actions")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    factor = models.CharField(_("factor"), max_length=20)
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class SuggestionStatus(models.TextChoices):
    RECEIVED = flow.RECEIVED, _("Received")
    REVIEWING = flow.REVIEWING, _("Reviewing")
    ADOPTED = flow.ADOPTED, _("Adopted")
    DECLINED = flow.DECLINED, _("Declined")
    IMPLEMENTED = flow.IMPLEMENTED, _("Implemented")


class Suggestion(models.Model):
    """合理化建议. Anonymous: no author and no team are stored (only the site)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("suggestion"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.RECEIVED,
    )
    reason = models.TextField(_("reason"), blank=True)
    reward_points = models.PositiveIntegerField(_("reward (points)"), default=0)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    implemented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False)
                | models.Q(author__isnull=True, team__isnull=True),
                name="engagement_anonymous_unlinked",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MemberBasis(models.TextChoices):
    ELECTED = "elected", _("Elected")
    APPOINTED = "appointed", _("Appointed")


class SupervisionMember(models.Model):
    """A member of a site's staff supervision group (员工督办组) for a term."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(_("how chosen"), max_length=10, choices=MemberBasis.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["site", "-term_start", "id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site}"


class ItemStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACCEPTED = "accepted", _("Accepted")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ItemSource(models.TextChoices):
    FLOOR = "floor", _("The floor's opinions")
    SUGGESTION = "suggestion", _("A suggestion")
    SURVEY = "survey", _("A survey")
    TALK = "talk", _("A talk (with consent)")


class SupervisionItem(models.Model):
    """An item the group raises and follows to completion; it holds no personal data."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    detail = models.TextField(_("detail"), blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=ItemSource.choices, default=ItemSource.FLOOR
    )
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.RAISED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ModelSource(models.TextChoices):
    HISTORY = "history", _("This centre's own history")
    SYNTHETIC = "synthetic", _("The synthetic history (the generator's assumptions)")


class RiskModel(models.Model):
    """A fitted attrition-risk model (``attrition.model.Model.as_dict``) and its hold-out report.

    Holds no person: coefficients, the training rows' means and spreads, and the metrics.
    """

    source = models.CharField(max_length=10, choices=ModelSource.choices)
    trained_on = models.DateField()
    leavers = models.PositiveIntegerField(default=0)  # leavers in the history it learnt from
    params = models.JSONField()
    report = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-trained_on", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.trained_on}"


class LeavingReason(models.TextChoices):
    """Coded reasons for leaving (the first is the main one); they feed the attrition report."""

    PAY = "pay", _("Pay and benefits")
    SCHEDULE = "schedule", _("Schedules and working hours")
    WORKLOAD = "workload", _("Workload and pressure")
    MANAGER = "manager", _("Relationship with the lead")
    GROWTH = "growth", _("No growth or promotion")
    RECOGNITION = "recognition", _("Not recognised")
    TEAM = "team", _("Team atmosphere")
    COMMUTE = "commute", _("Commute or moving away")
    FAMILY = "family", _("Family")
    STUDY = "study", _("Further study")
    HEALTH = "health", _("Health")
    CAREER = "career", _("Change of career")
    CONTRACT_END = "contract_end", _("Contract ended")
    DISMISSAL = "dismissal", _("Dismissal")
    OTHER = "other", _("Other")


INVOLUNTARY_REASONS = frozenset({LeavingReason.CONTRACT_END, LeavingReason.DISMISSAL})


class Rehire(models.TextChoices):
    YES = "yes", _("Eligible for re-hire")
    CONDITIONAL = "conditional", _("Eligible, with conditions")
    NO = "no", _("Not eligible")
    UNDECIDED = "", _("Not decided")


class Offboarding(models.Model):
    """Parting on good terms: the exit conversation, coded reasons, the handover, alumni consent.

    The conversation's notes are sensitive (the agent's lead and HR, each read audit-logged).
    The agent's team and tenure band are kept as they were, for the attrition report.
    """

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="offboarding")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    tenure_band = models.CharField(max_length=5, choices=TenureBand.choices, blank=True)
    last_day = models.DateField(_("last working day"))
    main_reason = models.CharField(
        _("main reason"), max_length=14, choices=LeavingReason.choices, blank=True
    )
    other_reasons = models.JSONField(_("other reasons"), default=list, blank=True)
    conversation_on = models.DateField(_("exit conversation on"), null=True, blank=True)
    conversation_notes = models.TextField(_("conversation notes"), blank=True)
    checklist = models.JSONField(_("handover checklist"), default=dict)  # key -> ISO day done
    exit_wave = models.ForeignKey(
        Wave, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alumni_consent = models.BooleanField(_("joins the alumni list"), default=False)
    rehire = models.CharField(
        _("re-hire"), max_length=12, choices=Rehire.choices, blank=True, default=Rehire.UNDECIDED
    )
    rehire_note = models.CharField(_("re-hire note"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = VisibleManager()

    SENSITIVE_FIELDS = ("conversation_notes",)

    class Meta:
        ordering = ["-last_day", "-id"]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.last_day}"

    @property
    def voluntary(self) -> bool | None:
        return None if not self.main_reason else self.main_reason not in INVOLUNTARY_REASONS


class EventKind(models.TextChoices):
    GATHERING = "gathering", _("AA gathering")
    INTEREST = "interest", _("Interest group")
    COMPETITION = "competition", _("Competition")
    FAMILY = "family", _("Family day")
    HOME = "home", _("Staff home activity")


class TeamEvent(models.Model):
    """Team life (团队生活): an event people sign up for. ``team`` empty: the whole site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class EventSignup(models.Model):
    event = models.ForeignKey(TeamEvent, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="engagement_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ← {self.user_id}"


class SwapKind(models.TextChoices):
    MANAGER_FOR_A_DAY = "manager", _("Manager for a day")
    AGENT_FOR_A_DAY = "agent", _("Agent for a day")


class RoleSwap(models.Model):
    """当一天经理 / 做一天服务代表: one person's swap day in a month, with the counterpart hosting.

    A manager-for-a-day agent is off the phones that day: the roster treats it as a day away
    (``core.registries.away_days``)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # the first of the month
    kind = models.CharField(_("kind"), max_length=8, choices=SwapKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # the agent swapped off the phones (manager for a day)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["-month", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "kind"], name="engagement_swap_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m} {self.kind}"


class CompetitionMetric(models.TextChoices):
    ANSWERED = "answered", _("Contacts answered")
    CSAT = "csat", _("Customer satisfaction (top-2 share)")
    FCR = "fcr", _("First-contact resolution")


class Competition(models.Model):
    """A competition between a site's teams on a KPI, with fair rules: per capita for volumes,
    a minimum volume for rates (a team under it is listed but not ranked)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    metric = models.CharField(_("metric"), max_length=10, choices=CompetitionMetric.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    min_volume = models.PositiveIntegerField(_("minimum volume"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_on = models.DateField(_("results published on"), null=True, blank=True)
    winners = models.JSONField(_("winners"), default=list, blank=True)  # team ids ranked first

    class Meta:
        ordering = ["-end", "-id"]

    def __str__(self) -> str:
        return self.title


def _photo_path(instance: EventPhoto, filename: str) -> str:
    """Under MEDIA_ROOT, by event, with a random name (the uploader's file name is not kept)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"engagement/events/{instance.event_id}/{uuid.uuid4().hex}.{extension}"


class EventPhoto(models.Model):
    """A photo of a team-life event, shown on its page to those who see the event."""

    event = models.ForeignKey(TeamEvent, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class FundCommitteeMember(models.Model):
    """A member of a site's mutual-aid fund (互助会) committee, seated by the site manager."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="engagement_fund_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.site_id}:{self.user_id}"


class FundContribution(models.Model):
    """Money into a site's mutual-aid fund (dues, a donation, the company's match)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    source = models.CharField(_("from"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.site_id} +{self.amount}"


class FundGrant(models.Model):
    """Money out of the fund to someone in need. Beneficiary and reason are sensitive: only
    the site's fund committee and HR read them, every read audit-logged; the floor sees totals."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    beneficiary = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.site_id} -{self.amount}"
