"""``zhiren send_digests [--date YYYY-MM-DD] [--enqueue]``: the leads' daily digest, for cron."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Send each team lead's daily digest (email and group robots). Idempotent per lead and day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="day of the digest, YYYY-MM-DD (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="hand the work to the task worker")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from exc
        if options["enqueue"]:
            from zhiren.people.tasks import send_daily_digests

            result = send_daily_digests.enqueue(day.isoformat())
            self.stdout.write(f"enqueued {result.id} for {day}")
            return
        from zhiren.people.services import send_digests

        results = send_digests(day)
        sent = sum(1 for r in results.values() for v in r.values() if v == "sent")
        failed = sum(1 for r in results.values() for v in r.values() if v == "failed")
        skipped = sum(1 for r in results.values() for v in r.values() if v == "skipped")
        self.stdout.write(f"{day}: {len(results)} leads, {sent} sent, {skipped} already sent, {failed} failed")
        if failed:
            raise CommandError(f"{failed} deliveries failed; run again to retry them")
