"""Two imports of the same file at once (PostgreSQL): one saves the rows, the other fails with a message.

Each import runs in its own thread, with its own database connection. Both plan every
row as new before either writes (a barrier in the spec's ``create``), so the second to
write waits on the first's rows and then meets the unique key: it must end with a
message naming the conflict, not a ``UniqueViolation`` traceback, and nothing doubled.
"""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhiren.imports.models import ImportJob, ImportStatus
from zhiren.imports.registry import import_spec
from zhiren.imports.services import run_import, run_job, start_job
from zhiren.org.models import Agent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="two connections writing at once (PostgreSQL; CI requires it)"),
    pytest.mark.django_db(transaction=True),
]

ROWS = 200
DATA = ("工号,姓名,班组\n" + "".join(f"C{n:04d},员工{n},sh-after\n" for n in range(ROWS))).encode()


@pytest.fixture
def planned_before_written(monkeypatch):
    """Hold each import's first write until both imports have planned theirs."""
    barrier = threading.Barrier(2, timeout=60)
    spec_class = type(import_spec("agents"))
    real_create = spec_class.create
    held = threading.local()

    def create(self, objs, context):
        if not getattr(held, "done", False):
            held.done = True
            barrier.wait()
        return real_create(self, objs, context)

    monkeypatch.setattr(spec_class, "create", create)


def both(work) -> list:
    """``work(i)`` in two threads at once; each outcome, or the exception it raised."""
    outcomes: list = [None, None]

    def run(i: int) -> None:
        try:
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at what came out
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.parametrize("fast", [True, False], ids=["copy", "plain"])
def test_the_loser_of_two_imports_fails_with_a_message(org, settings, planned_before_written, fast):
    settings.IMPORT_FAST_PATHS = fast
    results = both(lambda i: run_import("agents", DATA, user=org.hr))
    assert not any(isinstance(r, Exception) for r in results), results
    winner, loser = sorted(results, key=lambda r: not r.committed)
    assert winner.committed and winner.counts()["created"] == ROWS
    assert not loser.committed and len(loser.errors) == 1
    assert "employee_no" in loser.errors[0].message and "C0" in loser.errors[0].message
    assert Agent.objects.count() == ROWS


def test_the_loser_of_two_jobs_is_failed_with_a_message(org, upload_dir, settings, planned_before_written):
    jobs = [start_job("agents", SimpleUploadedFile("same.csv", DATA), user=org.hr) for _ in range(2)]
    ImportJob.objects.update(status=ImportStatus.QUEUED)
    done = both(lambda i: run_job(jobs[i].pk))
    assert not any(isinstance(job, Exception) for job in done), done
    statuses = sorted(ImportJob.objects.values_list("status", flat=True))
    assert statuses == [ImportStatus.DONE, ImportStatus.FAILED]
    failed = ImportJob.objects.get(status=ImportStatus.FAILED)
    assert failed.error_count == 1 and "employee_no" in failed.errors[0]["message"]
    assert Agent.objects.count() == ROWS


def test_the_loser_of_two_command_line_imports_prints_no_traceback(org, tmp_path, planned_before_written):
    path = tmp_path / "same.csv"
    path.write_bytes(DATA)
    errors = [io.StringIO(), io.StringIO()]
    outcomes = both(lambda i: call_command("import", "agents", str(path), stdout=io.StringIO(), stderr=errors[i]))
    failures = [i for i, outcome in enumerate(outcomes) if outcome is not None]
    assert len(failures) == 1 and isinstance(outcomes[failures[0]], CommandError), outcomes
    printed = errors[failures[0]].getvalue()
    assert "employee_no" in printed and "Traceback" not in printed and "UniqueViolation" not in printed
    assert Agent.objects.count() == ROWS
