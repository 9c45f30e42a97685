"""The web flow's jobs: upload kept on disk, preview, commit in the request or as a task."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from zhiren.imports.models import ImportJob, ImportStatus
from zhiren.imports.services import commit_job, job_file, run_job, start_job
from zhiren.imports.tasks import commit_import
from zhiren.org.models import Agent, Role

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db


def upload(name="agents_utf8.csv", data=None):
    return SimpleUploadedFile(name, fixture_bytes(name) if data is None else data)


def test_upload_is_previewed_and_kept(org, upload_dir):
    job = start_job("agents", upload(), user=org.hr)
    assert job.status == ImportStatus.PREVIEW
    assert (job.total_rows, job.created_count, job.error_count) == (4, 4, 0)
    assert job.encoding == "utf-8" and job.file_format == "csv"
    assert job_file(job).parent == upload_dir and job_file(job).exists()
    assert job.stored_name.endswith(".csv") and "agents" not in job.stored_name
    first = job.preview[0]
    assert first["row"] == 2 and first["key"] == "A001" and first["action"] == "create"
    assert {"column": "姓名", "old": "", "new": "张伟"} in first["fields"]
    assert Agent.objects.count() == 0


def test_bad_upload_shows_errors_and_cannot_commit(org, upload_dir):
    job = start_job("agents", upload("agents_bad.csv"), user=org.hr)
    assert job.error_count == 6
    assert {"row": 3, "column": "班组"}.items() <= job.errors[1].items()
    commit_job(job, user=org.hr)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and Agent.objects.count() == 0


def test_small_file_commits_in_the_request(org, upload_dir):
    job = start_job("agents", upload(), user=org.hr)
    job = commit_job(job, user=org.hr)
    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert Agent.objects.count() == 4
    assert not job_file(job).exists()


def test_large_file_runs_as_a_task_on_commit(org, upload_dir, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    job = start_job("agents", upload(), user=org.hr)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = commit_job(job, user=org.hr)
    assert job.status == ImportStatus.QUEUED and Agent.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()  # the transaction commits: the task is enqueued (immediate backend runs it)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.processed_rows, job.total_rows, job.percent) == (4, 4, 100)
    assert job.task_id
    assert Agent.objects.count() == 4


def test_task_rerun_is_a_no_op(org, upload_dir, django_assert_max_num_queries):
    job = commit_job(start_job("agents", upload(), user=org.hr), user=org.hr)
    stamps = list(Agent.objects.values_list("updated_at", flat=True))
    with django_assert_max_num_queries(1):
        commit_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert list(Agent.objects.values_list("updated_at", flat=True)) == stamps


def test_task_retry_after_a_crash_finishes_once(org, upload_dir):
    job = start_job("agents", upload(), user=org.hr)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)  # worker died mid-run
    run_job(job.pk)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Agent.objects.count() == 4


def test_commit_fails_cleanly_when_rights_were_lost(org, upload_dir):
    job = start_job("agents", upload(), user=org.sh_manager)
    org.sh_manager.role_assignments.all().delete()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    fresh = type(org.sh_manager).objects.get(pk=org.sh_manager.pk)
    ImportJob.objects.filter(pk=job.pk).update(created_by=fresh)
    job = run_job(job.pk)
    assert job.status == ImportStatus.FAILED and Agent.objects.count() == 0


def test_commit_replans_against_current_data(org, upload_dir):
    from ..factories import AgentFactory

    job = start_job("agents", upload(), user=org.sh_manager)
    AgentFactory(employee_no="A001", team=org.bj_after)  # appeared meanwhile, in another site
    job = commit_job(job, user=org.sh_manager)
    assert job.status == ImportStatus.FAILED
    assert any(e["row"] == 2 and e["column"] == "工号" for e in job.errors)
    assert Agent.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_database_backend_worker_runs_the_job(org, upload_dir, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    # (django-tasks resets its backends when TASKS changes)
    job = start_job("agents", upload(), user=org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        commit_job(job, user=org.hr)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and Agent.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Agent.objects.count() == 4


def test_only_roster_roles_get_jobs(org, upload_dir):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start_job("agents", upload(), user=org.lead)
    assert Role.TEAM_LEAD == "team_lead"


def _abandoned_job(org, settings, upload_dir):
    """A job left running by a worker that died: silent for longer than the lease, nothing written."""
    from datetime import timedelta

    from django.utils import timezone

    job = start_job("agents", upload(), user=org.hr)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, stage="writing",
        updated_at=timezone.now() - timedelta(minutes=settings.IMPORT_JOB_LEASE_MINUTES + 1))
    return job


def test_a_job_whose_worker_died_is_failed_kept_and_retried(org, upload_dir, settings, client):
    from zhiren.imports.recovery import fail_abandoned_jobs
    from zhiren.imports.retention import purge_stale_uploads

    job = _abandoned_job(org, settings, upload_dir)
    fresh = start_job("agents", upload("agents_gbk.csv"), user=org.hr)
    ImportJob.objects.filter(pk=fresh.pk).update(status=ImportStatus.RUNNING)  # still speaking
    result = purge_stale_uploads()
    assert result.abandoned_jobs == 1 and fail_abandoned_jobs() == 0
    job.refresh_from_db()
    assert (job.status, job.stage, job.error_count) == (ImportStatus.FAILED, "abandoned", 1)
    assert "nothing was saved" in job.errors[0]["message"]
    assert job_file(job).exists()  # kept for the retry, though the job has failed
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportStatus.RUNNING
    assert Agent.objects.count() == 0

    client.force_login(org.hr)
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-abandoned"' in page and 'data-testid="import-retry"' in page
    assert client.post(f"/imports/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.error_count == 0
    assert Agent.objects.count() == 4


def test_an_abandoned_job_can_be_discarded_and_its_file_goes_after_the_period(org, upload_dir, settings):
    from datetime import timedelta

    from django.utils import timezone

    from zhiren.imports.retention import purge_stale_uploads
    from zhiren.imports.services import discard_job

    kept, dropped = _abandoned_job(org, settings, upload_dir), _abandoned_job(org, settings, upload_dir)
    purge_stale_uploads()
    dropped.refresh_from_db()
    discard_job(dropped)
    assert not ImportJob.objects.filter(pk=dropped.pk).exists() and not job_file(dropped).exists()
    later = timezone.now() + timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS + 1)
    purge_stale_uploads(now=later)
    assert not job_file(kept).exists()
    assert Agent.objects.count() == 0


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="a worker in another process shares the test database (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_leaves_nothing_and_a_retryable_job(
    org, upload_dir, settings, django_capture_on_commit_callbacks
):
    """A real ``zhiren worker`` killed while it runs a large import: 0 rows, job failed, retry works."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from datetime import timedelta

    from django.db import connection

    from zhiren.imports.recovery import fail_abandoned_jobs, retry_job

    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_BACKGROUND_MB = 100  # previewed in the request: this test is about the commit
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    rows = "\n".join(f"K{n:06d},员工{n},sh-after,2024-03-01,1995-06-15" for n in range(120_000))
    job = start_job("agents", upload("big.csv", ("工号,姓名,班组,入职日期,生日\n" + rows + "\n").encode()),
                    user=org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        commit_job(job, user=org.hr)
    database = connection.settings_dict
    env = {**os.environ, "TASK_BACKEND": "database", "IMPORT_UPLOAD_DIR": str(upload_dir),
           "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"}
    worker = subprocess.Popen([sys.executable, "-m", "zhiren.cli", "worker", "--interval", "0.1",
                               "--no-periodic"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == ImportStatus.RUNNING:
                break
            time.sleep(0.05)
        assert job.status == ImportStatus.RUNNING, job.status
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and Agent.objects.count() == 0
    # The worker wrote its heartbeat on the real clock (the test's is set): judge from that.
    assert fail_abandoned_jobs(now=job.updated_at + timedelta(minutes=settings.IMPORT_JOB_LEASE_MINUTES - 1)) == 0
    assert fail_abandoned_jobs(now=job.updated_at + timedelta(minutes=settings.IMPORT_JOB_LEASE_MINUTES + 1)) == 1
    job.refresh_from_db()
    assert (job.status, job.stage) == (ImportStatus.FAILED, "abandoned")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = retry_job(job, user=org.hr)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Agent.objects.count() == 120_000
