"""What the lead's workspace holds about an agent (``core.registries.personal_data``).

The huddles the agent was marked present at or absent from, and the board's cards their
lead handed to them (a delegation, with its note). The moods observed at a huddle are
wellbeing's records and exported there. Nothing here is sensitive, so nothing is erased
when an agent leaves beyond what the agent's own deletion removes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import model_section
from zhiren.core.registries import DataSection, PersonalDataSource
from zhiren.org.models import Agent

from .models import Attendance, CardState


def collect(agent: Agent) -> list[DataSection]:
    return [
        model_section(
            "huddle_attendance",
            _("Shift huddles"),
            Attendance,
            Attendance.objects.filter(agent=agent)
            .select_related("huddle__team")
            .order_by("huddle__shift_start", "id"),
            [
                ("shift_start", _("shift starts"), lambda a: a.huddle.shift_start),
                ("team", _("team"), lambda a: a.huddle.team.name),
                ("present", _("present"), lambda a: a.present),
            ],
        ),
        model_section(
            "delegated_cards",
            _("Tasks delegated to you"),
            CardState,
            CardState.objects.filter(delegated_to=agent).order_by("decided_on", "id"),
            [("decided_on", _("date")), ("status", _("status")), ("scheduled_for", _("scheduled for")), "note"],
        ),
    ]


SOURCE = PersonalDataSource(_("Team lead's workspace"), collect)
