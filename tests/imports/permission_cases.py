"""Permission-matrix entries for the import/export pages (see tests/permissions.py)."""

from __future__ import annotations

from zhiren.imports.models import ImportJob, ImportStatus

from ..permissions import LOGIN, NOT_FOUND, OK, REDIRECT, Case, roles


def hr_job(world) -> dict:
    """A previewed roster import uploaded by the ``hr`` user: only they may touch it."""
    job = ImportJob.objects.create(
        kind="agents",
        created_by=world.user("hr"),
        original_name="roster.csv",
        stored_name="missing.csv",
        file_format="csv",
        status=ImportStatus.PREVIEW,
    )
    return {"pk": job.pk}


ROSTER_IMPORTERS = roles(NOT_FOUND, LOGIN, hr=OK, manager=OK, admin=OK)
UPLOADER_ONLY = roles(NOT_FOUND, LOGIN, hr=OK)

CASES = {
    # Every role may export something (an agent: their own record), so the index opens.
    "imports:index": [Case(expect=roles(OK))],
    "imports:upload": [Case(kwargs=lambda w: {"kind": "agents"}, expect=ROSTER_IMPORTERS)],
    "imports:job": [Case(kwargs=hr_job, expect=UPLOADER_ONLY)],
    "imports:progress": [Case(kwargs=hr_job, expect=UPLOADER_ONLY)],
    "imports:commit": [
        Case(kwargs=hr_job, method="post", expect=roles(NOT_FOUND, LOGIN, hr=REDIRECT))
    ],
    "imports:retry": [
        Case(kwargs=hr_job, method="post", expect=roles(NOT_FOUND, LOGIN, hr=REDIRECT))
    ],
    "imports:discard": [
        Case(kwargs=hr_job, method="post", expect=roles(NOT_FOUND, LOGIN, hr=REDIRECT))
    ],
    "imports:export": [
        Case(kwargs=lambda w: {"kind": "agents", "fmt": "csv"}, expect=roles(OK)),
    ],
}
