"""The agenda and notes sent to the team's robot (WeCom, DingTalk, Feishu) if the lead chooses:
only what a shared screen may show reaches the message body; a failed send is shown to the lead
and kept to send again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import HuddleItem, huddle_sources
from zhiren.leadership import services
from zhiren.leadership.models import HuddleSend

from .helpers import correction, shift_start

pytestmark = pytest.mark.django_db


class Robot:
    """Stands in for the platform: records each posted body, answers with ``answer``."""

    def __init__(self, answer=b'{"errcode": 0}', fail: Exception | None = None):
        self.bodies: list[str] = []
        self.answer, self.fail = answer, fail

    def __call__(self, request, timeout=None):
        self.bodies.append(request.data.decode())
        if self.fail:
            raise self.fail
        robot = self

        class Response:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def read(self):
                return robot.answer

        return Response()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def robot(monkeypatch):
    fake = Robot()
    monkeypatch.setattr("zhiren.people.robots.urllib.request.urlopen", fake)
    return fake


def hook(user, kind="wecom", **kwargs):
    from zhiren.people.models import DigestWebhook

    return DigestWebhook.objects.create(
        owner=user, kind=kind, url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", **kwargs
    )


def planted_huddle(world):
    """Every registered source, plus a private point, a correction and a hidden point."""

    start = shift_start()
    lead = world.user("lead")
    correction(world.peer, lead, timezone.localdate(start), "说话太冲", "客户投诉")

    def extra(team_id, when):
        return [
            HuddleItem(kind="a", section="today", text="Open to all"),
            HuddleItem(kind="b", section="today", text="On leave today: 李四", private=True),
        ]

    entries = [(e.name, e.value) for e in huddle_sources.entries()] + [("x", extra)]
    with huddle_sources.replaced(entries):
        huddle = services.plan_huddle(world.team_a1, start)
    services.add_point(huddle, actor=lead, text="和张三私下谈迟到", private=True)
    services.add_point(huddle, actor=lead, text="新工单模板今天上线")
    hidden = services.add_point(huddle, actor=lead, text="藏起来的点")
    services.update_point(hidden, "hide", actor=lead)
    services.finish(huddle, actor=lead, notes="大家辛苦了\n下周二系统升级")
    return huddle


def test_only_what_a_shared_screen_shows_reaches_the_robot(world, client_for, robot, on_commit):
    huddle = planted_huddle(world)
    lead = world.user("lead")
    mine = hook(lead)
    theirs = hook(world.user("manager"))  # not the lead's: never posted to
    with on_commit(execute=True):
        answer = client_for(lead).post(
            reverse("leadership:huddle_send", args=[huddle.pk]),
            {"robots": [str(mine.pk), str(theirs.pk)], "with_notes": "1"},
        )
    assert answer.status_code == 302
    assert len(robot.bodies) == 1
    body = json.loads(robot.bodies[0])["markdown"]["content"]
    assert "Open to all" in body and "新工单模板今天上线" in body
    assert "大家辛苦了" in body and "下周二系统升级" in body
    for secret in ("李四", "和张三私下谈迟到", "说话太冲", "客户投诉", "藏起来的点"):
        assert secret not in body
    send = HuddleSend.objects.get()
    assert (send.hook, send.sent_at is not None, send.error) == (mine, True, "")


def test_the_notes_go_only_if_the_lead_chooses(world, robot, on_commit):
    huddle = planted_huddle(world)
    lead = world.user("lead")
    with on_commit(execute=True):
        services.send_to_robots(huddle, actor=lead, hook_ids=[hook(lead, kind="dingtalk").pk],
                                with_notes=False)
    body = json.loads(robot.bodies[0])["markdown"]["text"]
    assert "Open to all" in body and "大家辛苦了" not in body


def test_moods_reach_the_robot_only_as_an_average_of_five(world, robot, on_commit, settings):
    settings.LANGUAGE_CODE = "en"  # the robot speaks the site's language
    from ..factories import AgentFactory

    huddle = planted_huddle(world)
    lead = world.user("lead")
    agents = [world.agent, world.peer] + [
        AgentFactory(team=world.team_a1, name=f"组员{n}", employee_no=f"A19{n}") for n in range(3)
    ]
    mine = hook(lead, kind="feishu")
    services.record_moods(huddle, {a.pk: 3 for a in agents[:4]}, actor=lead)
    with on_commit(execute=True):
        services.send_to_robots(huddle, actor=lead, hook_ids=[mine.pk], with_notes=True)
    services.record_moods(huddle, {agents[4].pk: 5}, actor=lead)
    with on_commit(execute=True):
        services.send_to_robots(huddle, actor=lead, hook_ids=[mine.pk], with_notes=True)
    first, second = robot.bodies
    assert "of 5" not in first and "Moods observed" not in first
    assert "3.4 of 5, 5 people" in second
    assert "张三" not in second


def test_a_failed_send_is_shown_to_the_lead_and_nothing_is_lost(
    world, client_for, monkeypatch, on_commit
):
    huddle = planted_huddle(world)
    lead = world.user("lead")
    mine = hook(lead)
    monkeypatch.setattr(
        "zhiren.people.robots.urllib.request.urlopen",
        Robot(answer=b'{"errcode": 93000, "errmsg": "invalid webhook url"}'),
    )
    client = client_for(lead)
    url = reverse("leadership:huddle_send", args=[huddle.pk])
    with on_commit(execute=True):  # the task runs once the request is saved
        client.post(url, {"robots": [str(mine.pk)], "with_notes": "1"})
    page = client.get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert "not sent" in page and "robot answered 93000" in page
    failed = HuddleSend.objects.get()
    assert failed.sent_at is None and "93000" in failed.error
    huddle.refresh_from_db()
    assert huddle.notes == "大家辛苦了\n下周二系统升级" and huddle.items.count() > 0
    assert 'name="again"' in page

    working = Robot()
    monkeypatch.setattr("zhiren.people.robots.urllib.request.urlopen", working)
    with on_commit(execute=True):
        client.post(url, {"again": str(failed.pk)})
    assert len(working.bodies) == 1 and "下周二系统升级" in working.bodies[0]
    assert [s.sent_at is not None for s in HuddleSend.objects.order_by("pk")] == [False, True]


def test_a_transport_error_and_a_removed_robot_are_kept_as_errors(world, monkeypatch, on_commit):
    huddle = planted_huddle(world)
    lead = world.user("lead")
    monkeypatch.setattr(
        "zhiren.people.robots.urllib.request.urlopen", Robot(fail=OSError("timed out"))
    )
    mine = hook(lead)
    with on_commit(execute=True):
        (send,) = services.send_to_robots(huddle, actor=lead, hook_ids=[mine.pk], with_notes=True)
    send.refresh_from_db()
    assert send.sent_at is None and "timed out" in send.error
    mine.active = False
    mine.save()
    assert services.deliver(send.pk, now=timezone.now() + timedelta(minutes=1)) == "failed"
    send.refresh_from_db()
    assert send.error == "The robot was removed or switched off."
    assert services.send_to_robots(huddle, actor=lead, hook_ids=[mine.pk], with_notes=True) == []


def test_a_failure_is_offered_again_only_until_a_later_send_goes_through(world, client_for, robot, on_commit):
    huddle = planted_huddle(world)
    lead = world.user("lead")
    mine, other = hook(lead), hook(lead, kind="dingtalk")
    now = timezone.now()
    old = HuddleSend.objects.create(huddle=huddle, hook=mine, robot=str(mine), requested_by=lead,
                                    requested_at=now - timedelta(minutes=5), error="robot answered 93000")
    elsewhere = HuddleSend.objects.create(huddle=huddle, hook=other, robot=str(other), requested_by=lead,
                                          requested_at=now - timedelta(minutes=4), error="timed out")
    page = client_for(lead).get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert f'name="again" value="{old.pk}"' in page and f'name="again" value="{elsewhere.pk}"' in page

    HuddleSend.objects.create(huddle=huddle, hook=mine, robot=str(mine), requested_by=lead,
                              requested_at=now, sent_at=now)
    page = client_for(lead).get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert f'name="again" value="{old.pk}"' not in page  # that robot has the agenda now
    assert f'name="again" value="{elsewhere.pk}"' in page  # the other one still does not


def test_a_lead_without_a_robot_is_told_where_to_add_one(world, client_for):
    huddle = planted_huddle(world)
    page = client_for(world.user("lead")).get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert 'data-testid="robot-none"' in page and reverse("people:digest_settings") in page
    chinese = client_for(world.user("lead"))
    chinese.cookies["django_language"] = "zh-hans"
    page_zh = chinese.get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert "要把议程发到班组群" in page_zh and reverse("people:digest_settings") in page_zh
    hook(world.user("lead"))
    page = client_for(world.user("lead")).get(reverse("leadership:huddle", args=[huddle.pk])).content.decode()
    assert 'data-testid="robot-none"' not in page and 'data-testid="robot"' in page
