"""Recruiting (招聘): requisitions from the staffing gap, candidates and their pipeline, the
built-in tests, structured interviews with independent scorecards, and offers.

Requisitions and candidates belong to a site. Candidates' personal data (name, phone, ID
number, e-mail, interview notes) is seen by HR (the recruiter role) and by the interviewers
of that candidate only (``scope.py``); it is blanked by ``zhiren purge`` for a rejected or
withdrawn candidate after the ``candidates`` retention period, unless they consented to
the talent pool (人才库).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Site, Team
from zhiren.placement.models import RoleProfile

from . import pipeline


class RequisitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class Requisition(models.Model):
    """招聘需求: a planner's request to hire, approved by the site manager."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    role = models.ForeignKey(
        RoleProfile, on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    queue_code = models.CharField(_("queue"), max_length=30, blank=True)
    headcount = models.PositiveSmallIntegerField(_("headcount"))
    needed_by = models.DateField(_("needed by"))
    training_days = models.PositiveSmallIntegerField(_("training length (days)"), default=21)
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    gap_fte = models.FloatField(_("gap (FTE) when raised"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.SUBMITTED,
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hiring manager"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")

    def __str__(self) -> str:
        return f"{self.role} × {self.headcount}"


class Source(models.TextChoices):
    CAMPUS = "campus", _("Campus")
    REFERRAL = "referral", _("Referral")
    JOB_SITE = "job_site", _("Job sites")
    AGENCY = "agency", _("Agency")
    LABOUR_MARKET = "labour_market", _("Labour market")
    WALK_IN = "walk_in", _("Walk-in")
    INTERNAL = "internal", _("Internal")


class Stage(models.TextChoices):
    APPLIED = pipeline.APPLIED, _("Applied")
    SCREENED = pipeline.SCREENED, _("Screened")
    TESTED = pipeline.TESTED, _("Tested")
    INTERVIEWED = pipeline.INTERVIEWED, _("Interviewed")
    OFFER = pipeline.OFFER, _("Offer")
    ACCEPTED = pipeline.ACCEPTED, _("Accepted")
    ONBOARDED = pipeline.ONBOARDED, _("Onboarded")
    REJECTED = pipeline.REJECTED, _("Rejected")
    WITHDRAWN = pipeline.WITHDRAWN, _("Withdrawn")


REASON_LABELS = {
    "knockout": _("Failed a knock-out question"),
    "test_score": _("Test score too low"),
    "interview": _("Interview"),
    "fit": _("Not a fit for the role"),
    "overqualified": _("Over-qualified"),
    "no_show": _("Did not show up"),
    "position_filled": _("Position filled"),
    "other_offer": _("Took another offer"),
    "salary": _("Salary"),
    "shifts": _("Shifts"),
    "location": _("Location"),
    "no_response": _("No response"),
    "personal": _("Personal reasons"),
    "other": _("Other"),
}


class Candidate(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    requisition = models.ForeignKey(
        Requisition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("requisition"),
    )
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.CharField(_("channel"), max_length=15, choices=Source.choices)
    source_detail = models.CharField(
        _("channel detail"),
        max_length=60,
        blank=True,
        help_text=_("The school, agency, job site or referrer."),
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.APPLIED
    )
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    reason_note = models.CharField(_("reason note"), max_length=200, blank=True)
    applied_on = models.DateField(_("applied on"))
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    talent_pool = models.BooleanField(_("consents to the talent pool"), default=False)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recruiter"),
    )
    agent = models.OneToOneField(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacy"
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The personal fields: blanked on purge, named in audit records of reads.
    PERSONAL_FIELDS = ("name", "phone", "id_number", "email", "reason_note")

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [
            models.Index(fields=["site", "stage"]),
            models.Index(fields=["source", "applied_on"]),
        ]

    def __str__(self) -> str:
        return self.name if not self.purged_at else f"#{self.pk}"

    def get_reason_display(self) -> str:
        return str(REASON_LABELS.get(self.reason, self.reason))


class StageChange(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=12)
    to_stage = models.CharField(max_length=12)
    reason = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["candidate", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class AssessmentKind(models.TextChoices):
    TYPING = "typing", _("Chinese typing")
    SJT = "sjt", _("Situational judgement")
    LISTENING = "listening", _("Listening comprehension")
    KNOCKOUT = "knockout", _("Knock-out questions")
    ORIENTATION = "orientation", _("Service-vs-sales orientation")


class AssessmentResult(models.Model):
    """One sitting of a built-in test. A typing test is issued (``issued_at``) and then
    submitted; the elapsed time is measured on the server between the two."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("test"), max_length=12, choices=AssessmentKind.choices)
    issued_at = models.DateTimeField()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # typing: net cpm; sjt, listening: share 0–1; orientation: share of service answers 0–1
    score = models.FloatField(_("score"), null=True, blank=True)
    passed = models.BooleanField(null=True)
    detail = models.JSONField(default=dict, blank=True)  # answers, passage key, cpm, accuracy

    class Meta:
        ordering = ["candidate", "kind", "-issued_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.score}"


class InterviewKit(models.Model):
    """面试题本: competencies of a role, each with questions and behavioural anchors per score."""

    role = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("role")
    )
    name = models.CharField(_("name"), max_length=100)
    # [{"key", "label", "questions": [str], "anchors": {"1": str, "3": str, "5": str}}]
    competencies = models.JSONField(_("competencies"), default=list)
    minutes = models.PositiveSmallIntegerField(_("time budget (minutes)"), default=30)
    # [{"key", "label", "minutes"}] in order; empty: one stage of ``minutes`` (``plan``)
    stages = models.JSONField(_("stages"), default=list, blank=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("interview kit")

    def __str__(self) -> str:
        return self.name

    def plan(self) -> list[dict]:
        """The stages with planned minutes (a kit without stages: one stage of its budget)."""
        if self.stages:
            return [dict(stage) for stage in self.stages]
        return [{"key": "interview", "label": str(_("Interview")), "minutes": self.minutes}]


class StopReason(models.TextChoices):
    KNOCKOUT = "knockout", _("A knock-out answer")
    UNFIT = "unfit", _("Clearly not a fit")
    WITHDREW = "withdrew", _("The candidate withdrew")
    NO_SHOW = "no_show", _("Did not show up")
    OTHER = "other", _("Other")


class Interview(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews")
    kit = models.ForeignKey(InterviewKit, on_delete=models.PROTECT, related_name="interviews")
    scheduled_at = models.DateTimeField(_("scheduled at"))
    created_at = models.DateTimeField(auto_now_add=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=0)
    # how it went: blank until recorded; a stage key when stopped early after it
    stopped_after = models.CharField(_("stopped after"), max_length=30, blank=True)
    stop_reason = models.CharField(
        _("why stopped"), max_length=10, choices=StopReason.choices, blank=True
    )
    stop_note = models.CharField(_("note"), max_length=200, blank=True)
    minutes_spent = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return f"{self.kit} {self.scheduled_at:%Y-%m-%d %H:%M}"


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Strong hire")
    YES = "yes", _("Hire")
    NO = "no", _("No hire")
    STRONG_NO = "strong_no", _("Strong no hire")
    NO_DECISION = "no_decision", _("No decision")


class InterviewScorecard(models.Model):
    """One interviewer's scorecard; others' stay hidden from them until they submit their own."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ratings = models.JSONField(default=dict, blank=True)  # {competency key: 1–5}
    notes = models.TextField(_("notes"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    no_decision_reason = models.CharField(_("why no decision"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="recruiting_one_card_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interview_id}:{self.interviewer_id}"


class OfferStatus(models.TextChoices):
    MADE = "made", _("Made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Offer(models.Model):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="offer")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    start_date = models.DateField(_("start date"))
    monthly_salary = models.DecimalField(
        _("monthly salary (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.MADE
    )
    made_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    onboarding_log = models.JSONField(
        default=list, blank=True
    )  # lines the onboarding steps returned

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.status}"


class ChannelCost(models.Model):
    """What a channel cost a site in a month (job-site fees, agency fees, campus events, referral
    bonuses), for the cost per retained hire in the channel report."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    source = models.CharField(_("channel"), max_length=15, choices=Source.choices)
    month = models.DateField(_("month"), help_text=_("Any day of the month."))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["site", "-month", "source"]
        verbose_name = _("channel cost")
        verbose_name_plural = _("channel costs")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "source", "month"], name="recruiting_one_cost_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m} {self.amount}"


class InterviewerBudget(models.Model):
    """How many minutes a day someone may spend interviewing (default 120)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_budget"
    )
    daily_minutes = models.PositiveSmallIntegerField(_("interview minutes a day"), default=120)

    class Meta:
        verbose_name = _("interviewer's time budget")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.daily_minutes}"


class HireFigures(models.Model):
    """One hire's figures past the hire date, kept for the channel report (``figures.py``).

    Refreshed by the periodic job ``hire_figures``, when an input saved through the ORM
    changes (the candidate, a QA evaluation, a daily statistics row, a cohort enrolment) and
    by the report itself for hires without a row or with a different hire date. What depends
    on today (whether a window is over, who has left) is decided when the report is read:
    the AHT windows are kept as raw sums, leaving is read from the agent.
    """

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    hired_on = models.DateField()  # the hire date these figures were computed for
    qa60 = models.FloatField(null=True)  # mean released QA score, days 0–59 after the hire
    aht60_handle = models.BigIntegerField(default=0)  # Σ handle seconds, days 30–59
    aht60_answered = models.IntegerField(default=0)
    aht90_handle = models.BigIntegerField(default=0)  # days 60–89
    aht90_answered = models.IntegerField(default=0)
    nesting = models.BooleanField(null=True)  # graduated / did not / open or never in nesting
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hire figures")
        verbose_name_plural = _("hire figures")

    def __str__(self) -> str:
        return f"#{self.candidate_id}"


def _clip_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"recruiting/clips/{instance.site_id}/{uuid.uuid4().hex}.{suffix}"


class ListeningClip(models.Model):
    """A recorded call a site's recruiters uploaded for the listening test, with its items
    (``assessments.parse_items``' format) and the transcript only HR sees. The audio is served
    through ``recruiting:clip_audio`` (HR of the site), never as public media."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=80)
    audio = models.FileField(_("audio"), upload_to=_clip_path)
    content_type = models.CharField(max_length=40)
    transcript = models.TextField(_("transcript"))
    items = models.JSONField(default=list)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "-created_at"]
        verbose_name = _("listening clip")
        verbose_name_plural = _("listening clips")

    def __str__(self) -> str:
        return self.title
