"""Running imports and exports: dry run, all-or-nothing commit, jobs, audit.

Entry points:
- :func:`run_import` — one call for the command line and tests: read, validate,
  plan, and (unless ``dry_run``) commit, all or nothing.
- :func:`start_job` / :func:`commit_job` / :func:`run_job` — the web flow: the
  upload is kept on disk under ``IMPORT_UPLOAD_DIR``, previewed (in the request
  up to ``IMPORT_BACKGROUND_MB``, else by a background task: :func:`check_job`),
  then committed in the request (small files) or by a background task (large ones).
- :func:`export` — write an export to a stream, with an audit event.

Files are read a chunk of rows at a time (:mod:`.streaming`), never whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tasks.base import Task

from .errors import RowError
from .exporting import export_rows, write_export
from .fast.collector import without_cycle_collection
from .limits import read_in_background, upload_size_error
from .models import ImportJob, ImportStatus
from .planning import ImportPlan
from .registry import export_spec, import_spec
from .spec import ExportContext, ExportSpec, ImportContext, ImportSpec
from .streaming import SAMPLED_CHANGES, failed_plan, read_plan
from .tables import XLSX_MAGIC, Source, TableStream

PREVIEW_CHANGES = SAMPLED_CHANGES  # changes shown on the preview page
STORED_ERRORS = 500  # errors kept on a job
UPLOAD_SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx"}
CHECKING = "checking"  # the stage of a job whose upload the task worker is checking (its dry run)


@dataclass
class ImportResult:
    """What an import did. ``plan`` is the whole plan for a file of one chunk, else a
    ``streaming.PlanSummary`` (counts, the first errors, a sample of the changes);
    ``table`` tells how the file was read (format, encoding), None when it could not be."""

    spec: ImportSpec
    plan: ImportPlan
    table: TableStream | None
    committed: bool = False

    @property
    def errors(self) -> list[RowError]:
        return self.plan.errors

    @property
    def warnings(self) -> list[RowError]:
        return self.plan.warnings

    @property
    def ok(self) -> bool:
        return not self.plan.has_errors

    def counts(self) -> dict[str, int]:
        return self.plan.counts()


def import_context(user: User | None = None) -> ImportContext:
    """The context of a run: a user's access, or the system (command line) when ``user`` is None."""
    if user is None:
        return ImportContext()
    from zhiren.org.access import load_access

    return ImportContext(user=user, access=load_access(user))


def export_context(user: User | None = None, *, options: dict[str, Any] | None = None) -> ExportContext:
    options = dict(options or {})
    if user is None:
        return ExportContext(options=options)
    from zhiren.org.access import load_access

    return ExportContext(user=user, access=load_access(user), options=options)


def _resolve(spec: ImportSpec | str) -> ImportSpec:
    return import_spec(spec) if isinstance(spec, str) else spec


def prepare_plan(
    spec: ImportSpec,
    data: Source,
    filename: str,
    context: ImportContext,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[TableStream | None, ImportPlan]:
    """Read, validate and plan (a chunk at a time): everything but writing. Never raises on bad input."""
    result: tuple[TableStream | None, ImportPlan] = read_plan(spec, data, filename, context, progress=progress)
    return result


def conflict_message(exc: Exception) -> str:
    """What to tell when the database refused an import's rows: another import or edit saved some of them
    meanwhile (two imports of one file at once). Names the conflict as the database does."""
    cause = exc.__cause__ if isinstance(exc, IntegrityError) and exc.__cause__ is not None else exc
    diag = getattr(cause, "diag", None)
    detail = (getattr(diag, "message_detail", None) or getattr(diag, "message_primary", None) or str(cause))
    return str(_(
        "Another import or edit saved some of the same rows while this import ran (%(detail)s); nothing was "
        "imported. Import the file again: it will be checked against the rows saved meanwhile."
    ) % {"detail": " ".join(str(detail).split())})


def _integrity_errors() -> tuple[type[Exception], ...]:
    """Django's ``IntegrityError`` and the driver's own (a PostgreSQL ``COPY`` raises psycopg's unwrapped)."""
    driver = getattr(connection, "Database")  # noqa: B009 - the DB-API module; not in Django's stubs
    return (IntegrityError, driver.IntegrityError)


def _check_permission(spec: ImportSpec, context: ImportContext) -> None:
    if not context.is_system and not spec.may_import(context.access):
        raise PermissionDenied(_("You may not import %(label)s.") % {"label": spec.label})


def _audit_import(
    spec: ImportSpec,
    plan: ImportPlan,
    context: ImportContext,
    *,
    request: HttpRequest | None = None,
    job: ImportJob | None = None,
) -> None:
    from zhiren.audit.models import AuditAction
    from zhiren.audit.services import record

    counts = plan.counts()
    record(
        actor=context.user,
        action=AuditAction.IMPORT,
        object_type=spec.object_type,
        object_id=job.pk if job is not None else None,
        fields=plan.changed_fields(),
        purpose=f"import {spec.kind}: {counts['created']} created, {counts['updated']} updated",
        request=request,
    )


@without_cycle_collection  # the whole import: a collection between its steps walks every row read
def run_import(
    spec: ImportSpec | str,
    data: Source,
    filename: str = "",
    *,
    user: User | None = None,
    dry_run: bool = False,
    request: HttpRequest | None = None,
    progress: Callable[[int, int], None] | None = None,
    options: dict[str, Any] | None = None,
) -> ImportResult:
    """Import a file (its bytes or its path): validate every row, then write all rows or none.

    The file is read, checked and written a chunk of rows at a time in one transaction,
    rolled back at the first error (``streaming``). With ``dry_run`` nothing is written;
    the result tells what would change. ``user`` None means the system (command line)
    with full rights. ``options`` configure the spec for this run (``spec.with_options``),
    e.g. ``{"mapping": "my-acd"}``; an unknown option value raises ``LookupError``.
    Another import saving the same rows meanwhile fails this one with a message
    (:func:`conflict_message`), not an exception.
    """
    spec = _resolve(spec).with_options(options)
    context = import_context(user)
    _check_permission(spec, context)
    if dry_run:
        table, plan = prepare_plan(spec, data, filename, context, progress)
        return ImportResult(spec=spec, plan=plan, table=table)
    try:
        with transaction.atomic():
            table, plan = read_plan(spec, data, filename, context, write=True, progress=progress)
            committed = not plan.has_errors and plan.has_changes
            if committed:
                _audit_import(spec, plan, context, request=request)
            else:
                transaction.set_rollback(True)  # the chunks written before the first error
    except _integrity_errors() as exc:
        return ImportResult(spec=spec, plan=failed_plan(conflict_message(exc)), table=None)
    return ImportResult(spec=spec, plan=plan, table=table, committed=committed)


# --- jobs: the web flow --------------------------------------------------------------


def upload_dir() -> Path:
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file(job: ImportJob) -> Path:
    # stored_name is generated by us (uuid + fixed suffix), never taken from the client.
    return upload_dir() / job.stored_name


def _preview_rows(spec: ImportSpec, plan: ImportPlan) -> list[dict[str, Any]]:
    header = plan.validation.header
    labels = {key: header.header_for(key) for key in header.keys}
    rows: list[dict[str, Any]] = []
    merged = sorted(plan.creates[:PREVIEW_CHANGES] + plan.updates[:PREVIEW_CHANGES], key=lambda c: c.row)
    for change in merged[:PREVIEW_CHANGES]:
        if change.obj is None:
            fields = [
                {"column": labels[k], "old": "", "new": spec.column(k).display(v)}
                for k, v in change.values.items()
            ]
        else:
            fields = [
                {
                    "column": labels[k],
                    "old": spec.column(k).display(old),
                    "new": spec.column(k).display(new),
                }
                for k, (old, new) in change.diffs.items()
            ]
        rows.append({"row": change.row, "key": str(change.key), "action": change.action, "fields": fields})
    return rows


def _store_plan(job: ImportJob, spec: ImportSpec, plan: ImportPlan) -> None:
    counts = plan.counts()
    job.total_rows = counts["total"]
    job.created_count = counts["created"]
    job.updated_count = counts["updated"]
    job.unchanged_count = counts["unchanged"]
    job.error_count = counts["errors"]
    job.errors = [e.as_dict() for e in plan.errors[:STORED_ERRORS]]
    job.warnings = [w.as_dict() for w in plan.warnings[:STORED_ERRORS]]
    job.preview = _preview_rows(spec, plan)


def start_job(
    spec: ImportSpec | str, upload: UploadedFile[bytes], *, user: User, options: dict[str, Any] | None = None
) -> ImportJob:
    """Keep an uploaded file and dry-run it. ``upload`` is a Django ``UploadedFile``.

    The upload is copied to ``IMPORT_UPLOAD_DIR`` a block at a time (Django keeps a large
    one in a temporary file, not in memory). Up to ``IMPORT_BACKGROUND_MB`` it is dry-run
    here and the job comes back previewed; a larger one is left to the task worker
    (:func:`check_job`): the job comes back queued, in the ``checking`` stage, and its
    page shows the progress. A file over ``IMPORT_MAX_FILE_MB`` is refused unread.
    ``options`` (JSON-serialisable) are kept on the job and configure the spec again
    when the job is checked and committed.
    """
    spec = _resolve(spec).with_options(options)
    context = import_context(user)
    _check_permission(spec, context)
    upload.seek(0)
    fmt = "xlsx" if upload.read(len(XLSX_MAGIC)) == XLSX_MAGIC else "csv"
    job = ImportJob(
        kind=spec.kind,
        created_by=user,
        original_name=(upload.name or "upload")[:255],
        stored_name=f"{uuid.uuid4().hex}{UPLOAD_SUFFIXES[fmt]}",
        file_format=fmt,
        options=dict(options or {}),
    )
    too_large = upload_size_error(upload.size)
    if too_large is not None:
        _store_plan(job, spec, failed_plan(too_large))
        return _fail(job, None)
    with job_file(job).open("wb") as stored:
        for block in upload.chunks():
            stored.write(block)
    if read_in_background(upload.size or 0):
        job.status, job.stage = ImportStatus.QUEUED, CHECKING
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(check_import, job_id))
        return job
    _check(job, spec, context)
    return job


def _check(job: ImportJob, spec: ImportSpec, context: ImportContext,
           progress: Callable[[int, int], None] | None = None) -> ImportJob:
    """Dry-run a job's stored file: the job is then previewed, or failed when the file cannot be read."""
    table, plan = prepare_plan(spec, job_file(job), job.original_name, context, progress)
    _store_plan(job, spec, plan)
    job.stage = ""
    if table is None:
        job_file(job).unlink(missing_ok=True)
        return _fail(job, None)
    job.file_format = table.format
    job.encoding = table.encoding or ""
    job.status = ImportStatus.PREVIEW
    job.save()
    return job


@without_cycle_collection
def check_job(job_id: int) -> ImportJob | None:
    """The worker's half of :func:`start_job` for a large upload: dry-run it, reporting progress.

    Safe to run twice: a job that is not waiting to be checked is left alone.
    """
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.stage != CHECKING or not job.is_running:
        return job
    try:
        spec = import_spec(job.kind).with_options(job.options)
    except LookupError as exc:
        return _fail(job, exc.args[0] if exc.args else _("Unknown import options."))
    if job.created_by is None:
        return _fail(job, _("The user who uploaded this file no longer exists."))
    context = import_context(job.created_by)
    if not spec.may_import(context.access):
        return _fail(job, _("You may no longer import this kind of data."))
    if not job_file(job).exists():
        return _fail(job, _("The uploaded file is no longer available; upload it again."))
    _set_progress(job.pk, status=ImportStatus.RUNNING, processed_rows=0)

    def progress(done: int, total: int) -> None:
        _set_progress(job.pk, processed_rows=done, total_rows=total)

    return _check(job, spec, context, progress)


@task()
def check_import(job_id: int) -> None:
    """The background task of ``start_job`` for a large upload: its dry run. Declared here for the
    reason ``commit_import`` is."""
    check_job(job_id)


def commit_job(job: ImportJob, *, user: User, request: HttpRequest | None = None) -> ImportJob:
    """Confirm a previewed job: commit now (small file) or queue a background task (large)."""
    spec = import_spec(job.kind)
    _check_permission(spec, import_context(user))
    if job.status != ImportStatus.PREVIEW or job.error_count:
        return job
    if job.total_rows > settings.IMPORT_BACKGROUND_ROWS:
        with transaction.atomic():
            updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
                status=ImportStatus.QUEUED, stage="queued", processed_rows=0
            )
            if updated:
                job_id = job.pk
                transaction.on_commit(lambda: _enqueue(commit_import, job_id))
    else:
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(status=ImportStatus.QUEUED)
        run_job(job.pk, request=request)
    job.refresh_from_db()
    return job


def _enqueue(task: Task[[int], None], job_id: int) -> None:
    result = task.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def _set_progress(job_id: int, **fields: object) -> None:
    ImportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


@without_cycle_collection
def run_job(job_id: int, *, request: HttpRequest | None = None) -> ImportJob | None:
    """Commit a queued job. Safe to run twice: a finished job is left alone.

    The file is validated and planned again (the database may have changed since
    the preview), a chunk at a time, each chunk written as it passes; if any row has
    an error the transaction is rolled back, nothing is written and the job fails.
    The data and the job's ``done`` status are written in one transaction, which
    holds the job's row locked: a second run waits for it, then finds the job done.
    Another import saving the same rows meanwhile fails the job with a message.
    """
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.is_finished or job.status == ImportStatus.PREVIEW:
        return job
    try:
        spec = import_spec(job.kind).with_options(job.options)
    except LookupError as exc:
        return _fail(job, exc.args[0] if exc.args else _("Unknown import options."))
    _set_progress(job.pk, status=ImportStatus.RUNNING, stage="writing", processed_rows=0)
    path = job_file(job)
    if not path.exists():
        return _fail(job, _("The uploaded file is no longer available; upload it again."))
    if job.created_by is None:
        return _fail(job, _("The user who uploaded this file no longer exists."))
    context = import_context(job.created_by)
    if not spec.may_import(context.access):
        return _fail(job, _("You may no longer import this kind of data."))

    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.is_finished:  # another worker got here first
                return locked
            # (Progress written here would only be seen at the commit: the page shows "Saving…".)
            _table, plan = read_plan(spec, path, job.original_name, context, write=True)
            if plan.has_errors:
                transaction.set_rollback(True)  # the chunks written before the first error
            else:
                if plan.has_changes:
                    _audit_import(spec, plan, context, request=request, job=locked)
                _store_plan(locked, spec, plan)
                locked.status = ImportStatus.DONE
                locked.stage = "done"
                locked.processed_rows = locked.total_rows
                locked.finished_at = timezone.now()
                locked.save()
    except _integrity_errors() as exc:
        return _fail(job, conflict_message(exc))
    if plan.has_errors:
        _store_plan(job, spec, plan)
        return _fail(job, None)
    path.unlink(missing_ok=True)
    return locked


@task()
def commit_import(job_id: int) -> None:
    """The background task of ``commit_job``: commit a queued job; a no-op when it is already finished.

    Declared here, beside the service that enqueues it, so that this module need not import
    ``tasks`` (which re-exports it): no import cycle between the two files.
    """
    run_job(job_id)


def _fail(job: ImportJob, message: object) -> ImportJob:
    if message is not None:
        job.errors = [RowError(0, "", "", str(message)).as_dict(), *job.errors][:STORED_ERRORS]
        job.error_count = max(job.error_count, 1)
    job.status = ImportStatus.FAILED
    job.stage = "failed"
    job.finished_at = timezone.now()
    job.save()
    return job


def discard_job(job: ImportJob) -> None:
    """Drop a previewed job that the user does not commit, or an abandoned one, with its file."""
    if job.status == ImportStatus.PREVIEW or (job.status == ImportStatus.FAILED and job.stage == "abandoned"):
        job_file(job).unlink(missing_ok=True)
        job.delete()


# --- exports ---------------------------------------------------------------------------


def export(
    spec: ExportSpec | str,
    fmt: str,
    stream: BinaryIO,
    *,
    user: User | None = None,
    request: HttpRequest | None = None,
    options: dict[str, Any] | None = None,
) -> int:
    """Write an export (``csv`` or ``xlsx``) to a binary stream; returns the number of rows.

    ``options`` reach the spec as ``ExportContext.options`` (filters such as a period).
    """
    from zhiren.audit.models import AuditAction
    from zhiren.audit.services import record

    spec = export_spec(spec) if isinstance(spec, str) else spec
    context = export_context(user, options=options)
    if context.access is not None and not spec.may_export(context.access):
        raise PermissionDenied(_("You may not export %(label)s.") % {"label": spec.label})
    headers, rows = export_rows(spec, context)
    count = write_export(fmt, headers, rows, stream, title=str(spec.label))
    record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=spec.object_type,
        fields=[column.key for column in spec.columns],
        purpose=f"export {spec.kind} ({fmt}): {count} rows",
        request=request,
    )
    return count
