"""Periodic jobs: the worker starts each when due, once however many workers run.

(The privacy module's purge is one: ``tests/privacy/test_retention.py``.)"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from zhiren.core import periodic
from zhiren.core.models import PeriodicRun
from zhiren.core.registries import PeriodicJob, periodic_jobs

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 11, 3, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _job(calls: list, every=timedelta(hours=24), fail=False):
    def start():
        calls.append(1)
        if fail:
            raise RuntimeError("queue away")

    return PeriodicJob("test job", lambda: every, start)


def test_a_job_starts_when_due_and_not_again_before_its_interval():
    calls: list = []
    with periodic_jobs.replaced([("nightly", _job(calls))]):
        for moment, started in ((START, ["nightly"]), (START + timedelta(hours=23, minutes=59), []),
                                (START + timedelta(hours=24), ["nightly"]), (START + timedelta(hours=25), [])):
            with time_machine.travel(moment, tick=False):
                assert periodic.run_due() == started, moment
    assert len(calls) == 2
    assert PeriodicRun.objects.get(name="nightly").started_at == START + timedelta(hours=24)


def test_two_workers_at_the_same_moment_start_it_once():
    calls: list = []
    with periodic_jobs.replaced([("nightly", _job(calls))]):
        assert periodic.claim("nightly", timedelta(hours=24), START)
        assert not periodic.claim("nightly", timedelta(hours=24), START)  # the second worker
        assert periodic.run_due(START) == []
    assert calls == []


def test_a_failing_job_does_not_stop_the_others():
    failing, fine = [], []
    with periodic_jobs.replaced([("a", _job(failing, fail=True)), ("b", _job(fine))]):
        assert periodic.run_due(START) == ["b"]
    assert failing == [1] and fine == [1]


def test_a_batch_worker_starts_what_is_due_first(monkeypatch):
    calls, ran = [], []
    monkeypatch.setattr("zhiren.core.management.commands.worker.call_command",
                        lambda name, *args, **kwargs: ran.append((name, kwargs.get("batch"))))
    with periodic_jobs.replaced([("nightly", _job(calls))]):
        call_command("worker", "--batch")
        assert calls == [1] and ran == [("db_worker", True)]
        call_command("worker", "--batch", "--no-periodic")
    assert calls == [1]


def test_the_ticker_ticks_until_stopped():
    with periodic_jobs.replaced([]):
        ticker = periodic.Ticker(interval=0.01)
        ticker.start()
        deadline = time.monotonic() + 10
        while ticker.ticks < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        ticker.stop()
        ticker.join(timeout=5)
    assert ticker.ticks >= 2 and not ticker.is_alive()


def test_a_daily_job_starts_once_a_day_from_its_time_on_and_makes_up_a_missed_day():
    calls: list = []
    daily = PeriodicJob("daily", lambda: timedelta(days=1), lambda: calls.append(1),
                        at=lambda: periodic.parse_at("02:00"))
    day = START.replace(hour=0)  # 2026-03-11 00:00 in Shanghai
    with periodic_jobs.replaced([("daily", daily)]):
        for moment, started in (
            (day + timedelta(hours=1, minutes=59), ["daily"]),  # never ran: yesterday's 02:00 is owed
            (day + timedelta(hours=2), ["daily"]),  # today's 02:00
            (day + timedelta(hours=2, minutes=1), []),  # a second worker a minute later
            (day + timedelta(hours=23, minutes=59), []),
            (day + timedelta(days=3, hours=9), ["daily"]),  # no worker for two days: made up once
            (day + timedelta(days=3, hours=10), []),
        ):
            with time_machine.travel(moment, tick=False):
                assert periodic.run_due() == started, moment
    assert len(calls) == 3


def test_a_daily_job_with_a_blank_time_is_switched_off():
    calls: list = []
    off = PeriodicJob("off", lambda: timedelta(days=1), lambda: calls.append(1), at=lambda: periodic.parse_at(" "))
    with periodic_jobs.replaced([("off", off)]):
        assert periodic.run_due(START) == []
    assert calls == [] and not PeriodicRun.objects.filter(name="off").exists()


def test_the_workers_start_the_nightly_evaluation_and_the_digests_at_their_times(settings):
    jobs = {entry.name: entry.value for entry in periodic_jobs.entries()}
    settings.WELLBEING_NIGHTLY_AT, settings.DIGESTS_AT = "01:30", ""
    assert jobs["wellbeing_nightly"].at() == periodic.parse_at("1:30")
    assert jobs["digests"].at() is None
