"""What training contributes to the lead's workspace: nesting agents' first live day at the
晨会 (``huddle_sources``), so the team welcomes them and knows who may need a hand."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import HUDDLE_TODAY, HuddleItem

from .exposure import MAX_STAGE_WEEKS, first_live_day
from .models import Enrolment, EnrolmentStatus


def huddle_first_live_day(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """Agents of the team in nesting (哺育期) whose first day on live contacts is the huddle's day
    (one query). Their names are read out as a welcome, not a judgement."""
    day = timezone.localdate(shift_start)
    enrolments = (
        Enrolment.objects.filter(
            agent__team_id=team_id,
            status=EnrolmentStatus.NESTING,
            cohort__starts_on__range=(day - timedelta(weeks=4 * MAX_STAGE_WEEKS), day),
        )
        .select_related("agent", "cohort")
        .order_by("agent__employee_no")
    )
    names = [
        e.agent.name
        for e in enrolments
        if first_live_day(e.cohort.exposure or [], e.cohort.starts_on) == day
    ]
    if not names:
        return []
    return [
        HuddleItem(
            kind="first_live_day",
            section=HUDDLE_TODAY,
            key="training:first_live",
            text=gettext_noop(
                "First day on live contacts: %(names)s. Welcome them; the buddies stay close."
            ),
            params={"names": "、".join(dict.fromkeys(names))},
        )
    ]
