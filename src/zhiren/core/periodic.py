"""Periodic jobs, started by the task worker (``zhiren worker``).

Apps register a ``PeriodicJob`` in ``core.registries.periodic_jobs`` (e.g. privacy's nightly
``zhiren purge``). While a worker runs, a ticker thread calls ``run_due`` every minute: a job
whose last start is at least ``every()`` ago — or, for a daily job, before the latest ``at()``
moment — is claimed — one conditional UPDATE, so with several workers on several machines
exactly one wins, on SQLite and PostgreSQL alike — and started, which hands the work to the
task queue.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicRun
from .registries import periodic_jobs

logger = logging.getLogger(__name__)
TICK_SECONDS = 60.0


def parse_at(text: str) -> time | None:
    """``"HH:MM"`` as a time of day; blank: None (the daily job is switched off)."""
    text = text.strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def last_moment(at: time, now: datetime) -> datetime:
    """The latest moment at or before ``now`` whose local time of day is ``at``."""
    local = timezone.localtime(now)
    moment = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return moment if moment <= local else moment - timedelta(days=1)


def claim(name: str, every, now: datetime, at: time | None = None) -> bool:
    """Whether this caller may start the job ``name`` now (and records the start).

    Every (``at`` None): due when the last start is ``every`` ago or more. Daily: due when the
    last start is before the latest ``at`` moment, so one start per day, and a day missed
    while no worker ran is made up once at the next tick.
    """
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=name)
    except IntegrityError:  # another worker created it at the same moment
        pass
    if at is None:
        due = Q(started_at__isnull=True) | Q(started_at__lte=now - every)
    else:
        due = Q(started_at__isnull=True) | Q(started_at__lt=last_moment(at, now))
    return PeriodicRun.objects.filter(due, name=name).update(started_at=now) == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Start every registered job that is due; returns the names started."""
    now = now or timezone.now()
    started = []
    for entry in periodic_jobs.entries():
        job = entry.value
        at = job.at() if job.at is not None else None
        if job.at is not None and at is None:
            continue  # a daily job switched off
        if not claim(entry.name, job.every(), now, at):
            continue
        try:
            job.start()
        except Exception:  # one failing job must not stop the others, nor the worker
            logger.exception("periodic job %s failed to start", entry.name)
            continue
        started.append(entry.name)
    return started


class Ticker(threading.Thread):
    """Calls ``run_due`` now and then every ``interval`` seconds until ``stop()``."""

    def __init__(self, interval: float = TICK_SECONDS) -> None:
        super().__init__(name="zhiren-periodic", daemon=True)
        self.interval = interval
        self._stopped = threading.Event()
        self.ticks = 0

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                run_due()
            except Exception:  # the database may be away for a moment: try again next tick
                logger.exception("periodic jobs: tick failed")
            finally:
                close_old_connections()
                self.ticks += 1
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
