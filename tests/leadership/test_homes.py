"""Home pages as cockpits: the lead's (one number, team now, moods only from five people up),
the site manager's (their leads' boards' health, requests waiting), the agent's (shifts, today's
number, praise received, what their lead asked of them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import IMPORTANT_PERSON, BoardCard, board_feeds, huddle_sources
from zhiren.leadership.services import plan_huddle

from ..factories import AgentFactory
from .helpers import correction, instructions_request, praise, shift_start

pytestmark = pytest.mark.django_db


def _focus_huddle(team):
    from zhiren.core.registries import HUDDLE_NUMBERS, HuddleItem

    point = HuddleItem(
        kind="kpi",
        section=HUDDLE_NUMBERS,
        text="Service level yesterday: %(value)s%% (target %(target)s%%)",
        params={"value": "70.0", "target": "80.0"},
        focus=True,
    )
    with huddle_sources.replaced([("x", lambda team_id, start: [point])]):
        return plan_huddle(team, shift_start())


def _moods(team, people):
    from zhiren.wellbeing.models import MoodEntry

    for n in range(people):
        agent = AgentFactory(team=team, employee_no=f"H{team.pk}{n}")
        MoodEntry.objects.create(agent=agent, day=timezone.localdate(), source="self", score=4)


def test_lead_home_is_a_cockpit_within_the_query_budget(world, client_for):
    _focus_huddle(world.team_a1)
    _moods(world.team_a1, 5)
    _moods(world.team_a2, 4)  # not the lead's team, and too few anyway
    client = client_for(world.user("lead"))
    card = BoardCard(
        key="x:1",
        kind="x",
        text="Talk",
        due=timezone.localdate() - timedelta(days=1),
        important=IMPORTANT_PERSON,
        team_id=world.team_a1.pk,
    )
    with board_feeds.replaced([("x", lambda team_ids, today: [card])]):
        client.get(reverse("core:home"))  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("core:home")).content.decode()
    assert len(ctx.captured_queries) <= 45
    assert (
        'data-testid="one-number"' in page
        and "Service level yesterday: 70.0% (target 80.0%)" in page
    )
    assert f"{world.team_a1.name} 4.0/5 (5 people)" in page
    assert world.team_a2.name + " 4.0" not in page
    assert 'data-testid="team-now"' in page


def test_lead_home_hides_moods_of_four(world, client_for):
    _moods(world.team_a1, 4)
    with board_feeds.replaced([]):
        page = client_for(world.user("lead")).get(reverse("core:home")).content.decode()
    assert "fewer than five answers yet" in page


def test_manager_home_shows_board_health_and_requests_waiting(world, client_for):
    from zhiren.leadership.services import decide

    today = timezone.localdate()
    cards = [
        BoardCard(
            key="a:1",
            kind="x",
            text="x",
            due=today - timedelta(days=2),
            important=IMPORTANT_PERSON,
            team_id=world.team_a1.pk,
        ),
        BoardCard(
            key="a:2",
            kind="x",
            text="x",
            due=today + timedelta(days=20),
            important=IMPORTANT_PERSON,
            team_id=world.team_a1.pk,
        ),
        BoardCard(
            key="a:3", kind="x", text="x", due=today - timedelta(days=1), team_id=world.team_a1.pk
        ),
        BoardCard(
            key="b:1", kind="x", text="x", due=today - timedelta(days=1), team_id=world.team_b1.pk
        ),
    ]
    decide(world.user("lead"), "a:3", "done")  # decided by the lead: off the manager's count
    request = instructions_request(world)
    with board_feeds.replaced(
        [("x", lambda team_ids, day: [c for c in cards if c.team_id in team_ids])]
    ):
        page = client_for(world.user("manager")).get(reverse("core:home")).content.decode()
    assert 'data-testid="board-health"' in page and request.subject in page
    row = page[page.index(f"<td>{world.team_a1.name}</td>") :]
    row = row[: row.index("</tr>")]
    assert '<td class="text-red">1</td>' in row and "1 · 1 · 0 · 0" in row and "50%" in row
    assert (
        world.team_b1.name
        not in page[
            page.index('data-testid="board-health"') : page.index('data-testid="waiting-for-me"')
        ]
    )


def test_agent_home_shows_the_day_and_never_a_correction(world, client_for):
    from zhiren.coaching.models import Delegation
    from zhiren.workforce.models import PublishedShift, ScheduleVersion

    today = timezone.localdate()
    lead = world.user("lead")
    _focus_huddle(world.team_a1)
    praise(world.agent, lead, today, "耐心安抚客户", "客户满意")
    correction(world.agent, lead, today, "未核实身份", "风险")
    Delegation.objects.create(
        agent=world.agent,
        lead=lead,
        title="整理常见问题",
        assigned_on=today,
        state="coaching",
        what="w",
        why="y",
        good="g",
        check_on=today + timedelta(days=3),
    )
    version = ScheduleVersion.objects.create(
        site=world.team_a1.site,
        start=today,
        end=today + timedelta(days=6),
        number=1,
    )
    PublishedShift.objects.create(
        version=version,
        agent=world.agent,
        day=today,
        template="D",
        start_minute=540,
        end_minute=1080,
    )
    page = client_for(world.user("agent")).get(reverse("core:home")).content.decode()
    assert 'data-testid="agent-day"' in page and "09:00–18:00" in page
    assert "耐心安抚客户" in page and "未核实身份" not in page
    assert "整理常见问题" in page and "Service level yesterday: 70.0%" in page
