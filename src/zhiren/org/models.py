"""Organisation: centre → sites → teams → agents, and the roles users hold."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.text import join_list

from .querysets import VisibleManager


class Channel(models.TextChoices):
    VOICE = "voice", _("Voice")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    TICKET = "ticket", _("Ticket")


def ordered_skills(skills: list[str]) -> list[str]:
    """Channel codes in ``Channel`` order, each once; codes that are not channels kept after them."""
    known = [code for code in Channel.values if code in skills]
    return known + [code for code in dict.fromkeys(skills) if code not in Channel.values]


class Position(models.TextChoices):
    PRESALES = "presales", _("Presales")
    AFTERSALES = "aftersales", _("Aftersales")
    COMPLAINTS = "complaints", _("Complaints")
    QA = "qa", _("Quality assurance")
    TRAINER = "trainer", _("Trainer")
    OPERATIONS = "operations", _("Operations")
    TEAM_LEAD = "team_lead", _("Team lead")
    LEAD_RESERVE = "lead_reserve", _("Lead reserve")


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")


class Center(models.Model):
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("contact centre")
        verbose_name_plural = _("contact centres")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="sites")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    main_channel = models.CharField(
        _("main channel"), max_length=10, choices=Channel.choices, default=Channel.VOICE
    )

    objects = VisibleManager()

    class Meta:
        ordering = ["site__code", "code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """A person on a team, with or without a login."""

    # Unique by a constraint, not ``unique=True``: the same unique index, without the extra
    # ``varchar_pattern_ops`` index PostgreSQL would get for LIKE queries nothing here makes.
    employee_no = models.CharField(_("employee number"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    # No index of its own: the (team, status) index below serves every lookup by team.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="agents", verbose_name=_("team"), db_index=False
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.AFTERSALES
    )
    channel_skills = models.JSONField(_("channel skills"), default=list, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgentStatus.choices, default=AgentStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent",
        verbose_name=_("login"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleManager()

    class Meta:
        ordering = ["team_id", "employee_no"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        indexes = [models.Index(fields=["team", "status"])]
        constraints = [models.UniqueConstraint(fields=["employee_no"], name="org_agent_employee_no_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One order for the same skills (the import's order), so an export re-imports unchanged.
        if isinstance(self.channel_skills, list):
            self.channel_skills = ordered_skills(self.channel_skills)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        unknown = sorted(set(self.channel_skills or []) - set(Channel.values))
        if unknown:
            raise ValidationError({"channel_skills": _("Unknown channel: %s") % ", ".join(unknown)})

    def get_channel_skills_display(self) -> str:
        labels = dict(Channel.choices)
        return join_list(labels.get(code, code) for code in self.channel_skills or [])


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    QA = "qa", _("QA inspector")
    TRAINER = "trainer", _("Trainer")
    HR = "hr", _("Recruiter / HR")
    SITE_MANAGER = "site_manager", _("Site manager")
    ADMIN = "admin", _("Administrator")


class Scope(models.TextChoices):
    OWN = "own", _("Own record")
    TEAMS = "teams", _("Teams")
    SITE = "site", _("Site")
    ALL = "all", _("Everything")


class RoleAssignment(models.Model):
    """A role a user holds, scoped to their own record, some teams, a site or everything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="role_assignments")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="site") | models.Q(site__isnull=False),
                name="role_site_scope_has_site",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="agent") | models.Q(scope="own"),
                name="role_agent_is_own_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.get_scope_display()}"

    def clean(self) -> None:
        if self.scope == Scope.SITE and not self.site_id:
            raise ValidationError({"site": _("A site-scoped role needs a site.")})
        if self.role == Role.AGENT and self.scope != Scope.OWN:
            raise ValidationError({"scope": _("The agent role is scoped to the own record.")})
