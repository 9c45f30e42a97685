"""``zhiren purge_import_uploads``: delete expired previews' files and leftovers (run from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from zhiren.imports.retention import purge_stale_uploads


class Command(BaseCommand):
    help = (
        "Delete uploaded import files no longer needed: previews older than "
        "IMPORT_UPLOAD_RETENTION_HOURS, files of finished jobs, and orphaned files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=float, help="retention in hours (default: IMPORT_UPLOAD_RETENTION_HOURS)"
        )

    def handle(self, *args: Any, hours: float | None = None, **options: Any) -> None:
        max_age = timedelta(hours=hours) if hours is not None else None
        result = purge_stale_uploads(max_age=max_age)
        self.stdout.write(
            _("Previews expired: %(jobs)d; abandoned jobs failed: %(abandoned)d; files deleted: %(files)d.")
            % {"jobs": result.expired_jobs, "abandoned": result.abandoned_jobs, "files": result.deleted_files}
        )
