"""The floor view for a team lead (issue #19, item 2): states in words, minutes in state,
per team, staffed vs required now and for the next four quarter hours, the wall mode."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhiren.workforce.floor import selectors as floor
from zhiren.workforce.models import CurrentState, ForecastVersion
from zhiren.workforce.planning import services as planning

from .conftest import next_monday
from .test_workforce import _publish_simple


def _today_forecast_then_next_weeks(wfm):
    """A forecast covering today, then a newer one for later weeks (as a roster run makes)."""
    today = timezone.localdate()
    planning.create_forecast(None, wfm, today - timedelta(days=today.weekday()), 1)
    later = planning.create_forecast(None, wfm, next_monday(), 1)
    assert ForecastVersion.objects.filter(queue=wfm).count() == 2 and later.start > today


def test_required_now_reads_the_version_covering_today(wfm, world, _clock):
    # mid-morning of the suite's day, when the history's queue is open (the suite may start at 23:59)
    _clock.move_to(timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0))
    _today_forecast_then_next_weeks(wfm)
    data = floor.floor([world.team_a1])
    assert data["required"] and data["required"] > 0
    assert len(data["intervals"]) == 5
    assert all(i["required"] is not None and i["required"] > 0 for i in data["intervals"])
    starts = [i["start"] for i in data["intervals"]]
    assert starts[0].minute % 15 == 0 and starts[1] - starts[0] == timedelta(minutes=15)


def test_floor_shows_states_in_words_minutes_and_no_seconds(wfm, world, client_for):
    today = timezone.localdate()
    _publish_simple(world, today, {world.agent: (0, 23 * 60 + 45)})
    now = timezone.now()
    CurrentState.objects.create(agent=world.agent, state="break", since=now - timedelta(minutes=12),
                                received_at=now)
    CurrentState.objects.create(agent=world.peer, state="available", since=now - timedelta(minutes=5),
                                received_at=now)
    lead = client_for(world.user("lead"))
    lead.cookies["django_language"] = "zh-hans"
    body = lead.get(reverse("workforce:floor_panel")).content.decode()
    assert "小休" in body and ">break<" not in body and ">available<" not in body
    assert 'data-state="break"' in body and "12 分钟" in body
    assert "未遵从排班 12 分钟" in body  # planned to work, on break: out of adherence
    lead.cookies["django_language"] = "en"
    body = lead.get(reverse("workforce:floor")).content.decode()
    assert ">Break<" in body and "out of adherence 12 min" in body
    assert 'data-testid="floor-team"' in body and world.team_a1.name in body
    import re

    assert not re.search(r"\b\d\d:\d\d:\d\d\b", body)  # no seconds anywhere


def test_wall_mode_has_no_navigation_and_polls_in_wall_mode(wfm, world, client_for):
    lead = client_for(world.user("lead"))
    body = lead.get(reverse("workforce:floor") + f"?wall=1&team={world.team_a1.pk}").content.decode()
    assert "zr-floor-wall" in body and "zr-navbar" not in body and "wall=1" in body
    assert f"Floor view · {world.team_a1.name}" in body
    every_team = lead.get(reverse("workforce:floor") + "?wall=1").content.decode()
    assert re.search(r'<h2 class="page-title">\s*Floor view\s*</h2>', every_team)  # no dangling " · "
    normal = lead.get(reverse("workforce:floor")).content.decode()
    assert "zr-navbar" in normal and 'data-testid="wall-link"' in normal


def test_adherence_names_the_actual_state(wfm, world, client_for):
    from zhiren.workforce.models import StateEvent

    today = timezone.localdate()
    _publish_simple(world, today, {world.agent: (8 * 60, 9 * 60 + 30)})
    from datetime import datetime

    from zhiren.workforce.dates import tz

    StateEvent.objects.create(agent=world.agent, state="meeting",
                              at=datetime.combine(today, datetime.min.time(), tz()) + timedelta(hours=8))
    lead = client_for(world.user("lead"))
    lead.cookies["django_language"] = "zh-hans"
    body = lead.get(reverse("workforce:adherence", args=[world.team_a1.pk])).content.decode()
    assert "实际 会议" in body or "实际会议" in body
    assert ", meeting" not in body


def test_agents_off_shift_are_named_not_carded(wfm, world, client_for, _clock):
    from tests.factories import AgentFactory

    # mid-morning of the suite's day: inside the agent's shift (the suite may start at 23:59)
    _clock.move_to(timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0))
    today = timezone.localdate()
    _publish_simple(world, today, {world.agent: (0, 23 * 60 + 45)})
    resting = AgentFactory(team=world.team_a1, name="王小休")
    now = timezone.now()
    # logged in without a shift: on the floor, so a card
    CurrentState.objects.create(agent=world.peer, state="available", since=now, received_at=now)
    team = floor.floor([world.team_a1])["teams"][0]
    assert [r["agent"] for r in team["lines"]] == [world.agent, world.peer]
    assert team["off"] == [resting.name]
    CurrentState.objects.filter(agent=world.peer).update(state="offline")
    team = floor.floor([world.team_a1])["teams"][0]
    assert team["off"] == [world.peer.name, resting.name]  # by employee number
    body = client_for(world.user("lead")).get(reverse("workforce:floor_panel")).content.decode()
    assert "Off shift (2): 李四, 王小休" in body
