"""The task paths on django-tasks' RQ backend, run by real ``zhiren worker`` processes on Redis.

Imports, roster drafts, digests, the nightly wellbeing run and the purge are enqueued the way the
app enqueues them, then run by one worker or by two on the same queue: every job runs exactly once
(RQ keeps one result per execution) and the outcome is the same. Slow: each test starts worker
processes (Django, then a work-horse per job) and solves two small rosters.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django_tasks_rq import Job as TaskJob
from rq import Queue, Worker
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from . import scenario

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

IMPORTS = 6
DIGEST_DAYS = 8
KILLED_ROWS = 20_000  # long enough to be seen running, on SQLite and PostgreSQL


def expected_outcome(imports: int, digest_days: int) -> dict:
    teams = {"a1": 2, "a2": 1, "b1": 1}
    for n in range(imports):
        teams[("a1", "a2", "b1")[n % 3]] += 30
    return {
        "imports": sorted((f"K{n}.csv", "done", 30) for n in range(imports)),
        "agents": sorted(teams.items()),
        "drafts": [("site-a", "ready", True), ("site-b", "ready", True)],
        "digests": sorted(
            (scenario.NIGHT - timedelta(days=n), "email") for n in range(digest_days)
        ),
        "nightly": [scenario.NIGHT],
        "ancient_moods": 0,
    }


def until(condition, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)


def jobs_of(client) -> list[Job]:
    queue = Queue("default", connection=client)
    ids = (
        FinishedJobRegistry(queue=queue).get_job_ids()
        + FailedJobRegistry(queue=queue).get_job_ids()
    )
    return [Job.fetch(job_id, connection=client) for job_id in ids]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_runs_exactly_once_with_one_worker_or_two(
    workers, shared_db, rq_backend, zhiren, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 10  # these files are committed by a worker
    world = scenario.seed()
    # The workers wait on the queue before the jobs arrive, so that each takes a share.
    for n in range(workers):
        zhiren.start("worker", "--no-periodic", name=f"worker{n}")
    until(lambda: len(Worker.all(connection=rq_backend)) == workers, "the workers to start")
    scenario.queue_everything(world, imports=IMPORTS, digest_days=DIGEST_DAYS)
    expected = IMPORTS + 2 + DIGEST_DAYS + 2 + 2  # and a forecast score per roster job
    until(lambda: len(jobs_of(rq_backend)) == expected, f"{expected} jobs to finish")

    jobs = jobs_of(rq_backend)
    assert Counter(job.func_name.rsplit(".", 1)[1] for job in jobs) == {
        "commit_import": IMPORTS,
        "generate_roster": 2,
        "send_daily_digests": DIGEST_DAYS,
        "nightly_evaluation": 1,
        "purge_personal_data": 1,
        "score_forecast": 2,  # enqueued by the roster jobs: each site's first forecast
    }
    runs = {job.id: [(r.type.name, r.worker_name) for r in job.results()] for job in jobs}
    failures = [r.exc_string for job in jobs for r in job.results() if r.type.name != "SUCCESSFUL"]
    assert not failures, failures[0]
    assert all(len(results) == 1 for results in runs.values()), runs
    assert len({results[0][1] for results in runs.values()}) == workers  # each worker took some
    result = scenario.outcome()
    result["nightly"] = [day for day, _agents in result["nightly"]]  # agents: depends on the order
    assert result == expected_outcome(IMPORTS, DIGEST_DAYS)


def test_a_worker_killed_mid_import_leaves_nothing_and_a_visible_failure(
    shared_db, rq_backend, zhiren, settings
):
    """SIGKILL to a worker (and its work-horse) in the middle of a large import: no row written, the
    RQ job failed as abandoned, the import failed as abandoned once its lease passes, and the retry
    on a new worker imports every row."""
    from rq.registry import StartedJobRegistry

    from zhiren.imports.models import ImportStatus
    from zhiren.imports.recovery import fail_abandoned_jobs, lease, retry_job
    from zhiren.org.models import Agent

    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_BACKGROUND_MB = 100  # previewed here: this test is about the commit
    world = scenario.seed()
    before = Agent.objects.count()
    job = scenario.queue_import(world, "BIG", "a1", KILLED_ROWS)
    worker = zhiren.start("worker", "--no-periodic", name="killed")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status != ImportStatus.QUEUED:
            break
        time.sleep(0.05)
    assert job.status == ImportStatus.RUNNING, job.status
    settings.VAR_DIR = zhiren.env["ZHIREN_VAR_DIR"]  # the worker's heartbeat: `zhiren worker_alive`
    call_command("worker_alive", "--max-age", "60")
    zhiren.kill(worker)  # the worker and its work-horse, mid-job
    with pytest.raises(CommandError):
        call_command("worker_alive", "--max-age", "60")

    job.refresh_from_db()
    # nothing half-applied:
    assert job.status == ImportStatus.RUNNING and Agent.objects.count() == before
    queue = Queue("default", connection=rq_backend, job_class=TaskJob)
    started = StartedJobRegistry(queue=queue, job_class=TaskJob)  # as a worker's maintenance does
    assert started.get_job_ids() == [job.task_id]
    # RQ's maintenance fails a started job once its execution expires (the worker's last heartbeat
    # plus a margin); this test does not wait for that moment but runs the same clean-up at it.
    # (The workers' clock, not this test's: the registry holds real Unix times.)
    [(_entry, expires)] = rq_backend.zrange(started.key, 0, -1, withscores=True)
    started.cleanup(timestamp=expires)
    rq_job = Job.fetch(job.task_id, connection=rq_backend)
    assert (
        rq_job.get_status() == "failed"
        and job.task_id in FailedJobRegistry(queue=queue).get_job_ids()
    )
    assert rq_job.latest_result().type.name == "FAILED"

    assert fail_abandoned_jobs(now=job.updated_at + lease() + timedelta(minutes=1)) == 1
    job.refresh_from_db()
    assert (job.status, job.stage) == (ImportStatus.FAILED, "abandoned")
    job = retry_job(job, user=world.hr)
    zhiren.wait(zhiren.start("worker", "--batch", "--no-periodic", name="retry"), timeout=300)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors[:2]
    assert Agent.objects.count() == before + KILLED_ROWS
