"""``zhiren restore_drill``: back up, restore into a scratch database, compare every table."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhiren.core.backups import run_drill


class Command(BaseCommand):
    help = ("Back up the database, restore the backup into a scratch database and compare row counts "
            "and checksums of every table. Exits 1 when a table differs.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="where to write the backup (default: a temporary folder)")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database or file")

    def handle(self, *args, dir=None, keep=False, **options):
        result = run_drill(settings.DATABASES["default"], directory=dir, keep=keep)
        self.stdout.write(f"backup: {result.backup} ({result.backup_bytes:,} bytes)")
        self.stdout.write(f"{len(result.tables)} tables, {result.total_rows:,} rows restored")
        for diff in result.differences:
            live = f"{diff.live.rows} rows" if diff.live else "missing"
            restored = f"{diff.restored.rows} rows" if diff.restored else "missing"
            self.stderr.write(f"DIFFERS {diff.table}: live {live}, restored {restored}")
        if not result.ok:
            raise CommandError(f"{len(result.differences)} table(s) differ after the restore")
        self.stdout.write(self.style.SUCCESS("every table restored with the same rows"))
