"""Customer-service teams work weekends: the board, the cycles and the demo follow the
days the team works, not the Monday-to-Friday calendar."""

from __future__ import annotations

import json
import random
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from zhiren.core.registries import DemoContext
from zhiren.demo.org_data import load as load_org
from zhiren.org.models import Site
from zhiren.wellbeing import cycles, demo
from zhiren.wellbeing.models import AlertKind, MoodAlert, MoodCycle, MoodEntry, Source
from zhiren.workforce.models import PublishedShift, ScheduleVersion

from ..factories import AgentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 12, 7)
SATURDAY, SUNDAY = MONDAY - timedelta(days=2), MONDAY - timedelta(days=1)


def _board_days(client, **params) -> dict[str, float | None]:
    body = client.get(reverse("wellbeing:board"), params).content.decode()
    data = json.loads(re.search(r'<script id="board-data" type="application/json">(.*?)</script>',
                                body, re.S).group(1))
    return dict(zip(data["days"], data["means"], strict=True))


def _members(world, n: int = 6):
    return [world.agent, world.peer] + [AgentFactory(team=world.team_a1) for _ in range(n - 2)]


def test_date_range_has_every_calendar_day():
    days = cycles.date_range(date(2026, 12, 4), date(2026, 12, 8))
    assert [d.isoformat() for d in days] == [
        "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]
    assert cycles.date_range(date(2026, 12, 8), date(2026, 12, 7)) == []


@pytest.mark.django_db
def test_board_shows_the_weekend_the_team_worked(world, client_for):
    members = _members(world)
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=SHANGHAI)):
        for agent in members[:5]:
            MoodEntry.objects.create(agent=agent, day=SATURDAY, source=Source.SELF, score=4)
            MoodEntry.objects.create(agent=agent, day=SUNDAY, source=Source.SELF, score=2)
        days = _board_days(client_for(world.user("agent")))
    assert days[SATURDAY.isoformat()] == pytest.approx(4.0)
    assert days[SUNDAY.isoformat()] == pytest.approx(2.0)
    assert MONDAY.isoformat() in days  # today is always on the board
    # No schedule, no check-ins: the days before the weekend are days the team was off.
    assert (SATURDAY - timedelta(days=1)).isoformat() not in days


@pytest.mark.django_db
def test_board_days_follow_the_published_schedule(world, client_for):
    members = _members(world)
    version = ScheduleVersion.objects.create(site=world.team_a1.site, number=1,
                                             start=MONDAY - timedelta(days=7), end=MONDAY)
    # The team works Sunday and Tuesday; nobody works Wednesday to Saturday.
    for day in (SUNDAY, MONDAY - timedelta(days=6)):
        PublishedShift.objects.create(version=version, agent=members[0], day=day, template="D",
                                      start_minute=9 * 60, end_minute=18 * 60)
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=SHANGHAI)):
        days = _board_days(client_for(world.user("agent")))
    assert SUNDAY.isoformat() in days and days[SUNDAY.isoformat()] is None  # worked, too few check-ins
    assert (MONDAY - timedelta(days=6)).isoformat() in days
    assert SATURDAY.isoformat() not in days
    assert (MONDAY - timedelta(days=3)).isoformat() not in days


@pytest.mark.django_db
def test_team_cycle_found_on_a_weekend_day(world):
    """A team whose Sundays are hard: the team report can only see it if Sundays are counted."""
    from zhiren.wellbeing.selectors import team_board

    members = _members(world, 8)
    rng = random.Random(3)
    entries = []
    for n in range(84):
        day = MONDAY - timedelta(days=n)
        for agent in members:
            mean = 2.0 if day.weekday() == 6 else 4.0
            entries.append(MoodEntry(agent=agent, day=day, source=Source.SELF,
                                     score=max(1, min(5, round(rng.gauss(mean, 0.5))))))
    MoodEntry.objects.bulk_create(entries)
    board = team_board(world.team_a1, MONDAY)
    assert 6 in [p.key for p in board["low_weekdays"]]
    assert SUNDAY.isoformat() in board["chart"]["days"]


@pytest.mark.django_db
@pytest.mark.parametrize("today", [SATURDAY, SUNDAY, date(2026, 9, 20)], ids=["saturday", "sunday", "tiaoxiu-sunday"])
def test_demo_moods_the_same_story_any_day_of_the_week(today):
    """The demo's check-ins follow the rota, weekends included, and plant every warning on any day."""
    with time_machine.travel(datetime.combine(today, datetime.min.time(), SHANGHAI).replace(hour=9)):
        context = DemoContext(today=today, rng=random.Random(7))
        load_org(context)
        demo.load(context)
    days = set(MoodEntry.objects.values_list("day", flat=True))
    assert {d.weekday() for d in days} == set(range(7))
    kinds = set(MoodAlert.objects.filter(day__gt=today - timedelta(days=7)).values_list("kind", flat=True))
    assert {AlertKind.SUSTAINED_LOW, AlertKind.SHARP_DROP, AlertKind.LOW_ON_HARD_QUEUE} <= kinds
    assert MoodCycle.objects.filter(kind=cycles.WEEKDAY, key=0).exists()  # the Monday dip
    assert Site.objects.count() == 2


def test_a_weekend_streak_raises_the_alert_on_sunday():
    from zhiren.wellbeing import alerts

    friday = SATURDAY - timedelta(days=1)
    moods = [alerts.DayMood(friday - timedelta(days=n), 4) for n in range(20, 0, -1)]
    moods += [alerts.DayMood(day, 2) for day in (friday, SATURDAY, SUNDAY)]
    found = {a.kind: a for a in alerts.evaluate(moods, SUNDAY)}
    assert found[alerts.SUSTAINED_LOW].day == SUNDAY
    assert found[alerts.SUSTAINED_LOW].evidence["days"][-1] == SUNDAY.isoformat()
