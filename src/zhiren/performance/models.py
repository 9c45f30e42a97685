"""Performance data: contacts, their rollups, targets, SMART goals and appraisal cycles.

The KPI formulas are in :mod:`zhiren.performance.kpis` (plain Python over the
sums a rollup row holds) and documented in ``docs/performance-kpis.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent, Channel, Site, Team
from zhiren.org.querysets import VisibleManager

from . import metrics
from .kpis import KPI_CHOICES


class Interaction(models.Model):
    """One contact (call, chat, e-mail, ticket) as exported by the ACD / chat / ticket system.

    ``day`` and ``slot`` (the 15-minute interval of the local day, 0–95) are the
    local date and time of ``offered_at``, stored so rollups group on plain
    columns in any database. ``team`` is the agent's team when the contact was
    imported, so history stays with the team that handled it.
    """

    # Unique through Meta.constraints, not ``unique=True``: on PostgreSQL the field option also builds a
    # second (``varchar_pattern_ops``) index for LIKE, which no query uses and every imported row pays for.
    external_id = models.CharField(_("contact id"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE)
    queue = models.CharField(_("queue"), max_length=60, blank=True, default="")
    # No database constraint on agent and team (as on the rollup tables), and no index of their own (see
    # Meta.indexes): a constraint's deferred check costs a trigger call per
    # contact at commit, about a quarter of a large import's time. The import matches every agent against
    # the agents table and PROTECT still refuses, in the ORM, to delete an agent or team with contacts.
    # See docs/performance-kpis.md, "Import throughput".
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, null=True, blank=True, related_name="interactions", verbose_name=_("agent"),
        db_constraint=False, db_index=False,
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False, db_index=False
    )
    customer_id = models.CharField(_("customer id"), max_length=64, blank=True, default="")
    offered_at = models.DateTimeField(_("offered at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(_("15-minute interval"))
    wait_seconds = models.PositiveIntegerField(_("wait seconds"), default=0)
    talk_seconds = models.PositiveIntegerField(_("talk seconds"), default=0)
    hold_seconds = models.PositiveIntegerField(_("hold seconds"), default=0)
    acw_seconds = models.PositiveIntegerField(_("after-contact work seconds"), default=0)
    first_response_seconds = models.PositiveIntegerField(_("first response seconds"), null=True, blank=True)
    abandoned = models.BooleanField(_("abandoned"), default=False)
    transferred = models.BooleanField(_("transferred"), default=False)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("recommendation (0–10)"), null=True, blank=True)
    # True when the same customer contacted again within the repeat window after
    # this contact: the contact did not resolve the matter the first time.
    repeat_contact = models.BooleanField(_("repeat contact followed"), default=False)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        # Each index costs every imported row (about a fifth of the write each): only what a query needs.
        # day: the rollup refresh, and the API's newest-first list (ordered by day, then time, it reads
        # back day by day until it has a page, for any scope). Nothing reads contacts by agent or team at
        # scale (pages read the rollups). Repeat contacts are matched by customer in a hash join over a
        # day range on PostgreSQL; SQLite, which has no hash join, gets an index on (customer_id,
        # offered_at) from migration 0005, outside the model state.
        indexes = [models.Index(fields=["day"])]
        constraints = [models.UniqueConstraint(fields=["external_id"], name="interaction_external_id_unique")]

    def __str__(self) -> str:
        return self.external_id


class StatFields(models.Model):
    """Additive sums behind every KPI (see ``kpis.SUM_FIELDS``)."""

    offered = models.PositiveIntegerField(default=0)
    short_abandoned = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_in_sl = models.PositiveIntegerField(default=0)
    wait_sum = models.BigIntegerField(default=0)
    handle_sum = models.BigIntegerField(default=0)
    talk_sum = models.BigIntegerField(default=0)
    hold_sum = models.BigIntegerField(default=0)
    acw_sum = models.BigIntegerField(default=0)
    frt_count = models.PositiveIntegerField(default=0)
    frt_sum = models.BigIntegerField(default=0)
    resolution_known = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    fcr_base = models.PositiveIntegerField(default=0)
    fcr_hits = models.PositiveIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)
    csat_count = models.PositiveIntegerField(default=0)
    csat_top2 = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    nps_count = models.PositiveIntegerField(default=0)
    nps_promoters = models.PositiveIntegerField(default=0)
    nps_detractors = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyStat(StatFields):
    """Daily rollup by agent, team, queue and channel (agent and team empty for abandons)."""

    day = models.DateField()
    # The (team, day) and (agent, day) indexes serve lookups by team or agent; no index of their own.
    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("daily statistic")
        verbose_name_plural = _("daily statistics")
        indexes = [
            models.Index(fields=["day"]),
            models.Index(fields=["team", "day"]),
            models.Index(fields=["agent", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.agent_id or '-'} · {self.queue} · {self.channel}"


class IntervalStat(StatFields):
    """15-minute rollup by team, queue and channel; 30-minute figures add two slots."""

    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    # Every query of this table has a day range (the (day, slot) index); no team index.
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("interval statistic")
        verbose_name_plural = _("interval statistics")
        indexes = [models.Index(fields=["day", "slot"])]

    def __str__(self) -> str:
        return f"{self.day} #{self.slot} · {self.queue} · {self.channel}"


class AgentIntervalStat(models.Model):
    """15-minute rollup by agent (and their team, queue and channel): the agent's intraday
    profile. Only handled contacts: an abandoned one reaches no agent (see ``IntervalStat``).
    It keeps only the two sums its page reads (``rollups.AGENT_INTERVAL_FIELDS``: contacts
    handled and handle time), not every KPI's: it has about one row per contact, and each
    column costs every import."""

    answered = models.PositiveIntegerField(default=0)
    handle_sum = models.BigIntegerField(default=0)
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    # The (agent, day) index serves an agent's rows; nothing reads this table by team.
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("agent interval statistic")
        verbose_name_plural = _("agent interval statistics")
        indexes = [models.Index(fields=["agent", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} #{self.slot} · {self.agent_id} · {self.queue} · {self.channel}"


# --- summaries sized for the question -------------------------------------------------------------
# Derived from the rollups above by ``rollups.refresh_days`` (never from the contacts), so that a page
# over a long range or a whole site reads hundreds or thousands of rows, not millions. A ``month`` is
# the first day of the month; a month row holds the month's every day (``rollups`` recomputes a month
# whenever one of its days changes). See docs/performance-kpis.md, "Summaries".


class TeamDayStat(StatFields):
    """Daily rollup by team, queue and channel (no agent; team empty for contacts nobody handled):
    the site overview's team table, trends and queues."""

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("team daily statistic")
        verbose_name_plural = _("team daily statistics")
        indexes = [models.Index(fields=["day"]), models.Index(fields=["team", "day"])]

    def __str__(self) -> str:
        return f"{self.day} · {self.team_id or '-'} · {self.queue} · {self.channel}"


class TeamDayTotal(StatFields):
    """Daily rollup by team alone (every queue and channel; team empty for contacts nobody handled):
    the site overview's team table and trends when no queue or channel is picked, a quarter or
    less of ``TeamDayStat``'s rows."""

    day = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )

    objects = VisibleManager()

    class Meta:
        verbose_name = _("team daily total")
        verbose_name_plural = _("team daily totals")
        indexes = [models.Index(fields=["day"]), models.Index(fields=["team", "day"])]

    def __str__(self) -> str:
        return f"{self.day} · {self.team_id or '-'}"


class TeamMonthStat(StatFields):
    """Monthly rollup by team, queue and channel: the site overview over long ranges."""

    month = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    objects = VisibleManager()

    class Meta:
        verbose_name = _("team monthly statistic")
        verbose_name_plural = _("team monthly statistics")
        indexes = [models.Index(fields=["month"]), models.Index(fields=["team", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.team_id or '-'} · {self.queue} · {self.channel}"


class AgentMonthStat(StatFields):
    """Monthly rollup by agent (and their team, queue and channel): team and agent pages over long ranges."""

    month = models.DateField()
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("agent monthly statistic")
        verbose_name_plural = _("agent monthly statistics")
        indexes = [models.Index(fields=["team", "month"]), models.Index(fields=["agent", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.agent_id} · {self.queue} · {self.channel}"


class SiteIntervalStat(StatFields):
    """15-minute rollup by site, queue and channel (site empty for contacts nobody handled): the site
    overview's intraday profile. The site is the team's site when the day was last refreshed."""

    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("site interval statistic")
        verbose_name_plural = _("site interval statistics")
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} #{self.slot} · {self.site_id or '-'} · {self.queue} · {self.channel}"


class SiteSlotMonthStat(StatFields):
    """The month's intraday profile by site, queue and channel: each 15-minute slot of the day summed
    over the month's days (long ranges of the site overview)."""

    month = models.DateField()
    slot = models.PositiveSmallIntegerField()
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False, db_index=False
    )
    queue = models.CharField(max_length=60, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("site monthly slot statistic")
        verbose_name_plural = _("site monthly slot statistics")
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.slot} · {self.site_id or '-'} · {self.queue} · {self.channel}"


class ColumnMapping(models.Model):
    """A user's saved column mapping for their own system's export: file header → field."""

    name = models.SlugField(_("name"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    columns = models.JSONField(_("columns"), default=dict)  # {"header in the file": "field key"}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    """A KPI target for a team (or the default for every team when ``team`` is empty)."""

    kpi = models.CharField(_("KPI"), max_length=20, choices=KPI_CHOICES)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("team"))
    value = models.FloatField(_("target"))

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [models.UniqueConstraint(fields=["kpi", "team"], name="kpi_target_unique")]

    def __str__(self) -> str:
        return f"{self.kpi} = {self.value}"


class GoalLevel(models.TextChoices):
    AGENT = "agent", _("Agent")
    TEAM = "team", _("Team")
    SITE = "site", _("Site")


class Goal(models.Model):
    """A SMART goal: specific KPI, measurable target, period (time-bound), owner, relevance."""

    title = models.CharField(_("title"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=GoalLevel.choices)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("agent"))
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("team"))
    site = models.ForeignKey("org.Site", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("site"))
    # a KPI code, or a metric code another app registers (``metrics``; quality: "qa_score")
    kpi = models.CharField(_("KPI"), max_length=60)
    target = models.FloatField(_("target"))
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    rationale = models.TextField(_("why it matters"))
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("cascaded from")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["-end", "title"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="goal_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kpi_label(self):
        return metrics.label(self.kpi)

    def clean(self) -> None:
        if self.kpi and not metrics.is_known(self.kpi):
            raise ValidationError({"kpi": _("Unknown KPI.")})
        needed = {GoalLevel.AGENT: "agent", GoalLevel.TEAM: "team", GoalLevel.SITE: "site"}.get(self.level)
        if needed and not getattr(self, f"{needed}_id"):
            raise ValidationError({needed: _("Choose who the goal is for.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})


class ComponentKind(models.TextChoices):
    KPI = "kpi", _("KPI")
    QA = "qa", _("QA score")
    ATTENDANCE = "attendance", _("Attendance")
    BEHAVIOUR = "behaviour", _("Lead's rating on behaviours")


class AppraisalTemplate(models.Model):
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("appraisal template")
        verbose_name_plural = _("appraisal templates")

    def __str__(self) -> str:
        return self.name


class AppraisalComponent(models.Model):
    """A weighted part of a scorecard. KPI components score through bands:
    ``bands`` is a list of ``[threshold, score]`` pairs, best first (for a KPI where
    lower is better, thresholds rise); the first threshold the value meets gives the score."""

    template = models.ForeignKey(AppraisalTemplate, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("kind"), max_length=12, choices=ComponentKind.choices)
    label = models.CharField(_("label"), max_length=100)
    kpi = models.CharField(_("KPI"), max_length=20, choices=KPI_CHOICES, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    bands = models.JSONField(_("scoring bands"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("appraisal component")
        verbose_name_plural = _("appraisal components")

    def __str__(self) -> str:
        return self.label


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CALIBRATION = "calibration", _("Calibration")
    CLOSED = "closed", _("Closed")


class AppraisalCycle(models.Model):
    name = models.CharField(_("name"), max_length=100)
    template = models.ForeignKey(AppraisalTemplate, on_delete=models.PROTECT, verbose_name=_("template"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=CycleStatus.choices, default=CycleStatus.OPEN)

    class Meta:
        ordering = ["-end"]
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")

    def __str__(self) -> str:
        return self.name


class AppraisalStage(models.TextChoices):
    SELF_REVIEW = "self_review", _("Self-review")
    LEAD_REVIEW = "lead_review", _("Lead review")
    SIGN_OFF = "sign_off", _("Awaiting sign-off")
    SIGNED = "signed", _("Signed")


class Appraisal(models.Model):
    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.CASCADE, related_name="appraisals")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("agent"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=AppraisalStage.choices, default=AppraisalStage.SELF_REVIEW
    )
    self_review = models.TextField(_("self-review"), blank=True)
    lead_review = models.TextField(_("lead review"), blank=True)
    behaviour_rating = models.PositiveSmallIntegerField(_("behaviour rating (1–5)"), null=True, blank=True)
    # Filled by later modules (quality, discipline) through services.set_component_input.
    inputs = models.JSONField(default=dict, blank=True)  # {"qa": 92.5, "attendance": 98.0}
    score = models.FloatField(_("score"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["cycle", "agent__employee_no"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [models.UniqueConstraint(fields=["cycle", "agent"], name="appraisal_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.agent}"
