"""Workforce in the browser: a planner generates and publishes a roster; an agent asks for a
swap and the lead approves it; the floor view updates after a state event is posted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup(world):
    from tests.workforce.conftest import add_history
    from zhiren.workforce.models import Queue, ShiftTemplate
    from zhiren.workforce.planning import services

    services.ensure_site_setup(world.site_a)
    ShiftTemplate.objects.filter(site=world.site_a).delete()
    ShiftTemplate.objects.create(
        site=world.site_a, name="day", earliest_start=9 * 60, latest_start=13 * 60, length_minutes=8 * 60,
        start_step=60, breaks=[{"kind": "lunch", "length": 30, "earliest_after": 180, "latest_after": 300}],
    )
    Queue.objects.create(site=world.site_a, code="after", name="售后热线", history_name="售后热线", channel="voice")
    add_history(world.team_a1, "售后热线", date.today() - timedelta(days=1), per_slot=3.0)


def _publish(world, day, shifts):
    from zhiren.workforce.drafts import services
    from zhiren.workforce.models import DraftShift, RosterDraft

    draft = RosterDraft.objects.create(site=world.site_a, start=day, weeks=1, status="ready", result={})
    draft.teams.set([world.team_a1])
    for agent, start, end in shifts:
        DraftShift.objects.create(draft=draft, agent=agent, day=day, template="day", start_minute=start,
                                  end_minute=end, breaks=[], queues=["after"] * ((end - start) // 15))
    services.publish_draft(world.user("manager"), draft, draft.version)


def test_planner_generates_and_publishes_a_roster(page_for, live_server):
    world = build_world()
    _setup(world)
    page = page_for("manager")
    page.goto(f"{live_server.url}/workforce/sites/{world.site_a.pk}/rosters/")
    page.get_by_label("售后一组").check()
    page.fill("#id_time_limit_s", "3")
    page.get_by_test_id("generate").click()
    page.wait_for_url("**/workforce/rosters/*/", timeout=90000)
    page.get_by_test_id("draft-done").wait_for(timeout=90000)
    result = page.get_by_test_id("draft-result").inner_text()
    assert "%" in result
    assert "张三" in page.get_by_test_id("draft-grid").inner_text()
    page.get_by_test_id("publish").click()
    page.get_by_test_id("draft-status").wait_for()
    from zhiren.workforce.models import PublishedShift

    assert PublishedShift.objects.filter(agent=world.agent, active=True).exists()


def test_agent_asks_for_a_swap_and_the_lead_approves(page_for, live_server):
    world = build_world()
    _setup(world)
    day = date.today() + timedelta(days=3)
    _publish(world, day, [(world.agent, 9 * 60, 17 * 60)])
    agent = page_for("agent", viewport={"width": 390, "height": 844})
    agent.goto(f"{live_server.url}/workforce/swaps/")
    agent.fill("#id_day", day.isoformat())
    agent.select_option("#id_partner", str(world.peer.pk))
    agent.get_by_test_id("swap-send").click()
    agent.get_by_test_id("swap-checks").wait_for()
    swap_url = agent.url
    lead = page_for("lead")
    lead.goto(swap_url)
    lead.get_by_test_id("approve").click()
    lead.get_by_test_id("swap-status").wait_for()
    from zhiren.workforce.models import SwapRequest

    assert SwapRequest.objects.get().status == "approved"
    from zhiren.workforce import selectors

    assert selectors.published_shifts([world.peer.pk], day, day)


def test_floor_view_updates_after_a_state_event(page_for, live_server):
    world = build_world()
    _setup(world)
    _publish(world, date.today(), [(world.agent, 0, 23 * 60 + 45)])
    page = page_for("lead")
    page.goto(f"{live_server.url}/workforce/floor/")
    row = page.locator('[data-agent="A1001"] [data-testid=state]')
    assert row.inner_text().strip() in ("–", "")
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="lead"))
    response = client.post("/workforce/api/states/", [{"agent": "A1001", "state": "lunch"}], format="json")
    assert response.status_code == 200
    page.wait_for_function(
        "() => document.querySelector('[data-agent=\"A1001\"]').dataset.state === 'lunch'",
        timeout=8000,
    )
