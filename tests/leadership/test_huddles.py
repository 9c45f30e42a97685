"""The 晨会 agenda generated from planted data: each source appears; corrections, names of the
criticised and moods of fewer than five never do; the lead's unresolved points carry over."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhiren.core.registries import HUDDLE_NUMBERS, HuddleItem, huddle_sources, shift_start_feeds
from zhiren.leadership import services
from zhiren.leadership.models import AgendaItem
from zhiren.leadership.selectors import huddle_page, tv_page

from ..factories import AgentFactory
from .helpers import correction, praise, shift_start

pytestmark = pytest.mark.django_db


def published(world, agent, day, minute, end=None):
    from zhiren.workforce.models import PublishedShift, ScheduleVersion

    version = ScheduleVersion.objects.get_or_create(
        site=agent.team.site, number=1, defaults={"start": day, "end": day}
    )[0]
    return PublishedShift.objects.create(
        version=version,
        agent=agent,
        day=day,
        template="D",
        start_minute=minute,
        end_minute=end or minute + 540,
    )


def texts(huddle, **filters):
    return [i.display for i in AgendaItem.objects.filter(huddle=huddle, **filters)]


def test_each_registered_source_is_asked_and_a_failing_one_is_skipped(world):
    def good(team_id, start):
        return [
            HuddleItem(
                kind="x", section=HUDDLE_NUMBERS, text="Hello %(who)s", params={"who": str(team_id)}
            )
        ]

    def broken(team_id, start):
        raise RuntimeError("down")

    with huddle_sources.replaced([("broken", broken), ("good", good)]):
        huddle = services.plan_huddle(world.team_a1, shift_start())
    assert texts(huddle) == [f"Hello {world.team_a1.pk}"]


def test_an_agenda_is_generated_once_per_team_and_shift(world):
    start = shift_start()
    with huddle_sources.replaced([]):
        first = services.plan_huddle(world.team_a1, start)
        assert services.plan_huddle(world.team_a1, start) == first


def test_performance_numbers_against_target_and_the_one_number(world):
    from zhiren.performance.models import DailyStat, KpiTarget

    start = shift_start()
    yesterday = timezone.localdate(start) - timedelta(days=1)
    KpiTarget.objects.create(kpi="aht", team=world.team_a1, value=300)
    # SL 70% (target 80), AHT 330 s (target 300), CSAT 90% (target default), FCR not measured
    DailyStat.objects.create(
        day=yesterday,
        agent=world.agent,
        team=world.team_a1,
        channel="voice",
        offered=100,
        answered=100,
        answered_in_sl=70,
        handle_sum=33000,
        csat_count=10,
        csat_top2=9,
    )
    DailyStat.objects.create(
        day=yesterday - timedelta(days=1),
        agent=world.agent,
        team=world.team_a1,
        channel="voice",
        offered=5,
        answered=5,
        handle_sum=100,
    )
    with huddle_sources.replaced([("performance", huddle_sources_entry("performance"))]):
        huddle = services.plan_huddle(world.team_a1, start)
    items = list(huddle.items.all())
    by_key = {i.key: i for i in items}
    assert (
        by_key["performance:service_level"].display
        == "Service level yesterday: 70.0% (target 80.0%)"
    )
    assert (
        by_key["performance:aht"].display == "Average handle time yesterday: 330 s (target 300 s)"
    )
    assert "performance:fcr" not in by_key
    assert [i.key for i in items if i.focus] == [
        "performance:service_level"
    ]  # 12.5 % short beats 10 %


def huddle_sources_entry(name):
    return next(e.value for e in huddle_sources.entries() if e.name == name)


def test_birthdays_and_anniversaries_are_read_out(world):
    start = shift_start()
    day = timezone.localdate(start)
    world.agent.birthday = (
        date(1998, day.month, min(day.day, 28)) if day.day <= 28 else date(1998, day.month, 28)
    )
    world.agent.save()
    world.peer.hire_date = date(day.year - 3, day.month, min(day.day, 28))
    world.peer.save()
    with huddle_sources.replaced([("people", huddle_sources_entry("people"))]):
        huddle = services.plan_huddle(world.team_a1, start)
    shown = texts(huddle)
    if day.day <= 28:
        assert "Happy birthday, 张三!" in shown
        assert "李四 joined us 3 years ago today." in shown
    assert all("王五" not in t for t in shown)


def test_leap_day_birthdays_are_kept_on_the_28th():
    from zhiren.people.workspace import _same_day

    assert _same_day(date(2000, 2, 29), date(2027, 2, 28))
    assert not _same_day(date(2000, 2, 29), date(2028, 2, 28))
    assert _same_day(date(2000, 2, 29), date(2028, 2, 29))


def _moods(team, count, day):
    from zhiren.wellbeing.models import MoodEntry

    for n in range(count):
        agent = AgentFactory(team=team, employee_no=f"M{team.pk}{n}")
        MoodEntry.objects.create(agent=agent, day=day, source="self", score=4, note="家里有事")


def test_team_mood_only_as_an_aggregate_of_five_or_more(world):
    start = shift_start()
    yesterday = timezone.localdate(start) - timedelta(days=1)
    _moods(world.team_a1, 5, yesterday)
    _moods(world.team_a2, 4, yesterday)
    with huddle_sources.replaced([("wellbeing", huddle_sources_entry("wellbeing"))]):
        big = services.plan_huddle(world.team_a1, start)
        small = services.plan_huddle(world.team_a2, start)
    assert texts(big) == ["Team mood yesterday: 4.0 of 5, from 5 people"]
    assert texts(small) == []
    assert all("家里有事" not in t for t in texts(big))


def test_critical_fails_are_counted_without_names(world):
    from zhiren.quality.models import Evaluation

    from ..quality.helpers import evaluation

    start = shift_start()
    yesterday = timezone.localdate(start) - timedelta(days=1)
    failed = evaluation(world)
    Evaluation.objects.filter(pk=failed.pk).update(
        day=yesterday, critical_failed="total", score=Decimal("0")
    )
    unreleased = evaluation(world, world.peer, released=False)
    Evaluation.objects.filter(pk=unreleased.pk).update(day=yesterday, critical_failed="total")
    with huddle_sources.replaced([("quality", huddle_sources_entry("quality"))]):
        huddle = services.plan_huddle(world.team_a1, start)
    shown = texts(huddle)
    assert shown == ["QA critical fails yesterday: 1. Let us go over the standard together."]
    assert all(world.agent.name not in t for t in shown)


def _rule(site, title, announced_on, grace_days=7, teams=()):
    from zhiren.discipline.models import Rule

    rule = Rule.objects.create(
        site=site,
        title=title,
        text="…",
        ladder=["warning"],
        announced_on=announced_on,
        grace_days=grace_days,
    )
    rule.teams.set(teams)
    return rule


def test_one_rule_at_a_time_in_its_grace_period(world):
    start = shift_start()
    day = timezone.localdate(start)
    _rule(world.site_a, "工牌佩戴", day - timedelta(days=2))
    _rule(world.site_a, "离席报备", day - timedelta(days=1))
    _rule(world.site_a, "老规则", day - timedelta(days=30))
    _rule(world.site_b, "别的站点", day - timedelta(days=1))
    with huddle_sources.replaced([("discipline", huddle_sources_entry("discipline"))]):
        huddle = services.plan_huddle(world.team_a1, start)
    enforced = (day + timedelta(days=5)).isoformat()
    assert texts(huddle) == [f"Rule in its grace period: 工牌佩戴, enforced from {enforced}"]


def test_a_rule_announced_to_start_soon_is_read_out_when_none_is_in_grace(world):
    start = shift_start()
    day = timezone.localdate(start)
    _rule(world.site_a, "工牌佩戴", day + timedelta(days=3), teams=[world.team_a1])
    with huddle_sources.replaced([("discipline", huddle_sources_entry("discipline"))]):
        huddle = services.plan_huddle(world.team_a1, start)
        other = services.plan_huddle(world.team_a2, start)
    assert texts(huddle) == [
        f"New rule announced: 工牌佩戴, grace period from {(day + timedelta(days=3)).isoformat()}"
    ]
    assert texts(other) == []


def test_staffing_public_and_leave_names_for_the_lead_only(world):
    from zhiren.workforce.models import LeaveRequest

    start = shift_start()
    day = timezone.localdate(start)
    for agent in (world.agent, world.peer):
        published(world, agent, day, 480)
    LeaveRequest.objects.create(
        agent=world.peer, start=day, end=day, status="approved", kind="sick"
    )
    with huddle_sources.replaced([("workforce", huddle_sources_entry("workforce"))]):
        huddle = services.plan_huddle(world.team_a1, start)
    assert texts(huddle, private=False) == ["Scheduled today: 2 people"]
    assert texts(huddle, private=True) == ["On leave today: 李四"]
    tv = [i.display for s in tv_page(huddle)["sections"] for i in s.items]
    assert tv == ["Scheduled today: 2 people"]


def test_shared_praise_is_read_out_and_corrections_never(world):
    """BIA shared on the wall reaches the agenda; a BID correction and a violation never do."""

    start = shift_start()
    day = timezone.localdate(start)
    lead = world.user("lead")
    praise(world.agent, lead, day - timedelta(days=1), "耐心安抚投诉客户", "客户撤诉", shared=True)
    praise(world.peer, lead, day, "没分享", "-")
    correction(world.peer, lead, day, "说话太冲", "客户投诉")
    huddle = services.plan_huddle(world.team_a1, start)  # every registered source
    shown = " ".join(texts(huddle))
    assert "Praise for 张三: 耐心安抚投诉客户" in shown
    assert "说话太冲" not in shown and "没分享" not in shown and "李四" not in shown


def test_unresolved_points_of_the_lead_carry_over(world):
    start = shift_start()
    with huddle_sources.replaced([]):
        first = services.plan_huddle(world.team_a1, start)
        kept = services.add_point(
            first, actor=world.user("lead"), text="跟进工单系统卡顿", follow_up=True
        )
        done = services.add_point(first, actor=world.user("lead"), text="提醒填写周报")
        services.update_point(done, "resolve", actor=world.user("lead"))
        nxt = services.plan_huddle(world.team_a1, start + timedelta(days=1))
        other_team = services.plan_huddle(world.team_a2, start + timedelta(days=1))
    carried = list(nxt.items.all())
    assert [(i.display, i.carried_from_id, i.section) for i in carried] == [
        ("跟进工单系统卡顿", kept.pk, "follow_ups")
    ]
    assert list(other_team.items.all()) == []


def test_huddles_planned_from_the_published_schedule(world):
    start = shift_start(2)
    later = start + timedelta(minutes=30)
    with (
        shift_start_feeds.replaced(
            [
                (
                    "s",
                    lambda team_id, day: (
                        [start, later]
                        if team_id == world.team_a1.pk and day == timezone.localdate(start)
                        else []
                    ),
                )
            ]
        ),
        huddle_sources.replaced([]),
    ):
        assert services.next_shift_start(world.team_a1.pk, timezone.now()) == start
        assert services.plan_due_huddles() == 1
        assert services.plan_due_huddles() == 0
    assert services.next_shift_start(world.team_a1.pk, timezone.now()) is None  # no feed: by hand


def test_workforce_feed_gives_distinct_shift_starts(world):
    from zhiren.workforce.workspace import team_shift_starts

    day = timezone.localdate()
    for agent, minute in ((world.agent, 480), (world.peer, 480), (world.a2_agent, 540)):
        published(world, agent, day, minute)
    starts = team_shift_starts(world.team_a1.pk, day)
    assert [timezone.localtime(s).strftime("%H:%M") for s in starts] == ["08:00"]


def test_lead_page_and_tv_view(world):
    def source(team_id, start):
        return [
            HuddleItem(kind="a", section="today", text="Open to all"),
            HuddleItem(kind="b", section="today", text="For the lead", private=True),
        ]

    with huddle_sources.replaced([("s", source)]):
        huddle = services.plan_huddle(world.team_a1, shift_start())
    lead = [i.display for s in huddle_page(huddle, timezone.now())["sections"] for i in s.items]
    tv = [i.display for s in tv_page(huddle)["sections"] for i in s.items]
    assert lead == ["Open to all", "For the lead"] and tv == ["Open to all"]
