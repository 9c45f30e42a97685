"""The huddle sources of training, workforce (the week ahead), engagement and performance: each
registered entry, on planted data, gives its point — and only on the right day, team and terms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiren.core.registries import huddle_sources
from zhiren.leadership import services
from zhiren.leadership.models import AgendaItem

from .helpers import shift_start

pytestmark = pytest.mark.django_db


def entry(name):
    return next(e.value for e in huddle_sources.entries() if e.name == name)


def points(team, name, start=None):
    """The agenda of a fresh huddle with only the named source: ``(kind, text, private)``."""
    with huddle_sources.replaced([(name, entry(name))]):
        huddle = services.plan_huddle(team, start or shift_start())
    return [(i.kind, i.display, i.private) for i in AgendaItem.objects.filter(huddle=huddle)]


def test_nesting_agents_first_live_day(world):
    from zhiren.training.models import Enrolment

    from ..training.helpers import cohort, programme

    start = shift_start()
    day = timezone.localdate(start)
    prog = programme(world.site_a)
    classroom_first = [
        {"key": "class", "weeks": 1, "queues": []},
        {"key": "simple", "weeks": 2, "queues": ["faq"]},
    ]
    live_today = cohort(prog, starts_on=day - timedelta(weeks=1), exposure=classroom_first)
    live_last_week = cohort(prog, starts_on=day - timedelta(weeks=2), exposure=classroom_first)
    for agent, group, status in (
        (world.agent, live_today, "nesting"),
        (world.peer, live_last_week, "nesting"),
        (world.a2_agent, live_today, "nesting"),  # another team
    ):
        Enrolment.objects.create(
            programme=prog, agent=agent, cohort=group, status=status,
            enrolled_on=day - timedelta(weeks=4),
        )
    assert points(world.team_a1, "training") == [
        ("first_live_day",
         "First day on live contacts: 张三. Welcome them; the buddies stay close.", False)
    ]
    Enrolment.objects.filter(agent=world.agent).update(status="withdrawn")
    assert points(world.team_a1, "training", start + timedelta(minutes=1)) == []


def test_holidays_make_up_days_and_promotions_ahead(world):
    from zhiren.workforce.models import ForecastEvent, HolidayDay

    start = shift_start()
    day = timezone.localdate(start)
    # the clock differs between CI runs: a weekday for the holiday, a weekend day to work
    weekend = next(n for n in range(1, 8) if (day + timedelta(days=n)).weekday() >= 5)
    weekday = next(n for n in range(1, 8) if (day + timedelta(days=n)).weekday() < 5)
    HolidayDay.objects.create(date=day + timedelta(days=weekday), kind="holiday", name="厂庆")
    HolidayDay.objects.create(date=day + timedelta(days=weekend), kind="workday", name="厂庆调休")
    HolidayDay.objects.create(date=day + timedelta(days=20), kind="holiday", name="太远")
    ForecastEvent.objects.create(
        site=world.site_a, name="双十二大促", start=day + timedelta(days=4), end=day + timedelta(days=5)
    )
    ForecastEvent.objects.create(
        site=world.site_b, name="别的站点", start=day + timedelta(days=1), end=day + timedelta(days=1)
    )
    found = points(world.team_a1, "workforce ahead")
    texts = [text for _, text, _ in found]
    d = lambda n: f"{day + timedelta(days=n):%m-%d}"  # noqa: E731
    assert f"Holiday ahead: 厂庆, {d(weekday)} (days off)" in texts
    assert f"Make-up workday (调休) ahead: {d(weekend)} 厂庆调休" in texts
    assert f"Promotion ahead: 双十二大促, {d(4)}–{d(5)}. Expect more contacts." in texts
    assert not any("太远" in t or "别的站点" in t for t in texts)
    assert all(not private for _, _, private in found)


def test_competition_results_read_out(world):
    from zhiren.engagement.models import Competition

    start = shift_start()
    day = timezone.localdate(start)

    def competition(title, published, winners):
        Competition.objects.create(
            site=world.site_a, title=title, metric="fcr", start=day - timedelta(days=30),
            end=day - timedelta(days=2), published_on=published, winners=winners,
        )

    competition("十一月解决率赛", day - timedelta(days=1), [world.team_a1.pk])
    competition("十月接听赛", day - timedelta(days=1), [world.team_a2.pk])
    competition("旧闻", day - timedelta(days=5), [world.team_a1.pk])
    competition("未公布", None, [])
    texts = [text for _, text, _ in points(world.team_a1, "engagement")]
    assert texts == [
        "We won 十一月解决率赛: first in First-contact resolution. Well done, everyone!",
        "Results of 十月接听赛 (First-contact resolution) are out: see the ranking.",
    ]
    assert world.team_a2.name not in " ".join(texts)


def test_a_risk_score_rising_is_private_and_names_no_one(world, monkeypatch):
    """Only a model already fitted is used; the point counts who rose a level (low → raised,
    raised → high) in four weeks, for the lead only, and names nobody."""
    from zhiren.engagement.models import RiskModel
    from zhiren.engagement.risk import services as risk
    from zhiren.engagement.risk.services import AgentRisk

    start = shift_start()
    day = timezone.localdate(start)
    levels = {  # agent: (four weeks ago, now)
        world.agent: ("low", "high"),
        world.peer: ("high", "raised"),
    }

    def scored(team, when, stored):
        index = 1 if when == day else 0
        return [AgentRisk(a, 0.5, lv[index], [], "") for a, lv in levels.items()]

    monkeypatch.setattr(risk, "score_team", scored)
    assert points(world.team_a1, "engagement risk") == []  # no model fitted yet: nothing
    RiskModel.objects.create(
        source="synthetic", trained_on=day - timedelta(days=3), params={}, report={}
    )
    (found,) = points(world.team_a1, "engagement risk", start + timedelta(minutes=1))
    kind, text, private = found
    assert kind == "risk_rising" and private
    assert text.startswith("Leaving risk rose for 1 people in four weeks")
    assert "张三" not in text and "李四" not in text


def test_a_team_goal_at_risk(world):
    from zhiren.performance.models import Goal, GoalLevel

    from ..performance.test_views import load_days

    load_days(world, 3)  # A1's AHT about 235 s
    start = shift_start()
    day = timezone.localdate(start)

    def goal(title, level=GoalLevel.TEAM, begin=10, **subject):
        return Goal.objects.create(
            title=title, level=level, kpi="aht", target=100, start=day - timedelta(days=begin),
            end=day + timedelta(days=20), owner=world.user("manager"), rationale="r", **subject,
        )

    goal("十二月 AHT", team=world.team_a1)
    goal("刚开始", team=world.team_a1, begin=0)  # too early in its period to be at risk
    goal("张三的目标", level=GoalLevel.AGENT, agent=world.agent)  # one-to-one, never read out
    goal("售前", team=world.team_a2)
    found = points(world.team_a1, "performance goals")
    assert [(kind, private) for kind, _, private in found] == [("goal_at_risk", False)]
    assert found[0][1].startswith("Team goal at risk: 十二月 AHT, ")
    assert "against 100" in found[0][1]


def test_staffing_against_the_forecast(world):
    """The team's scheduled work hours against its share of the site's requirement: A1 holds the
    two of the site's three voice agents, so two thirds of the forecast's need."""
    from zhiren.workforce.models import ForecastVersion, PublishedShift, Queue, ScheduleVersion
    from zhiren.workforce.planning.staffing import requirement

    start = shift_start()
    day = timezone.localdate(start)
    for agent in (world.agent, world.peer, world.a2_agent):
        agent.channel_skills = ["voice"]
        agent.save()
    assert points(world.team_a1, "workforce forecast") == []  # no queue: nothing
    queue = Queue.objects.create(site=world.site_a, code="after", name="售后热线", channel="voice")
    volume = [0.0] * 36 + [20.0] * 32 + [0.0] * 28  # 09:00–17:00
    ForecastVersion.objects.create(
        queue=queue, number=1, start=day, end=day,
        data={day.isoformat(): {"volume": volume, "aht": [300.0] * 96}},
    )
    version = ScheduleVersion.objects.create(site=world.site_a, number=1, start=day, end=day)
    for agent in (world.agent, world.peer):
        PublishedShift.objects.create(
            version=version, agent=agent, day=day, template="D", start_minute=540,
            end_minute=1020, activities=[["work", 540, 720], ["lunch", 720, 750], ["work", 750, 1020]],
        )
    site_need = requirement([queue], [day], for_roster=True)["after"].ravel()
    required = sum(-(-int(v) * 2 // 3) for v in site_need) / 4  # A1's share, rounded up per slot
    assert required > 0
    (found,) = points(world.team_a1, "workforce forecast", start + timedelta(minutes=1))
    kind, text, private = found
    assert kind == "staffing_forecast" and not private
    assert text.startswith(
        f"Staffing against the forecast: 15.0 agent-hours scheduled, {required:.1f} needed."
    )
    assert ("hours short" in text) == (required > 15.0)


def test_the_site_side_of_the_forecast_is_computed_once_per_batch():
    """The periodic job plans every team's huddle in one batch: the site's requirement is worked
    out once; outside a batch (a lead planning one by hand) it is worked out each time."""
    from zhiren.core.batch import batch, remembered

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert [remembered("k", compute), remembered("k", compute)] == [1, 2]
    with batch():
        assert [remembered("k", compute), remembered("k", compute)] == [3, 3]
        with batch():  # nested: the outer batch's memo
            assert remembered("k", compute) == 3
        assert remembered("other", compute) == 4
    assert remembered("k", compute) == 5
