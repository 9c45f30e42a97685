"""``zhiren worker_alive``: exit 0 when a task worker on this machine beat recently, else 1."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhiren.core.heartbeat import beats


class Command(BaseCommand):
    help = (
        "Liveness check for task workers: succeeds when at least --min workers of this machine "
        "touched their heartbeat within --max-age seconds (default: three heartbeats)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age", type=float, default=None, help="Seconds (default 3 beats)."
        )
        parser.add_argument(
            "--min", type=int, default=1, dest="needed", help="Workers needed (default 1)."
        )

    def handle(self, *args, max_age: float | None = None, needed: int = 1, **options):
        limit = 3 * settings.WORKER_HEARTBEAT_SECONDS if max_age is None else max_age
        fresh = [beat for beat in beats() if beat.age <= limit]
        for beat in fresh:
            self.stdout.write(f"worker {beat.pid}: last beat {beat.age:.0f} s ago")
        if len(fresh) < needed:
            raise CommandError(
                f"{len(fresh)} live worker(s) here, {needed} needed (beat within {limit:.0f} s)"
            )
