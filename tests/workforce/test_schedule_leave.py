"""Approved leave on the team grid and the agent's week (issue #19, item 3): shown as leave,
with its kind, not as a rest day."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from zhiren.workforce.models import LeaveRequest

from .conftest import next_monday
from .test_workforce import _publish_simple


def test_team_grid_and_own_week_show_the_kind_of_leave(wfm, world, client_for):
    monday = next_monday()
    _publish_simple(world, monday, {world.peer: (9 * 60, 17 * 60)})
    LeaveRequest.objects.create(agent=world.agent, kind="sick", start=monday, end=monday + timedelta(days=1),
                                status="approved")
    LeaveRequest.objects.create(agent=world.peer, kind="annual", start=monday + timedelta(days=3),
                                end=monday + timedelta(days=3), status="pending")  # not yet leave
    lead = client_for(world.user("lead"))
    lead.cookies["django_language"] = "zh-hans"
    body = lead.get(reverse("workforce:team_grid", args=[world.team_a1.pk]) + f"?start={monday}").content.decode()
    assert body.count('data-testid="leave"') == 2 and "病假" in body and "年假" not in body
    agent = client_for(world.user("agent"))
    agent.cookies["django_language"] = "en"
    week = agent.get(reverse("workforce:my_week") + f"?start={monday}").content.decode()
    assert week.count('data-testid="leave"') == 2 and "Sick leave" in week
