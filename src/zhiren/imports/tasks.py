"""Background tasks of the import framework. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def commit_import(job_id: int) -> None:
    """Commit a queued import job; a no-op when the job is already finished."""
    from .services import run_job

    run_job(job_id)
