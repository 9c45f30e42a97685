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
