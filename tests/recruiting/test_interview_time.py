"""Interview time against budgets (seed 003: cut the unfit short, invest in the promising)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhiren.recruiting import selectors, services, timebudget
from zhiren.recruiting.models import Interview, InterviewKit, InterviewScorecard

from .helpers import KIT, candidate, role

STAGES = [
    {"key": "knockout", "label": "硬性条件", "minutes": 5},
    {"key": "questions", "label": "结构化问题", "minutes": 25},
    {"key": "win", "label": "答疑", "minutes": 10},
]


def test_plan_and_day_load():
    assert timebudget.planned_minutes(STAGES) == 40
    assert timebudget.minutes_until(STAGES, "knockout") == 5
    assert timebudget.minutes_until(STAGES, "questions") == 30
    assert timebudget.minutes_until(STAGES, "nope") == 40
    load = timebudget.day_load([40, 40], 120)
    assert (load.left, load.fits(40), load.fits(41)) == (40, True, False)
    assert timebudget.day_load([], None).budget == timebudget.DEFAULT_DAILY_MINUTES
    assert timebudget.day_load([100], 60).left == 0
    assert timebudget.spent_minutes(40, None) == 40 and timebudget.spent_minutes(40, 5) == 5


def _kit():
    return InterviewKit.objects.create(role=role(), name="售后", competencies=KIT, stages=STAGES)


@pytest.mark.django_db
def test_scheduling_keeps_to_the_budget_and_an_early_stop_gives_time_back(world):
    lead, qa = world.user("lead"), world.user("qa")
    services.set_interview_budget(lead, 80, user=world.user("hr"))
    kit = _kit()
    when = timezone.now().replace(hour=10, minute=0)
    first = services.schedule_interview(
        candidate(world.site_a, stage="screened"), kit, when, [lead, qa], user=None
    )
    assert first.planned_minutes == 40
    services.schedule_interview(candidate(world.site_a), kit, when, [lead], user=None)
    with pytest.raises(ValidationError) as refused:  # the lead's 80 minutes are booked
        services.schedule_interview(candidate(world.site_a), kit, when, [lead, qa], user=None)
    assert "0" in refused.value.messages[0] and "80" in refused.value.messages[0]
    assert Interview.objects.count() == 2
    # the first candidate is let go after the knock-outs: 35 minutes come back
    with pytest.raises(ValidationError):
        services.record_interview_time(first, user=lead, stopped_after="knockout")  # no reason
    services.record_interview_time(first, user=lead, stopped_after="knockout", reason="unfit")
    first.refresh_from_db()
    assert (first.minutes_spent, first.stop_reason) == (5, "unfit")
    loads = selectors.day_loads([lead], timezone.localtime(when).date())
    assert (loads[lead.pk].booked, loads[lead.pk].left) == (45, 35)
    with pytest.raises(ValidationError):  # the last stage is not an early stop
        services.record_interview_time(first, user=lead, stopped_after="win", reason="unfit")


@pytest.mark.django_db
def test_interview_minutes_per_hire_in_the_report(world, client_for):
    kit = _kit()
    today = timezone.localdate()
    hired = candidate(
        world.site_a, source="campus", applied_on=today - dt.timedelta(days=20), hired_on=today
    )
    hired.agent = world.peer
    hired.save()
    unfit = candidate(world.site_a, source="campus", applied_on=today - dt.timedelta(days=20))
    past = timezone.now() - dt.timedelta(days=10)
    promising = services.schedule_interview(
        hired, kit, past, [world.user("lead"), world.user("qa")], user=None
    )
    services.record_interview_time(promising, user=None, minutes=55)  # more time than planned
    stopped = services.schedule_interview(unfit, kit, past, [world.user("lead")], user=None)
    services.record_interview_time(stopped, user=None, stopped_after="knockout", reason="knockout")
    report = selectors.channel_report(
        world.site_a.__class__.objects.all(), today - dt.timedelta(days=30), today, today
    )
    row = report["rows"][0]
    assert (row.interview_minutes, row.minutes_per_hire) == (115, 115)  # 55 × 2 + 5 × 1
    # a panel member records the time on the candidate page; HR sees the interviewers' week
    client = client_for(world.user("lead"))
    url = reverse("recruiting:interview_time", args=[promising.pk])
    assert client.post(url, {"stopped_after": "", "minutes": "50"}).status_code == 302
    assert Interview.objects.get(pk=promising.pk).minutes_spent == 50
    page = client_for(world.user("hr")).get(reverse("recruiting:interviewers"))
    assert page.status_code == 200 and "/120′" in page.content.decode()
    assert InterviewScorecard.objects.filter(interview=promising).count() == 2
