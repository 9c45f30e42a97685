"""The foundation's personal data, registered by this app: the agent record (``org``) and the
agent's own correction requests, with the record's fields an approved request may change.

``org`` and ``audit`` sit below ``core`` and cannot register themselves (as ``core`` registers
their pages in the navigation); this app reads them and registers for them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.core.personal_data import model_section
from zhiren.core.registries import APPROVER_HR, CorrectionTopic, DataSection, PersonalDataSource
from zhiren.imports.cells import date_value, text
from zhiren.imports.errors import CellError
from zhiren.imports.importers import plausible_birthday, plausible_hire_date
from zhiren.org.models import Agent

from .models import CorrectionRequest


def collect(agent: Agent) -> list[DataSection]:
    """The agent record (the caller loads it with team and site) and the correction requests."""
    record = model_section(
        "record", _("Agent record"), Agent, [agent],
        [
            "employee_no", "name",
            ("team", _("Team"), lambda a: a.team.name),
            ("site", _("Site"), lambda a: a.team.site.name),
            "position",
            ("channel_skills", _("Channel skills"), lambda a: a.get_channel_skills_display()),
            "hire_date", "birthday", "status",
            ("login", _("Login"), lambda a: a.user.get_username() if a.user_id else ""),
        ],
    )
    requests = model_section(
        "correction_requests", _("Correction requests"), CorrectionRequest,
        CorrectionRequest.objects.filter(agent=agent).order_by("requested_at", "id"),
        ["requested_at", "topic_label", "wrong", "correct", "status", "decided_at", "decision_note"],
    )
    return [record, requests]


def _change(agent: Agent, field: str, value, actor) -> None:
    with transaction.atomic():
        setattr(agent, field, value)
        agent.save(update_fields=[field, "updated_at"])
        audit(actor=actor, action=AuditAction.UPDATE, obj=agent, fields=[field], subject_agent_id=agent.pk,
              purpose="correction request approved")


def _parsed(parse, value: str):
    try:
        return parse(value.strip(), None)
    except CellError as exc:
        raise ValueError(str(exc.message)) from exc


def apply_name(agent: Agent, value: str, actor) -> None:
    name = _parsed(text(max_length=60), value)
    if not name:
        raise ValueError(_("A name cannot be empty."))
    _change(agent, "name", name, actor)


def apply_birthday(agent: Agent, value: str, actor) -> None:
    _change(agent, "birthday", _parsed(date_value(check=plausible_birthday), value), actor)


def apply_hire_date(agent: Agent, value: str, actor) -> None:
    _change(agent, "hire_date", _parsed(date_value(check=plausible_hire_date), value), actor)


SOURCE = PersonalDataSource(
    label=_("Agent record"),
    collect=collect,
    corrections=(
        CorrectionTopic("org.name", _("My name"), APPROVER_HR, apply_name),
        CorrectionTopic("org.birthday", _("My birthday"), APPROVER_HR, apply_birthday),
        CorrectionTopic("org.hire_date", _("My hire date"), APPROVER_HR, apply_hire_date),
        CorrectionTopic("org.record", _("Other employment data (team, position, status, skills)"), APPROVER_HR),
    ),
)
