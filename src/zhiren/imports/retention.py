"""Removing uploaded import files that are no longer needed.

An upload is kept on disk between its dry run and its commit (see
``services.start_job``). A committed job deletes its file; a preview the user
never commits or discards, a job that failed, or a file whose job row was never
saved would otherwise stay forever — and an agent roster or an ACD export holds
personal data. ``purge_stale_uploads`` (run by ``zhiren purge_import_uploads``
from cron) removes:

* previews older than the retention period: the file is deleted and the job is
  marked failed ("expired"); its stored preview (which shows cell values) is
  cleared, the counts and error messages stay for the record;
* the files of finished jobs (done or failed), whatever their age;
* files in the upload folder that no job refers to, once older than the period.

Queued and running jobs are left alone: a worker may be reading their file. A
running job whose worker died is first failed as abandoned (``recovery``); its
file is kept for a retry until the retention period has passed.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import RowError
from .lookups import keyed_querysets
from .models import ImportJob, ImportStatus
from .recovery import ABANDONED, fail_abandoned_jobs
from .services import STORED_ERRORS, job_file, upload_dir


@dataclasses.dataclass(frozen=True)
class PurgeResult:
    expired_jobs: int
    deleted_files: int
    abandoned_jobs: int = 0


def retention() -> timedelta:
    return timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS)


def purge_stale_uploads(
    *, now: datetime | None = None, max_age: timedelta | None = None, dry_run: bool = False
) -> PurgeResult:
    """Purge (see the module's text); with ``dry_run`` count what would go and change nothing.

    A dry run does not look for abandoned jobs (that would fail them): their count is 0.
    """
    now = now or timezone.now()
    cutoff = now - (max_age if max_age is not None else retention())
    deleted = 0
    abandoned = 0 if dry_run else fail_abandoned_jobs(now=now)
    remove = _exists if dry_run else _unlink

    expired = 0
    message = _("This preview expired before it was committed; upload the file again.")
    for job in ImportJob.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff):
        deleted += remove(job_file(job))
        if dry_run:
            expired += 1
            continue
        job.status = ImportStatus.FAILED
        job.stage = "expired"
        job.finished_at = now
        job.preview = []
        job.errors = [RowError(0, "", "", message).as_dict(), *job.errors][:STORED_ERRORS]
        job.error_count = max(job.error_count, 1)
        job.save(update_fields=["status", "stage", "finished_at", "preview", "errors", "error_count", "updated_at"])
        expired += 1

    # One scan of the folder and one query for the files in it (not one per job ever finished).
    folder = upload_dir()
    files = {path.name: path for path in folder.iterdir() if path.is_file()}
    names = list(files)
    statuses: dict[str, tuple[str | None, str, datetime | None]] = {}
    for jobs in keyed_querysets(ImportJob.objects.all(), "stored_name", names, chunk=900):
        statuses.update((name, (status, stage, finished_at)) for name, status, stage, finished_at
                        in jobs.values_list("stored_name", "status", "stage", "finished_at"))
    finished = (ImportStatus.DONE, ImportStatus.FAILED)
    cutoff_ts = cutoff.timestamp()
    for name, path in files.items():
        status, stage, finished_at = statuses.get(name, (None, "", None))
        if stage == ABANDONED:  # kept for a retry until the retention period has passed
            if finished_at is not None and finished_at < cutoff:
                deleted += remove(path)
        elif status in finished or (status is None and path.stat().st_mtime < cutoff_ts):
            deleted += remove(path)
    return PurgeResult(expired_jobs=expired, deleted_files=deleted, abandoned_jobs=abandoned)


def _exists(path: Path) -> int:
    return 1 if path.is_file() else 0


def _unlink(path: Path) -> int:
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    return 1
