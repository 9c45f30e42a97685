"""The pages: a lead runs a huddle (timer, attendance, a follow-up, notes); the TV view; the board
page and its forms; the lead's home shows the next huddle and the board's top cards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import (
    HUDDLE_TODAY,
    IMPORTANT_PERSON,
    BoardCard,
    HuddleItem,
    board_feeds,
    huddle_sources,
)
from zhiren.leadership.models import AgendaItem, Attendance, CardState, HuddleStatus, Task
from zhiren.leadership.services import plan_huddle

from .helpers import shift_start

pytestmark = pytest.mark.django_db


def _source(team_id, start):
    return [
        HuddleItem(
            kind="staffing",
            section=HUDDLE_TODAY,
            text="Scheduled today: %(count)s people",
            params={"count": "9"},
        ),
        HuddleItem(
            kind="absence",
            section=HUDDLE_TODAY,
            text="On leave today: %(names)s",
            params={"names": "李四"},
            private=True,
        ),
    ]


def test_lead_runs_a_huddle(world, client_for):
    with huddle_sources.replaced([("s", _source)]):
        huddle = plan_huddle(world.team_a1, shift_start())
    client = client_for(world.user("lead"))
    page = client.get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert "Scheduled today: 9 people" in page and "On leave today: 李四" in page

    client.post(reverse("leadership:huddle_run", args=[huddle.pk]), {"action": "start"})
    huddle.refresh_from_db()
    assert huddle.status == HuddleStatus.RUNNING and huddle.started_at
    page = client.get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert 'data-testid="timer"' in page and "15 min left" in page

    client.post(
        reverse("leadership:huddle_run", args=[huddle.pk]),
        {"action": "attendance", "present": [str(world.agent.pk), str(world.far.pk)]},
    )
    assert {(a.agent_id, a.present) for a in Attendance.objects.filter(huddle=huddle)} == {
        (world.agent.pk, True),
        (world.peer.pk, False),
    }
    client.post(
        reverse("leadership:huddle_run", args=[huddle.pk]),
        {"action": "point", "text": "跟进系统卡顿", "follow_up": "1"},
    )
    point = AgendaItem.objects.get(huddle=huddle, own=True)
    assert point.section == "follow_ups"
    client.post(
        reverse("leadership:huddle_item", args=[point.pk]),
        {"action": "edit", "text": "跟进系统卡顿（IT）"},
    )
    point.refresh_from_db()
    assert point.display == "跟进系统卡顿（IT）"
    client.post(
        reverse("leadership:huddle_run", args=[huddle.pk]),
        {"action": "finish", "notes": "气氛不错"},
    )
    huddle.refresh_from_db()
    assert huddle.status == HuddleStatus.DONE and huddle.notes == "气氛不错"


def test_tv_view_hides_private_points(world, client_for):
    with huddle_sources.replaced([("s", _source)]):
        huddle = plan_huddle(world.team_a1, shift_start())
    page = (
        client_for(world.user("lead"))
        .get(reverse("leadership:huddle_tv", args=[huddle.pk]))
        .content.decode()
    )
    assert "Scheduled today: 9 people" in page and "李四" not in page


def test_planning_by_hand(world, client_for):
    client = client_for(world.user("lead"))
    response = client.post(
        reverse("leadership:huddle_plan", args=[world.team_a1.pk]),
        {"shift_start": timezone.localtime(shift_start(3)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert (
        "No huddle prepared yet." not in client.get(reverse("leadership:huddles")).content.decode()
    )
    with huddle_sources.replaced([]):
        response = client.post(reverse("leadership:huddle_plan", args=[world.team_a1.pk]), {})
    assert response.url == reverse("leadership:huddles")  # no schedule and no time given


def test_board_page_and_forms(world, client_for):
    lead = world.user("lead")
    client = client_for(lead)
    card = BoardCard(
        key="x:1",
        kind="mood_alert",
        text="Mood alert: talk with %(name)s",
        params={"name": "张三"},
        due=timezone.localdate(),
        important=IMPORTANT_PERSON,
    )
    with board_feeds.replaced([("x", lambda team_ids, today: [card])]):
        client.post(
            reverse("leadership:board_task"), {"title": "准备周报", "due": "", "important": "kpi"}
        )
        page = client.get(reverse("leadership:board")).content.decode()
        assert "Mood alert: talk with 张三" in page and "准备周报" in page
        # the board remembers where the card was first seen (for the weekly review)
        seen = CardState.objects.get(key="x:1")
        assert (seen.status, seen.first_quadrant) == ("open", 1)
        # delegating goes through the six guiding questions
        response = client.post(
            reverse("leadership:board_decide"),
            {"key": "x:1", "action": "delegate", "delegate_to": str(world.peer.pk), "quadrant": "1"},
        )
        assert response.url.startswith(reverse("leadership:board_delegate", args=["x:1"]))
        assert CardState.objects.get(key="x:1").status == "open"
        answers = {"title": "和张三谈心", "what": "谈心", "why": "情绪低", "good": "今天谈完",
                   "check_on": timezone.localdate().isoformat()}
        url = reverse("leadership:board_delegate", args=["x:1"])
        client.post(url, {"agent": str(world.far.pk), **answers})
        assert CardState.objects.get(key="x:1").status == "open"  # not one of the lead's agents
        page = client.get(url, {"agent": str(world.peer.pk)}).content.decode()
        assert 'data-testid="six-questions"' in page and "What does good look like?" in page
        client.post(url, {"agent": str(world.peer.pk), **answers})
        state = CardState.objects.get(key="x:1")
        assert state.delegated_to == world.peer and state.delegation.what == "谈心"
        assert state.delegation.agent == world.peer
        client.post(reverse("leadership:board_window"), {"window_days": "5"})
        page = client.get(reverse("leadership:board")).content.decode()
    assert "delegated to" in page and 'value="5"' in page
    assert Task.objects.get().important == "kpi"


def test_lead_home_shows_next_huddle_and_top_cards(world, client_for):
    card = BoardCard(
        key="x:1",
        kind="x",
        text="Mood alert: talk with %(name)s",
        params={"name": "张三"},
        due=timezone.localdate(),
        important=IMPORTANT_PERSON,
    )
    with huddle_sources.replaced([]):
        plan_huddle(world.team_a1, shift_start())
        plan_huddle(world.team_b1, shift_start() - timedelta(minutes=30))
    with board_feeds.replaced([("x", lambda team_ids, today: [card])]):
        page = client_for(world.user("lead")).get(reverse("core:home")).content.decode()
    assert 'data-testid="lead-workspace-card"' in page
    assert world.team_a1.name in page and world.team_b1.name not in page
    assert "Mood alert: talk with 张三" in page
