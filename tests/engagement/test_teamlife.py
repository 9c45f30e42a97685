"""Team life: events and sign-up, monthly swaps the roster respects, fair competitions that
feed the recognition wall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory
from zhiren.engagement.models import RoleSwap, SwapKind
from zhiren.engagement.services import EngagementError
from zhiren.engagement.teamlife import rules, selectors, services
from zhiren.performance.models import DailyStat
from zhiren.workforce.drafts.roster import leave_days

from .helpers import crowd


def test_whose_turn_and_the_swap_day():
    assert rules.whose_turn([(1, 2, "a"), (2, 0, "c"), (3, 0, "b")]) == 3
    assert rules.whose_turn([]) is None
    assert rules.swap_day(dt.date(2026, 2, 9)) == dt.date(2026, 2, 15)
    assert rules.swap_day(dt.date(2026, 2, 1), 31) == dt.date(2026, 2, 28)


def test_fair_standings_per_capita_and_minimum_volume():
    # volume per person: a big team does not win by size; under 100 in all: listed, not ranked
    volume = rules.standings(
        [
            rules.Entry(1, 900, 900, 10),  # 90 each
            rules.Entry(2, 500, 500, 5),  # 100 each
            rules.Entry(3, 80, 80, 1),  # 80, below the minimum of 100
        ],
        rules.VOLUME,
        100,
    )
    assert [(s.team_id, s.rank) for s in volume] == [(2, 1), (1, 2), (3, None)]
    # rates: three lucky contacts (100 %) do not beat 95 % of 200; ties share a rank
    rate = rules.standings(
        [rules.Entry(1, 3, 3, 2), rules.Entry(2, 190, 200, 9), rules.Entry(3, 95, 100, 5)],
        rules.RATE,
        30,
    )
    assert [(s.team_id, s.rank, s.eligible) for s in rate] == [
        (2, 1, True),
        (3, 1, True),
        (1, None, False),
    ]


@pytest.mark.django_db
def test_events_sign_up_full_and_cancel(world):
    soon = timezone.now() + dt.timedelta(days=2)
    event = services.create_event(
        world.site_a,
        world.team_a1,
        user=world.user("lead"),
        kind="gathering",
        title="AA 火锅",
        starts_at=soon,
        capacity=1,
    )
    with pytest.raises(EngagementError):
        services.create_event(
            world.site_a,
            None,
            user=world.user("agent"),
            kind="family",
            title="家庭日",
            starts_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert services.toggle_signup(event, user=world.user("agent")) is True
    with pytest.raises(EngagementError, match="full"):
        services.toggle_signup(event, user=world.user("lead"))
    assert services.toggle_signup(event, user=world.user("agent")) is False
    # a team's own event is not shown to another site's people
    assert event in selectors.visible_events(world.user("agent"))
    assert event not in selectors.visible_events(world.user("manager")).filter(team=world.team_b1)


@pytest.mark.django_db
def test_monthly_swaps_rotate_and_the_roster_keeps_the_day_off(world):
    crowd(world.team_a2, 1)  # a second agent with a login at site A
    month = timezone.localdate().replace(day=1)
    manager = world.user("manager")
    first = services.plan_month(world.site_a, month, user=manager)
    assert {s.kind for s in first} == {SwapKind.MANAGER_FOR_A_DAY, SwapKind.AGENT_FOR_A_DAY}
    with pytest.raises(EngagementError):
        services.plan_month(world.site_a, month, user=manager)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    second = services.plan_month(world.site_a, following, user=manager)
    picked = [s.agent_id for s in first + second if s.kind == SwapKind.MANAGER_FOR_A_DAY]
    assert len(set(picked)) == 2  # the next month, someone else's turn
    swap = RoleSwap.objects.get(site=world.site_a, month=month, kind=SwapKind.MANAGER_FOR_A_DAY)
    away = leave_days([swap.agent_id], month, month + dt.timedelta(days=27))
    assert away[swap.agent_id] == {swap.day}


@pytest.mark.django_db
def test_a_fair_competition_feeds_the_recognition_wall(world, client):
    end = timezone.localdate() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=6)
    for _ in range(3):
        AgentFactory(team=world.team_a2)  # A2 is bigger: 4 agents against A1's 2
    for team, answered in ((world.team_a1, 300), (world.team_a2, 400)):
        DailyStat.objects.create(
            day=start, team=team, queue="q", channel="voice", answered=answered
        )
    item = services.create_competition(
        world.site_a,
        user=world.user("manager"),
        title="接通量周赛",
        metric="answered",
        start=start,
        end=end,
        min_volume=100,
    )
    ranked = [(team.code, s.rank) for team, s in selectors.standings(item)]
    assert ranked[:2] == [("a1", 1), ("a2", 2)]  # 150 each against 100 each
    assert services.publish(item, user=world.user("manager")) == [world.team_a1.pk]
    client.force_login(world.user("agent"))
    wall = client.get(reverse("coaching:team_wall", args=[world.team_a1.pk]))
    assert "接通量周赛" in wall.content.decode()
    loser = client.get(reverse("coaching:team_wall", args=[world.team_a2.pk]))
    assert loser.status_code == 404 or "接通量周赛" not in loser.content.decode()
