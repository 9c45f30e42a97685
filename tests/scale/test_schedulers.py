"""Periodic jobs are started once per period however many workers schedule them.

Two ``zhiren worker`` processes start at the same moment, each scheduling the periodic jobs
(``core.periodic``) before it works the queue: each job is enqueued and run once. One more
started afterwards finds nothing due. Slow: it starts three worker processes.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from zhiren.core.models import PeriodicRun
from zhiren.core.registries import periodic_jobs

from . import scenario

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def ran(client) -> Counter:
    queue = Queue("default", connection=client)
    failed = FailedJobRegistry(queue=queue).get_job_ids()
    assert not failed, Job.fetch(failed[0], connection=client).latest_result().exc_string
    jobs = [Job.fetch(i, connection=client) for i in FinishedJobRegistry(queue=queue).get_job_ids()]
    assert all(len(job.results()) == 1 for job in jobs)
    return Counter(job.func_name.rsplit(".", 1)[1] for job in jobs)


def test_two_schedulers_started_at_once_start_each_job_once(shared_db, rq_backend, zhiren):
    scenario.seed()
    names = sorted(entry.name for entry in periodic_jobs.entries())
    assert names == [
        "attrition_refit", "digests", "hire_figures", "huddles", "purge", "survey_reminders",
        "wellbeing_nightly",
    ]
    first = [zhiren.start("worker", "--batch", name=f"scheduler{n}") for n in range(2)]
    zhiren.wait(*first, timeout=300)
    once = {
        "refit_attrition_model": 1,
        "refresh_hire_figures": 1,
        "send_daily_digests": 1,
        "plan_huddles": 1,
        "purge_personal_data": 1,
        "nightly_evaluation": 1,
        "send_survey_reminders": 1,
    }
    assert ran(rq_backend) == once
    runs = dict(PeriodicRun.objects.values_list("name", "started_at"))
    assert sorted(runs) == names and all(runs.values())

    zhiren.wait(zhiren.start("worker", "--batch", name="later"), timeout=300)
    assert ran(rq_backend) == once  # nothing was due yet
    assert dict(PeriodicRun.objects.values_list("name", "started_at")) == runs
