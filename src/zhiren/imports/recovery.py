"""Import jobs whose worker died: found by their silence, failed with a message, retried or discarded.

A running job touches its row (``updated_at``) as it checks rows; the rows and the
job's ``done`` status are then written in one transaction. A worker killed midway
therefore leaves the job ``running`` with nothing written. A running job silent
for longer than ``IMPORT_JOB_LEASE_MINUTES`` is taken as abandoned: it is marked
failed (stage ``abandoned``) with a message, and its uploader may retry it (the
file is kept for the retention period) or discard it. A job abandoned while the
worker checked its upload (stage ``checking``, never previewed) is failed with a
message to upload the file again. ``zhiren
purge_import_uploads`` looks for abandoned jobs before it purges.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import RowError
from .models import ImportJob, ImportStatus
from .services import CHECKING, STORED_ERRORS, commit_job, job_file

ABANDONED = "abandoned"


def lease() -> timedelta:
    return timedelta(minutes=settings.IMPORT_JOB_LEASE_MINUTES)


def abandoned_message() -> str:
    return _("The task worker stopped while this import was running; nothing was saved. "
             "Retry it, or discard it.")


def abandoned_check_message() -> str:
    return _("The task worker stopped while it checked this file; nothing was saved. Upload the file again.")


def fail_abandoned_jobs(*, now: datetime | None = None) -> int:
    """Mark running jobs silent for longer than the lease as failed; returns how many."""
    now = now or timezone.now()
    failed = 0
    for job in ImportJob.objects.filter(status=ImportStatus.RUNNING, updated_at__lt=now - lease()):
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportStatus.RUNNING or locked.updated_at >= now - lease():
                continue  # it finished, or spoke again, meanwhile
            # A file never previewed is not retried (that would commit it unseen): it is uploaded again.
            checking = locked.stage == CHECKING
            message = RowError(0, "", "", abandoned_check_message() if checking else abandoned_message()).as_dict()
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, stage="failed" if checking else ABANDONED, finished_at=now,
                errors=[message, *locked.errors][:STORED_ERRORS],
                error_count=max(locked.error_count, 1),
            )
            failed += 1
    return failed


def is_abandoned(job: ImportJob) -> bool:
    return job.status == ImportStatus.FAILED and job.stage == ABANDONED


def may_retry(job: ImportJob) -> bool:
    return is_abandoned(job) and job_file(job).exists()


def retry_job(job: ImportJob, *, user: User, request: HttpRequest | None = None) -> ImportJob:
    """Run an abandoned job again from its kept file (checked and planned anew)."""
    if not may_retry(job):
        return job
    message = abandoned_message()
    errors = [e for e in job.errors if e.get("message") != message]
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED, stage=ABANDONED).update(
        status=ImportStatus.PREVIEW, stage="", finished_at=None, errors=errors, error_count=len(errors),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return commit_job(job, user=user, request=request) if updated else job
