"""Training (培训): programmes of milestones, sessions and attendance, quizzes with an item
bank, nesting cohorts (哺育期) with a graduation gate and sign-offs, certifications per
queue, a long-term plan per site in quarterly goals, and a case library.

Everything that hangs off an agent (enrolments, attempts, attendance, certifications) has
``objects = VisibleManager()`` and is scoped through ``zhiren.org.scoping``; what hangs off
a site (programmes, cohorts, plans, the item bank, cases) is read by the training staff of
the site (``selectors.TRAINING_ROLES``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Site
from zhiren.org.querysets import VisibleManager
from zhiren.workforce.models import Queue

from . import gate
from .exposure import DEFAULT_STAGES


class Tier(models.TextChoices):
    """分层: different audiences, different formats (seed 003)."""

    NEW_HIRE = "new_hire", _("New hires")
    TENURED = "tenured", _("Tenured agents")
    LEAD = "lead", _("Team leads")
    TRAINER = "trainer", _("Trainers")


class Topic(models.TextChoices):
    PRODUCT = "product", _("Product knowledge")
    SYSTEMS = "systems", _("Systems")
    SOFT_SKILLS = "soft_skills", _("Soft skills")
    COMPLIANCE = "compliance", _("Compliance")


class Format(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    ROLE_PLAY = "role_play", _("Role play")
    GAME = "game", _("Interactive game")
    ELEARNING = "elearning", _("E-learning")
    SHADOWING = "shadowing", _("Shadowing")
    LECTURE = "lecture", _("Lecture")


class Programme(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=100)
    tier = models.CharField(
        _("audience"), max_length=10, choices=Tier.choices, default=Tier.NEW_HIRE
    )
    # the placement catalogue's role code this programme prepares for (blank: any role)
    role_code = models.CharField(_("role"), max_length=30, blank=True)
    queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue certified"),
    )
    # QA criterion keys the programme sets out to improve (Kirkpatrick level 3)
    targeted_criteria = models.JSONField(_("QA criteria targeted"), default=list, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("trainers")
    )
    certification_quiz = models.ForeignKey(
        "Quiz",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certification quiz"),
    )
    certification_months = models.PositiveSmallIntegerField(
        _("certification valid (months)"), default=12
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["site", "tier", "name"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(
        _("topic"), max_length=12, choices=Topic.choices, default=Topic.PRODUCT
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.CASE_STUDY
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=2)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("One link or reference per line.")
    )

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def material_lines(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


def default_exposure() -> list[dict]:
    return [dict(stage) for stage in DEFAULT_STAGES]


class Cohort(models.Model):
    """A nesting class (哺育期班): starts together, takes graduated queue exposure, graduates through the gate."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("nesting starts"))
    weeks = models.PositiveSmallIntegerField(_("nesting weeks"), default=6)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trainer"),
    )
    # [{"key", "weeks", "queues": [queue codes]}], then the full mix (see ``exposure``)
    exposure = models.JSONField(_("queue exposure"), default=default_exposure)
    min_evaluations = models.PositiveSmallIntegerField(_("QA evaluations at least"), default=5)
    min_qa_score = models.FloatField(_("QA average at least"), default=80)
    aht_tolerance_pct = models.FloatField(_("AHT above the tenured median at most (%)"), default=20)
    quiz_pass_mark = models.FloatField(_("certification quiz pass mark"), default=80)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("nesting cohort")
        verbose_name_plural = _("nesting cohorts")

    def __str__(self) -> str:
        return self.name

    def gate_rules(self) -> gate.GateRules:
        return gate.GateRules(
            self.min_evaluations, self.min_qa_score, self.aht_tolerance_pct, self.quiz_pass_mark
        )


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In training")
    NESTING = "nesting", _("In nesting")
    GRADUATED = "graduated", _("Graduated")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_on = models.DateField(_("enrolled on"))
    nesting_until = models.DateField(_("nesting until"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-enrolled_on", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "agent"], name="training_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} · {self.programme_id}"


class Progress(models.Model):
    """A milestone marked done for an enrolment, by the trainer."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField(_("done on"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "milestone"], name="training_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.milestone_id}"


class Session(models.Model):
    """One class held (a milestone taught on a day, in a format, by a trainer)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("trainer"),
    )

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.held_on}"


class Attendance(models.Model):
    """Who was there, and the trainee's rating of the session (Kirkpatrick level 1)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    objects = VisibleManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "agent"], name="training_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.agent_id}"


# --- quizzes ---------------------------------------------------------------------------------


LETTERS = "ABCD"


def _choice_property(index: int) -> property:
    """``choice_a`` … ``choice_d``: one option of ``choices`` (the import's columns)."""

    def get(item: Item) -> str:
        return item.choices[index] if index < len(item.choices or []) else ""

    def put(item: Item, value: str | None) -> None:
        choices = list(item.choices or [])
        choices += [""] * (index + 1 - len(choices))
        choices[index] = value or ""
        while choices and not choices[-1]:
            choices.pop()
        item.choices = choices

    return property(get, put)


class Item(models.Model):
    """A question of the site's item bank: one stem, choices, one keyed answer.

    ``code`` is the question's number in the site's bank (the key of the quiz-item import).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("question number"), max_length=40, blank=True, default="")
    stem = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list)  # ["…", "…"]
    key = models.PositiveSmallIntegerField(_("keyed answer"))  # index into choices
    topic = models.CharField(
        _("topic"), max_length=12, choices=Topic.choices, default=Topic.PRODUCT
    )
    criterion_key = models.CharField(_("QA criterion"), max_length=40, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["site", "pk"]
        verbose_name = _("quiz item")
        verbose_name_plural = _("quiz items")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="training_item_code_unique"
            )
        ]

    choice_a = _choice_property(0)
    choice_b = _choice_property(1)
    choice_c = _choice_property(2)
    choice_d = _choice_property(3)

    def __str__(self) -> str:
        return self.stem[:40]


class Quiz(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes"
    )
    title = models.CharField(_("title"), max_length=120)
    items = models.ManyToManyField(Item, related_name="quizzes")
    pass_mark = models.FloatField(_("pass mark (%)"), default=80)

    class Meta:
        ordering = ["site", "title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class AttemptMode(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    PRE = "pre", _("Pre-test")
    FINAL = "final", _("Final")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(
        _("mode"), max_length=10, choices=AttemptMode.choices, default=AttemptMode.PRACTICE
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    score = models.FloatField(_("score (%)"))

    objects = VisibleManager()

    class Meta:
        ordering = ["-submitted_at", "pk"]
        indexes = [models.Index(fields=["agent", "quiz"])]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.agent_id} · {self.score}"


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="responses")
    choice = models.PositiveSmallIntegerField(null=True)
    correct = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="training_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.item_id}"


# --- gate, sign-off, extensions, certifications ------------------------------------------------


class SignOffRole(models.TextChoices):
    TRAINER = "trainer", _("Trainer")
    QA = "qa", _("QA")
    LEAD = "lead", _("Team lead")


class SignOff(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sign_offs")
    role = models.CharField(_("as"), max_length=10, choices=SignOffRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "role"], name="training_signoff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.role}"


class Extension(models.Model):
    """Nesting extended: the history of why and until when (延期)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="extensions")
    previous_until = models.DateField(null=True)
    new_until = models.DateField(_("nesting until"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.new_until}"


class Certification(models.Model):
    """Certified for a queue (上岗认证), until it expires; re-certification adds a new row."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="+", verbose_name=_("queue")
    )
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"))
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recertification = models.BooleanField(_("re-certification"), default=False)

    objects = VisibleManager()

    class Meta:
        ordering = ["-certified_on", "pk"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.agent_id} · {self.queue_id} · {self.expires_on}"


# --- the long-term plan ------------------------------------------------------------------------


class TrainingPlan(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=100)
    aim = models.TextField(_("aim"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))

    class Meta:
        ordering = ["site", "-first_year"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self) -> str:
        return self.name


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanGoal(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="goals")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    title = models.CharField(_("goal"), max_length=200)
    tier = models.CharField(
        _("audience"), max_length=10, choices=Tier.choices, default=Tier.NEW_HIRE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "year", "quarter", "pk"]

    def __str__(self) -> str:
        return self.title


# --- the case library --------------------------------------------------------------------------


class CaseSource(models.TextChoices):
    QA = "qa", _("QA evaluation")
    KNOW_HOW = "know_how", _("Know-how")


class CaseKind(models.TextChoices):
    BEST = "best", _("Best practice")
    WORST = "worst", _("What to avoid")


class Case(models.Model):
    """A training case: a QA evaluation marked as an example, or a top performer's know-how.
    Text from transcripts is stored masked (``quality.masking``)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices)
    kind = models.CharField(
        _("kind"), max_length=6, choices=CaseKind.choices, default=CaseKind.BEST
    )
    evaluation = models.ForeignKey(
        "quality.Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    know_how = models.ForeignKey(
        "placement.KnowHow", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("case"))
    criteria = models.JSONField(_("QA criteria"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("training case")
        verbose_name_plural = _("training cases")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(evaluation__isnull=False),
                name="training_case_evaluation_unique",
            ),
            models.UniqueConstraint(
                fields=["know_how"],
                condition=models.Q(know_how__isnull=False),
                name="training_case_know_how_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title
