"""The surveys' automatic reminders: the plan (pure dates), the daily job sending each due
reminder once through the manual reminder's path, never after closing, never naming anyone,
and the wave's page showing what went out."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from zhiren.core.registries import periodic_jobs
from zhiren.engagement import reminders, services
from zhiren.engagement.models import Invitation, WaveReminder
from zhiren.engagement.reminder_tasks import send_survey_reminders
from zhiren.engagement.reminders import AFTER, LAST_DAY, Plan
from zhiren.org.models import Agent
from zhiren.people import robots
from zhiren.people.models import DigestWebhook

from .helpers import _nobody, answer, crowd, survey

MON = dt.date(2026, 3, 2)  # a wave from Monday to Sunday: halfway is Thursday
THU, SUN = MON + dt.timedelta(days=3), MON + dt.timedelta(days=6)


def at(day: dt.date, hour: int = 10):
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=False)


# -- the plan ----------------------------------------------------------------------------------


def test_the_default_plan_is_halfway_and_the_last_day():
    assert reminders.default_plan(MON, SUN) == Plan(3, True)
    assert reminders.schedule(Plan(3, True), MON, SUN, MON) == [(AFTER, THU), (LAST_DAY, SUN)]
    two_weeks = MON + dt.timedelta(days=13)
    assert reminders.default_plan(MON, two_weeks) == Plan(6, True)
    assert reminders.default_plan(MON, MON + dt.timedelta(days=1)) == Plan(None, True)


def test_the_plan_never_reminds_twice_a_day_nor_on_the_launch_day():
    # N days landing on the closing day: the last-day reminder is the one
    assert reminders.schedule(Plan(6, True), MON, SUN, MON) == [(LAST_DAY, SUN)]
    assert reminders.schedule(Plan(6, False), MON, SUN, MON) == [(AFTER, SUN)]
    # a one-day wave: the launch message is all
    assert reminders.schedule(Plan(None, True), MON, MON, MON) == []
    # launched late (opening in the past): days up to the launch are dropped
    assert reminders.schedule(Plan(3, True), MON, SUN, THU) == [(LAST_DAY, SUN)]
    assert reminders.schedule(Plan(), MON, SUN, MON) == []
    assert not reminders.valid_after_days(7, MON, SUN)
    assert not reminders.valid_after_days(0, MON, SUN)
    assert reminders.valid_after_days(6, MON, SUN)


def test_due_only_from_its_day_while_open_and_not_yet_sent():
    plan = Plan(3, True)
    assert reminders.due(plan, MON, SUN, MON, set(), THU - dt.timedelta(days=1)) == []
    assert reminders.due(plan, MON, SUN, MON, set(), THU) == [AFTER]
    assert reminders.due(plan, MON, SUN, MON, {AFTER}, THU) == []
    assert reminders.due(plan, MON, SUN, MON, set(), SUN) == [AFTER, LAST_DAY]  # caught up
    assert reminders.due(plan, MON, SUN, MON, set(), SUN + dt.timedelta(days=1)) == []


# -- the job -----------------------------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"  # the robots' messages, in the site's language
    calls = []

    def fake_post(kind, url, message, secret="", **kwargs):
        calls.append(message)
        return {"errcode": 0}

    monkeypatch.setattr(robots, "post", fake_post)
    return calls


@pytest.fixture
def wave(world, sent, django_capture_on_commit_callbacks):
    """A pulse of site A launched Monday 09:00, open Monday to Sunday, the default plan; the
    lead of A1 has a group robot; the launch message is already out (``sent`` emptied)."""
    DigestWebhook.objects.create(
        owner=world.user("lead"), kind="wecom", url="https://qyapi.weixin.qq.com/x?key=k"
    )
    with at(MON, 9), django_capture_on_commit_callbacks(execute=True):
        item = services.launch(survey(world.site_a), user=_nobody(), opens_on=MON, closes_on=SUN)
    assert len(sent) == 1 and sent[0].title.startswith("New survey")
    sent.clear()
    return item


def run_job(day: dt.date, capture, hour: int = 10) -> dict:
    with at(day, hour), capture(execute=True):
        return send_survey_reminders.enqueue().return_value


def test_a_reminder_goes_out_on_its_day_and_not_before(
    wave, sent, django_capture_on_commit_callbacks
):
    assert run_job(THU - dt.timedelta(days=1), django_capture_on_commit_callbacks)["waves"] == {}
    assert sent == [] and not WaveReminder.objects.exists()
    outcome = run_job(THU, django_capture_on_commit_callbacks)
    assert outcome == {"day": THU.isoformat(), "waves": {str(wave.pk): [AFTER]}}
    assert len(sent) == 1 and sent[0].title == f"Reminder: 脉搏调查 closes on {SUN.isoformat()}"
    (record,) = WaveReminder.objects.filter(wave=wave)
    assert (record.kind, record.due_on) == (AFTER, THU)
    # the same path as a runner's reminder: the unanswered get the in-app banner
    assert not Invitation.objects.filter(wave=wave, reminded_at__isnull=True).exists()
    assert run_job(SUN, django_capture_on_commit_callbacks)["waves"] == {str(wave.pk): [LAST_DAY]}
    assert len(sent) == 2


def test_two_runs_send_each_reminder_once(wave, sent, django_capture_on_commit_callbacks):
    run_job(THU, django_capture_on_commit_callbacks)
    assert run_job(THU, django_capture_on_commit_callbacks, hour=15)["waves"] == {}
    assert run_job(THU + dt.timedelta(days=1), django_capture_on_commit_callbacks)["waves"] == {}
    assert len(sent) == 1 and WaveReminder.objects.filter(wave=wave).count() == 1


def test_a_second_worker_racing_the_first_sends_nothing(
    wave, sent, monkeypatch, django_capture_on_commit_callbacks
):
    """Two workers that both read 'not sent yet': the unique record lets one through."""
    run_job(THU, django_capture_on_commit_callbacks)
    blind = reminders.due

    def read_before_the_first_committed(plan, opens_on, closes_on, launched_on, sent, today):
        return blind(plan, opens_on, closes_on, launched_on, set(), today)

    monkeypatch.setattr(reminders, "due", read_before_the_first_committed)
    assert run_job(THU, django_capture_on_commit_callbacks)["waves"] == {}
    assert len(sent) == 1 and WaveReminder.objects.filter(wave=wave).count() == 1


def test_a_closed_wave_gets_nothing(wave, sent, django_capture_on_commit_callbacks):
    """The workers were away all week: after closing, nothing is made up."""
    monday_after = SUN + dt.timedelta(days=1)
    assert run_job(monday_after, django_capture_on_commit_callbacks)["waves"] == {}
    assert sent == [] and not WaveReminder.objects.exists()
    with at(monday_after), django_capture_on_commit_callbacks(execute=True):
        assert send_survey_reminders.enqueue(SUN.isoformat()).return_value["waves"] == {}
    assert sent == []  # even asked for its last day by hand


def test_a_wave_without_a_plan_gets_nothing(world, sent, django_capture_on_commit_callbacks):
    with at(MON, 9):
        services.launch(
            survey(world.site_a), user=_nobody(), opens_on=MON, closes_on=SUN, plan=Plan()
        )
    assert run_job(THU, django_capture_on_commit_callbacks)["waves"] == {}
    assert run_job(SUN, django_capture_on_commit_callbacks)["waves"] == {}


def test_the_robots_message_names_no_one(world, wave, sent, django_capture_on_commit_callbacks):
    people = crowd(world.team_a1, 5)
    with at(MON, 9), django_capture_on_commit_callbacks(execute=True):
        second = services.launch(
            survey(world.site_a, title="Weekly pulse"), user=_nobody(), opens_on=MON, closes_on=SUN
        )
    with at(MON, 12):
        for user in people[:2]:
            answer(second, user)
    sent.clear()
    run_job(THU, django_capture_on_commit_callbacks)
    message = next(m for m in sent if "Weekly pulse" in m.title)
    invited = second.invitations.filter(team=world.team_a1).count()
    assert f"{world.team_a1.name}: 2 of {invited} answered" in " ".join(message.lines)
    text = " ".join([message.title, *message.lines, message.link])
    for user in [*people, world.user("agent")]:
        assert user.username not in text and Agent.objects.get(user=user).name not in text


def test_an_identified_survey_is_reminded_in_the_app_never_in_a_group(
    world, sent, django_capture_on_commit_callbacks
):
    DigestWebhook.objects.create(
        owner=world.user("lead"), kind="wecom", url="https://qyapi.weixin.qq.com/x?key=k"
    )
    with at(MON, 9), django_capture_on_commit_callbacks(execute=True):
        exit_wave = services.launch(
            survey(world.site_a, kind="exit", title="Exit"),
            user=_nobody(),
            opens_on=MON,
            closes_on=SUN,
        )
    assert run_job(THU, django_capture_on_commit_callbacks)["waves"] == {str(exit_wave.pk): [AFTER]}
    assert sent == []
    assert Invitation.objects.filter(wave=exit_wave, reminded_at__isnull=False).exists()


def test_the_daily_job_is_registered_at_ten_and_sends(
    wave, sent, settings, django_capture_on_commit_callbacks
):
    job = next(e.value for e in periodic_jobs.entries() if e.name == "survey_reminders")
    assert job.at() == time(10, 0)
    settings.SURVEY_REMINDERS_AT = ""
    assert job.at() is None  # switched off
    with at(THU), django_capture_on_commit_callbacks(execute=True):
        job.start()
    assert len(sent) == 1


def test_launch_refuses_a_reminder_outside_the_wave(world):
    with pytest.raises(services.EngagementError, match="while the wave is open"):
        services.launch(
            survey(world.site_a), user=_nobody(), opens_on=MON, closes_on=SUN, plan=Plan(9, True)
        )


# -- the pages ---------------------------------------------------------------------------------


def test_the_launch_form_sets_the_plan(world, client_for):
    item = survey(world.site_a)
    client = client_for(world.user("hr"))
    page = client.get(reverse("engagement:survey", args=[item.pk]))
    assert b'name="remind_after_days"' in page.content
    data = {"opens_on": MON, "closes_on": SUN, "reminders": "1", "remind_after_days": "2"}
    with at(MON, 9):
        client.post(reverse("engagement:launch", args=[item.pk]), data)
    wave = item.waves.get()
    assert (wave.remind_after_days, wave.remind_last_day) == (2, False)
    data.update(remind_after_days="", remind_last_day="1")
    with at(MON, 9):
        client.post(reverse("engagement:launch", args=[item.pk]), data)
    second = item.waves.get(number=2)
    assert (second.remind_after_days, second.remind_last_day) == (None, True)


def test_the_wave_page_shows_the_plan_and_what_went_out(
    world, wave, client_for, django_capture_on_commit_callbacks
):
    run_job(THU, django_capture_on_commit_callbacks)
    client = client_for(world.user("hr"))
    with at(THU, 11):
        page = client.get(reverse("engagement:results", args=[wave.pk])).content.decode()
    assert "Automatic reminders" in page
    assert "3 days after opening" in page and f"Sent {THU.isoformat()} 10:00" in page
    assert "On the last day" in page and "Planned" in page
    client.cookies["django_language"] = "zh-hans"
    with at(THU, 11):
        page = client.get(reverse("engagement:results", args=[wave.pk])).content.decode()
    assert "自动提醒" in page and "开放 3 天后" in page and "已发送" in page


def test_a_launch_with_days_that_are_not_a_number_says_so_and_launches_nothing(world, client_for):
    item = survey(world.site_a)
    client = client_for(world.user("hr"))
    data = {"opens_on": MON, "closes_on": SUN, "reminders": "1", "remind_after_days": "2.5"}
    with at(MON, 9):
        response = client.post(reverse("engagement:launch", args=[item.pk]), data, follow=True)
    assert not item.waves.exists()
    assert "Remind after (days): “2.5” is not a whole number of days." in response.content.decode()
