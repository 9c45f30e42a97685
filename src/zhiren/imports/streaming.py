"""Importing a file a chunk of rows at a time, so that memory follows the chunk, not the file.

:func:`read_plan` opens a file (:func:`.tables.open_table`: its size, and what can be
told of its rows, checked first), matches the header in its first rows, then takes
``IMPORT_CHUNK_ROWS`` rows at a time through the same validation and planning as a
whole file (:func:`.validation.validate_rows`, :func:`.planning.plan_import`). With
``write`` each chunk's plan is written as soon as it is made (:func:`.planning.write_plan`),
inside the caller's transaction, until a row has an error; the caller rolls the
transaction back when the plan it gets has errors, so an import stays all or nothing.
A dry run writes nothing and finds the same rows, changes and errors.

What a chunk cannot see of the others:

- *A key repeated across chunks.* The keys of the rows that passed are kept as 64-bit
  hashes with their row (:class:`SeenKeys`, 16 bytes a key), and a later row with one
  of them is the usual "appears twice" error. (A row with an error in one chunk does
  not count as the first of a pair; the import fails on that row anyway. Two different
  keys with the same 64-bit hash would be taken for a pair: about one chance in 10^7
  for a million keys, a refusal, never a wrong write.)
- *Work on all written rows* (``spec.after_write``, e.g. refreshing the affected days'
  rollups) runs once, after the last chunk; specs gather what it needs in
  ``context.cache``.

A file that fits in one chunk (the header's first rows plus ``IMPORT_CHUNK_ROWS``) gets
its whole :class:`~.plans.ImportPlan`, as before. A longer one gets a
:class:`PlanSummary`: the counts, the first :data:`ERRORS_KEPT` errors, the changed
field names, and the first :data:`SAMPLED_CHANGES` rows to create and to update (for the
preview), so that a million rows leave no list of a million changes behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
from django.conf import settings

from .errors import FileFormatError, RowError
from .fast.collector import without_cycle_collection
from .headers import HEADER_SCAN_ROWS, HeaderMap
from .planning import commit_plan, plan_import, write_plan
from .plans import ImportPlan
from .spec import ImportContext, ImportSpec
from .tables import Source, Table, TableStream, open_table
from .validation import ColumnRows, Validation, duplicate_error, validate, validate_rows

Progress = Callable[[int, int], None]  # (rows done, rows in all as far as known)
ERRORS_KEPT = 1000  # errors a long file's summary keeps (all are counted)
SAMPLED_CHANGES = 50  # rows to create and rows to update a summary keeps, the first of each


def failed_plan(message: Any) -> ImportPlan:
    """The plan of a file that could not be read at all: one error, naming why."""
    error = RowError(0, "", "", str(message))
    return ImportPlan(validation=Validation(header=HeaderMap(row=0), errors=[error]), errors=[error])


@dataclass
class PlanSummary(ImportPlan):
    """What the chunks of a long file planned, added up: it reads as an :class:`ImportPlan`.

    ``creates`` and ``updates`` hold the first :data:`SAMPLED_CHANGES` of each (in file
    order), ``errors`` the first :data:`ERRORS_KEPT`; :meth:`counts` counts them all.
    """

    created: int = 0
    updated: int = 0
    error_count: int = 0
    error_row_count: int = 0
    changed: set[str] = field(default_factory=set)
    chunks: int = 0

    def add(self, plan: ImportPlan) -> None:
        self.chunks += 1
        self.validation.total_rows += plan.total_rows
        self.created += len(plan.creates)
        self.updated += len(plan.updates)
        self.unchanged += plan.unchanged
        self.error_count += len(plan.errors)
        self.error_row_count += plan.error_rows
        self.errors.extend(plan.errors[: max(0, ERRORS_KEPT - len(self.errors))])
        self.changed.update(plan.changed_fields())
        self.creates.extend(plan.creates[: max(0, SAMPLED_CHANGES - len(self.creates))])
        self.updates.extend(plan.updates[: max(0, SAMPLED_CHANGES - len(self.updates))])

    @property
    def has_errors(self) -> bool:
        return bool(self.error_count)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated)

    @property
    def error_rows(self) -> int:
        return self.error_row_count

    def changed_fields(self) -> list[str]:
        return sorted(self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.error_count,
            "error_rows": self.error_row_count,
        }


class SeenKeys:
    """The keys of earlier chunks' rows, as sorted 64-bit hashes with the row each was first met in."""

    def __init__(self) -> None:
        self._hashes = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._hashes)

    @staticmethod
    def _hashed(keys: Sequence[Any]) -> np.ndarray:
        return np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))

    def first_rows(self, keys: Sequence[Any]) -> list[tuple[int, int]]:
        """``(index in keys, row first met)`` for each key met in an earlier chunk."""
        if not len(self._hashes) or not len(keys):
            return []
        hashes = self._hashed(keys)
        at = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        hits = np.flatnonzero(self._hashes[at] == hashes)
        return [(int(i), int(self._rows[at[i]])) for i in hits]

    def add(self, keys: Sequence[Any], rows: Sequence[int]) -> None:
        if not len(keys):
            return
        hashes = self._hashed(keys)
        order = np.argsort(hashes, kind="stable")
        hashes = np.concatenate((self._hashes, hashes[order]))
        numbers = np.concatenate((self._rows, np.asarray(rows, dtype=np.int64)[order]))
        order = np.argsort(hashes, kind="stable")  # two sorted runs: merged in one pass
        self._hashes, self._rows = hashes[order], numbers[order]


def _keys_and_rows(rows) -> tuple[Sequence[Any], Sequence[int]]:
    if isinstance(rows, ColumnRows):
        return rows.keys, rows.numbers
    return [row.key for row in rows], [row.row for row in rows]


def _drop_repeated_keys(validation: Validation, spec: ImportSpec, seen: SeenKeys) -> None:
    """Turn rows whose key an earlier chunk had into "appears twice" errors, as one pass over the file would."""
    keys, numbers = _keys_and_rows(validation.rows)
    repeated = seen.first_rows(keys)
    if not repeated:
        return
    header = validation.header
    dropped = set()
    for index, first in repeated:
        validation.errors.append(duplicate_error(header, spec.key, keys[index], first, numbers[index]))
        dropped.add(index)
    validation.errors.sort()
    validation.rows = [row for index, row in enumerate(validation.rows) if index not in dropped]


def _shifted(progress: Progress | None, done_before: int, estimate: int | None) -> Progress | None:
    """A chunk's progress as the file's: rows done before it added, the total as far as known."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(done_before + done, max(estimate or 0, done_before + total))

    return report


@without_cycle_collection
def read_plan(
    spec: ImportSpec,
    source: Source,
    filename: str,
    context: ImportContext,
    *,
    write: bool = False,
    progress: Progress | None = None,
    chunk_rows: int | None = None,
) -> tuple[TableStream | None, ImportPlan]:
    """Read, validate and plan a file a chunk at a time; with ``write``, write each chunk's plan as well.

    Never raises on bad input: a file that cannot be read (or breaks a limit) gives a
    plan with that one error and no stream. With ``write`` call it inside
    ``transaction.atomic()`` and roll back when the plan has errors: the chunks before
    the first error were written.
    """
    chunk_rows = max(1, chunk_rows or settings.IMPORT_CHUNK_ROWS)
    try:
        stream = open_table(source, filename)
    except FileFormatError as exc:
        return None, failed_plan(exc.message)
    with stream:
        try:
            return stream, _read_chunks(spec, stream, context, write, progress, chunk_rows)
        except FileFormatError as exc:  # found while reading: a malformed CSV, a limit, unsaved formulas
            return None, failed_plan(exc.message)


def _read_chunks(
    spec: ImportSpec, stream: TableStream, context: ImportContext, write: bool,
    progress: Progress | None, chunk_rows: int,
) -> ImportPlan:
    rows = stream.rows()
    estimate = stream.estimated_rows
    spec.prepare(context)
    head = list(islice(rows, HEADER_SCAN_ROWS + chunk_rows))
    first = Table(format=stream.format, encoding=stream.encoding, rows=head, delimiter=stream.delimiter)
    validation = validate(first, spec, context, _shifted(progress, 0, estimate))
    if validation.header.errors or len(head) < HEADER_SCAN_ROWS + chunk_rows:
        plan = plan_import(spec, validation, context)  # the whole file, or a header that stops it
        if write and not plan.has_errors and plan.has_changes:
            commit_plan(spec, plan, context)
        return plan
    header = validation.header
    summary = PlanSummary(validation=Validation(header=header))
    seen = SeenKeys()
    writing = write
    done = 0
    while True:
        _drop_repeated_keys(validation, spec, seen)
        plan = plan_import(spec, validation, context)
        summary.add(plan)
        writing = writing and not summary.has_errors
        if writing and plan.has_changes:
            write_plan(spec, plan, context)
        done += validation.total_rows
        seen.add(*_keys_and_rows(validation.rows))
        del plan, validation  # before the next chunk is read: one chunk's rows alive at a time
        chunk = list(islice(rows, chunk_rows))
        if not chunk:
            break
        validation = validate_rows(header, chunk, spec, context, _shifted(progress, done, estimate))
        del chunk
    if writing and summary.has_changes:
        spec.after_write(summary, context)
    return summary
