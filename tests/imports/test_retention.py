"""Uploaded files do not outlive their use: expired previews, finished jobs and orphans are purged."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from zhiren.imports.models import ImportJob, ImportStatus
from zhiren.imports.retention import purge_stale_uploads
from zhiren.imports.services import commit_job, job_file, start_job
from zhiren.org.models import Agent

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db


def preview(org, name="agents_utf8.csv"):
    return start_job("agents", SimpleUploadedFile(name, fixture_bytes(name)), user=org.hr)


def age(job, hours):
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_old_preview_expires_and_loses_file_and_preview(org, upload_dir, settings):
    settings.IMPORT_UPLOAD_RETENTION_HOURS = 24
    old, fresh = preview(org), preview(org)
    age(old, 25)
    age(fresh, 23)

    result = purge_stale_uploads()

    assert (result.expired_jobs, result.deleted_files) == (1, 1)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ImportStatus.FAILED and old.stage == "expired" and old.finished_at is not None
    assert old.preview == [] and "expired" in old.errors[0]["message"]
    assert old.total_rows == 4 and old.created_count == 4  # the counts stay for the record
    assert not job_file(old).exists()
    assert fresh.status == ImportStatus.PREVIEW and fresh.preview and job_file(fresh).exists()


def test_expired_preview_cannot_be_committed(org, upload_dir):
    job = preview(org)
    age(job, 48)
    purge_stale_uploads()
    job.refresh_from_db()
    commit_job(job, user=org.hr)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and Agent.objects.count() == 0


def test_files_of_finished_jobs_are_deleted_whatever_their_age(org, upload_dir):
    failed = preview(org)
    ImportJob.objects.filter(pk=failed.pk).update(status=ImportStatus.FAILED)
    queued = preview(org)
    ImportJob.objects.filter(pk=queued.pk).update(status=ImportStatus.QUEUED)
    age(queued, 100)

    result = purge_stale_uploads()

    assert (result.expired_jobs, result.deleted_files) == (0, 1)
    assert not job_file(failed).exists()
    assert job_file(queued).exists()  # a worker may be reading it


def test_orphaned_files_go_once_older_than_the_period(org, upload_dir):
    kept = preview(org)
    folder = job_file(kept).parent
    old_orphan, new_orphan = folder / "old.csv", folder / "new.csv"
    old_orphan.write_bytes(b"x")
    new_orphan.write_bytes(b"x")
    # File times come from the real clock; the test's clock is set: date both files by the latter.
    now, two_days_ago = timezone.now().timestamp(), (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(new_orphan, (now, now))
    os.utime(old_orphan, (two_days_ago, two_days_ago))

    assert purge_stale_uploads().deleted_files == 1
    assert not old_orphan.exists() and new_orphan.exists() and job_file(kept).exists()


def test_command_takes_a_retention_override(org, upload_dir, capsys):
    job = preview(org)
    age(job, 2)
    call_command("purge_import_uploads", "--hours", "1")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert capsys.readouterr().out.strip() == "Previews expired: 1; abandoned jobs failed: 0; files deleted: 1."


def test_dry_run_counts_what_would_go_and_changes_nothing(org, upload_dir, settings):
    settings.IMPORT_UPLOAD_RETENTION_HOURS = 24
    old, fresh = preview(org), preview(org)
    age(old, 25)
    age(fresh, 23)
    orphan = upload_dir / "orphan.csv"
    orphan.write_bytes(b"x")
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()  # by the test's clock
    os.utime(orphan, (two_days_ago, two_days_ago))

    counted = purge_stale_uploads(dry_run=True)

    assert (counted.expired_jobs, counted.deleted_files) == (1, 2)  # the old preview's file and the orphan
    old.refresh_from_db()
    assert old.status == ImportStatus.PREVIEW and job_file(old).exists() and orphan.exists()
    done = purge_stale_uploads()
    assert (done.expired_jobs, done.deleted_files) == (counted.expired_jobs, counted.deleted_files)
