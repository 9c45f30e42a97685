"""Periodic jobs, started by the task worker (``zhiren worker``).

Apps register a ``PeriodicJob`` in ``core.registries.periodic_jobs`` (e.g. privacy's nightly
``zhiren purge``). While a worker runs, a ticker thread calls ``run_due`` every minute: a job
whose last start is at least ``every()`` ago is claimed — one conditional UPDATE, so with
several workers exactly one wins — and started, which hands the work to the task queue.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicRun
from .registries import periodic_jobs

logger = logging.getLogger(__name__)
TICK_SECONDS = 60.0


def claim(name: str, every, now: datetime) -> bool:
    """Whether this caller may start the job ``name`` now (and records the start)."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=name)
    except IntegrityError:  # another worker created it at the same moment
        pass
    due = Q(started_at__isnull=True) | Q(started_at__lte=now - every)
    return PeriodicRun.objects.filter(due, name=name).update(started_at=now) == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Start every registered job that is due; returns the names started."""
    now = now or timezone.now()
    started = []
    for entry in periodic_jobs.entries():
        job = entry.value
        if not claim(entry.name, job.every(), now):
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
