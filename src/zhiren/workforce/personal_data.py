"""What the workforce module holds about an agent (``core.registries.personal_data``) and what it
erases when an agent has left (their wishes and the reasons they gave; the schedule stays, as a
working-time record)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import blank_rows, delete_rows, model_section
from zhiren.core.registries import APPROVER_LEAD, CorrectionTopic, DataSection, PersonalDataSource
from zhiren.org.models import Agent

from .models import (
    AgentPreference,
    AgentSkill,
    LeaveRequest,
    PublishedShift,
    ShiftNotice,
    SwapRequest,
)


def _clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _weekdays(days) -> list[str]:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return [str(names[d]) for d in days or [] if isinstance(d, int) and 0 <= d < 7]


def collect(agent: Agent) -> list[DataSection]:
    swaps = SwapRequest.objects.filter(Q(requester=agent) | Q(partner=agent)).select_related("requester", "partner")
    return [
        model_section("preference", _("Working-time wishes"), AgentPreference,
                      AgentPreference.objects.filter(agent=agent), [
                          "min_minutes_week", "max_minutes_week", "preferred_templates",
                          ("preferred_days_off", _("preferred days off"), lambda p: _weekdays(p.preferred_days_off)),
                          "note",
                      ]),
        model_section("skills", _("Queue skills"), AgentSkill,
                      AgentSkill.objects.filter(agent=agent).select_related("queue").order_by("queue__code"),
                      [("queue", _("queue"), lambda s: s.queue.name), "proficiency"]),
        model_section("leave", _("Leave requests"), LeaveRequest,
                      LeaveRequest.objects.filter(agent=agent).order_by("start", "id"), [
                          "kind", "start", "end", "reason", ("status", _("status"), LeaveRequest.get_status_display),
                          "decision_note",
                      ]),
        model_section("swaps", _("Shift swaps"), SwapRequest, swaps.order_by("day", "id"), [
            ("day", _("day")), ("requester", _("agent"), lambda s: s.requester.name),
            ("partner", _("swap with"), lambda s: s.partner.name if s.partner_id else ""), "note",
            ("status", _("status"), SwapRequest.get_status_display),
        ]),
        model_section("shifts", _("Published shifts"), PublishedShift,
                      PublishedShift.objects.filter(agent=agent, active=True).order_by("day", "start_minute"), [
                          ("day", _("day")), ("template", _("shift")),
                          ("start", _("start"), lambda s: _clock(s.start_minute)),
                          ("end", _("end"), lambda s: _clock(s.end_minute)),
                      ], note=_("Login states from the phone or chat system are kept for adherence reports "
                                "and are not listed here.")),
        model_section("notices", _("Schedule notices"), ShiftNotice,
                      ShiftNotice.objects.filter(agent=agent).order_by("created_at", "id"),
                      [("created_at", _("date")), ("day", _("day")), ("text", _("message"))]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    return (
        delete_rows(AgentPreference.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(ShiftNotice.objects.filter(agent_id__in=agent_ids), dry_run)
        + blank_rows(LeaveRequest.objects.filter(agent_id__in=agent_ids).exclude(reason=""), dry_run, reason="")
    )


SOURCE = PersonalDataSource(
    label=_("Workforce"),
    collect=collect,
    erase=erase,
    corrections=(CorrectionTopic("workforce.schedule", _("Schedule, leave and working-time wishes"), APPROVER_LEAD),),
)
