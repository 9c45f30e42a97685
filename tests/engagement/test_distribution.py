"""Survey links and reminders through the leads' group robots: what the message says (the
team's response rate, never who), the DeliveryError path, and when it is queued."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhiren.engagement import services
from zhiren.engagement.tasks import send_wave_to_robots
from zhiren.org.models import Agent
from zhiren.people import robots
from zhiren.people.models import DigestWebhook

from .helpers import _nobody, answer, crowd, launch, survey


@pytest.fixture
def sent(monkeypatch):
    calls = []

    def fake_post(kind, url, message, secret="", **kwargs):
        if "broken" in url:
            raise robots.DeliveryError("robot answered 310000: keywords not in content")
        calls.append((kind, url, message))
        return {"errcode": 0}

    monkeypatch.setattr(robots, "post", fake_post)
    return calls


def _hook(user, url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", kind="wecom"):
    return DigestWebhook.objects.create(owner=user, kind=kind, url=url)


def test_the_message_carries_the_link_and_the_team_rate_never_who(world, sent, settings):
    settings.ZHIREN_BASE_URL = "https://zhiren.example.com"
    settings.LANGUAGE_CODE = "en"
    lead = world.user("lead")
    _hook(lead)
    people = crowd(world.team_a1, 5)
    wave = launch(survey(world.site_a, title="Weekly pulse"))
    for user in people[:2]:
        answer(wave, user)
    invited = wave.invitations.filter(team=world.team_a1).count()
    assert send_wave_to_robots.enqueue(wave.pk, True).return_value == {"sent": 1, "failed": 0}
    ((kind, _url, message),) = sent
    assert kind == "wecom"
    assert message.title == f"Reminder: Weekly pulse closes on {wave.closes_on.isoformat()}"
    assert (
        f"{world.team_a1.name}: 2 of {invited} answered ({round(200 / invited)}%)" in message.lines
    )
    assert message.link == f"https://zhiren.example.com/engagement/waves/{wave.pk}/answer/"
    text = " ".join([message.title, *message.lines, message.link])
    for user in people:  # no responder (nor anyone else) is named
        assert user.username not in text and Agent.objects.get(user=user).name not in text
    assert world.team_a2.name not in text  # the lead leads A1 only


def test_a_failing_robot_is_counted_and_the_others_still_get_it(world, sent):
    lead = world.user("lead")
    _hook(lead, "https://oapi.dingtalk.com/robot/send?access_token=broken", kind="dingtalk")
    _hook(lead)
    wave = launch(survey(world.site_a))
    assert send_wave_to_robots.enqueue(wave.pk).return_value == {"sent": 1, "failed": 1}
    assert len(sent) == 1


def test_launch_and_remind_queue_it_and_identified_surveys_never_go_to_a_group(
    world, sent, django_capture_on_commit_callbacks
):
    _hook(world.user("lead"))
    with django_capture_on_commit_callbacks(execute=True):
        wave = launch(survey(world.site_a))
    assert len(sent) == 1 and sent[0][2].title.startswith(("New survey", "新调查"))
    with django_capture_on_commit_callbacks(execute=True):
        services.remind(wave, user=_nobody())
    assert len(sent) == 2
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        launch(survey(world.site_a, kind="exit", title="Exit"))
    assert len(sent) == 2
