"""``zhiren worker``: run background tasks with the configured backend."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background task worker (database backend by default, RQ when TASK_BACKEND=rq)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0, help="Polling interval (s).")

    def handle(self, *args, batch: bool = False, interval: float = 1.0, **options):
        backend = settings.TASK_BACKEND
        if backend == "database":
            call_command(
                "db_worker", batch=batch, interval=interval, queue_name="*", reload=False
            )
        elif backend == "rq":
            call_command("rqworker", "default", burst=batch, with_scheduler=False)
        else:
            raise CommandError(f"TASK_BACKEND={backend!r} has no worker (tasks run inline).")
