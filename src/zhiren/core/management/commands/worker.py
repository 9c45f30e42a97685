"""``zhiren worker``: run background tasks with the configured backend, and the periodic jobs."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhiren.core.heartbeat import Heartbeat
from zhiren.core.periodic import Ticker, run_due


class Command(BaseCommand):
    help = (
        "Run the background task worker (database backend by default, RQ when TASK_BACKEND=rq); "
        "it also starts the periodic jobs (e.g. the nightly purge) when they are due."
    )
    # Django's system checks load every URL and admin module: seconds of CPU at each start, for
    # nothing a worker uses (the web processes and `zhiren check --deploy` run them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0, help="Polling interval (s).")
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not start periodic jobs from this worker."
        )

    def handle(self, *args, batch: bool = False, interval: float = 1.0, no_periodic: bool = False,
               **options):
        backend = settings.TASK_BACKEND
        if backend not in ("database", "rq"):
            raise CommandError(f"TASK_BACKEND={backend!r} has no worker (tasks run inline).")
        heartbeat = Heartbeat()  # for `zhiren worker_alive`
        heartbeat.start()
        ticker = None
        if no_periodic:
            pass
        elif batch:  # one pass: start what is due, so this batch runs it too
            run_due()
        else:
            ticker = Ticker()
            ticker.start()
        try:
            if backend == "database":
                call_command(
                    "db_worker", batch=batch, interval=interval, queue_name="*", reload=False
                )
            else:
                # django-tasks' own job class: RQ's would call the Task object itself and fail.
                call_command("rqworker", "default", burst=batch, with_scheduler=False,
                             job_class="django_tasks_rq.Job")
        finally:
            if ticker is not None:
                ticker.stop()
            heartbeat.stop()
