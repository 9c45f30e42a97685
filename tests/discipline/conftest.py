from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from zhiren.workforce.schedules import PlannedActivity, PlannedShift


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def planned(agent, day: date, start: int = 9, end: int = 18, leave: bool = False) -> PlannedShift:
    begin = local(day, start)
    finish = local(day + timedelta(days=1) if end <= start else day, end)
    activities = (PlannedActivity("leave", begin, finish),) if leave else (PlannedActivity("work", begin, finish),)
    return PlannedShift(agent.pk, day, begin, finish, activities)


@pytest.fixture
def make_rule(world):
    from zhiren.discipline.models import Rule

    def make(*, announced_on=None, grace_days=7, kinds=("late",), ladder=("reminder", "talk", "written_warning",
             "escalation"), team=None, site=None, category="attendance", **terms):
        rule = Rule.objects.create(
            title=terms.pop("title", "准时上班"), text="按排班准时打卡。", category=category,
            kinds=list(kinds) if category == "attendance" else [], site=site or world.site_a, ladder=list(ladder),
            grace_days=grace_days, announced_on=announced_on, **terms,
        )
        if team is not None:
            rule.teams.set([team])
        return rule

    return make
