"""A very low check-in reaches the lead within the hour: an alert at once, a notice to the lead's robots."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhiren.people.models import DigestWebhook
from zhiren.wellbeing import services
from zhiren.wellbeing.models import MoodAlert

from ..people.conftest import RobotServer


@pytest.fixture
def robot():
    server = RobotServer()
    yield server
    server.close()


def test_a_very_low_check_in_raises_an_alert_and_tells_the_lead_without_details(
        world, robot, settings, django_capture_on_commit_callbacks):
    settings.ZHIREN_BASE_URL = "https://zhiren.example.com"
    DigestWebhook.objects.create(owner=world.user("lead"), kind="wecom", url=f"{robot.url}/wecom?key=k")
    DigestWebhook.objects.create(owner=world.user("hr"), kind="wecom", url=f"{robot.url}/hr?key=k")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_check_in(world.user("agent"), score=1, note="NOTE-SECRET", causes=["personal"])
    alert = MoodAlert.objects.get()
    assert (alert.agent, alert.kind, alert.day) == (world.agent, "very_low", timezone.localdate())
    assert [r["path"] for r in robot.requests] == ["/wecom?key=k"]  # the agent's lead only
    text = str(robot.requests[0]["json"])
    assert f"/wellbeing/alerts/{alert.pk}/" in text
    for private in ("NOTE-SECRET", world.agent.name, "personal"):
        assert private not in text

    with django_capture_on_commit_callbacks(execute=True):  # a correction the same day: no second alert
        services.record_check_in(world.user("agent"), score=1, note="still bad")
    assert MoodAlert.objects.count() == 1 and len(robot.requests) == 1


def test_an_ordinary_check_in_starts_nothing(world, robot, django_capture_on_commit_callbacks):
    DigestWebhook.objects.create(owner=world.user("lead"), kind="wecom", url=f"{robot.url}/wecom?key=k")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_check_in(world.user("agent"), score=4)
    assert callbacks == [] and not MoodAlert.objects.exists() and robot.requests == []
