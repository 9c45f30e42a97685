"""Writing many new contacts fast: rows as tuples, PostgreSQL ``COPY``, SQLite ``executemany``.

A million-row import would spend most of its time building model instances and
per-value conversions in ``bulk_create``; the import spec builds plain tuples in
:data:`COLUMNS` order instead and this module streams them. Other databases go
through ``bulk_create``. Callers run inside the import's transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .models import Interaction

FIELDS = [f for f in Interaction._meta.concrete_fields if not f.primary_key]
COLUMNS = [f.attname for f in FIELDS]  # the order of a row tuple
DEFAULTS = {f.attname: f.get_default() for f in FIELDS}
_DATETIME_POSITIONS = [i for i, f in enumerate(FIELDS) if f.get_internal_type() == "DateTimeField"]
_DATE_POSITIONS = [i for i, f in enumerate(FIELDS) if f.get_internal_type() == "DateField"]


def _sqlite_rows(rows):
    utc = dt.UTC
    for row in rows:
        values = list(row)
        for i in _DATETIME_POSITIONS:
            value = values[i]
            if value is not None:
                # What Django's SQLite backend stores: naive UTC, ISO format with a space.
                values[i] = value.astimezone(utc).replace(tzinfo=None).isoformat(" ")
        for i in _DATE_POSITIONS:
            if values[i] is not None:
                values[i] = values[i].isoformat()
        yield values


def bulk_insert_rows(rows: list[tuple], batch_size: int = 2000) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Interaction._meta.db_table)
    columns = ", ".join(quote(f.column) for f in FIELDS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - fixed identifiers
                for row in rows:
                    copy.write_row(row)
        return
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * len(FIELDS))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", _sqlite_rows(rows))  # noqa: S608
        return
    objs = [Interaction(**dict(zip(COLUMNS, row, strict=True))) for row in rows]
    Interaction.objects.bulk_create(objs, batch_size=batch_size)
