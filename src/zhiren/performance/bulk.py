"""New contacts as row tuples, for :func:`zhiren.imports.bulk_insert.insert_rows`.

A million-row import would spend most of its time building model instances and
per-value conversions in ``bulk_create``; the import spec builds plain tuples in
:data:`COLUMNS` order instead. Callers run inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhiren.imports.bulk_insert import insert_rows
from zhiren.imports.rows import row_fields

from .models import Interaction

FIELDS = row_fields(Interaction)
COLUMNS = [f.attname for f in FIELDS]  # the order of a row tuple
DEFAULTS = {f.attname: f.get_default() for f in FIELDS}


def bulk_insert_rows(rows: Sequence[tuple], batch_size: int = 2000) -> None:
    insert_rows(Interaction, rows, batch_size)
