"""``manage.py wellbeing_nightly [--date YYYY-MM-DD] [--enqueue]``: the nightly mood evaluation.

Run it from cron (or a scheduler) once a night; running it twice the same day
changes nothing more.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhiren.wellbeing.services import run_nightly
from zhiren.wellbeing.tasks import nightly_evaluation


class Command(BaseCommand):
    help = "Evaluate emotion cycles and mood alerts for every active agent (idempotent per day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the day to evaluate (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="hand it to the task worker")

    def handle(self, *args, date: str | None = None, enqueue: bool = False, **options) -> None:
        day = None
        if date:
            try:
                day = _parse(date)
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        if enqueue:
            result = nightly_evaluation.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        run = run_nightly(day)
        self.stdout.write(
            f"{run.day}: {run.agents} agents, {run.alerts_raised} new alerts, "
            f"{run.cycles_found} cycles, {run.seconds:.2f}s"
        )


def _parse(value: str):
    return date.fromisoformat(value)
