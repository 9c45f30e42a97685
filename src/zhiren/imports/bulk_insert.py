"""Inserting many new rows fast; shared by imports and bulk evaluations.

Django's ``bulk_create`` on SQLite sends at most 999 parameters per statement
(about 80 rows of a ten-column table) and compiles every value through the
field; an import or a month of attendance is tens of thousands of rows. On SQLite this module converts
the few column types our models use directly and streams the rows with one
``executemany``; other databases use ``bulk_create`` (PostgreSQL takes large
batches). Callers run inside a transaction. Primary keys are not set on the
objects afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, models
from django.utils import timezone


def _sqlite_value(field: models.Field, value):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        # What Django's SQLite backend stores: naive UTC, ISO format with a space.
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if kind == "DateField":
        return value.isoformat()
    if kind == "BooleanField":
        return int(value)
    if kind in ("CharField", "TextField", "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField",
                "BigIntegerField", "ForeignKey", "SlugField", "FloatField"):
        return value
    return field.get_db_prep_save(value, connection)


def row_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns of a row tuple for :func:`insert_rows`: concrete fields but the primary key."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def insert_rows(model: type[models.Model], rows: list[tuple], batch_size: int = 2000) -> None:
    """Insert plain tuples in :func:`row_fields` order, with no model instances.

    PostgreSQL streams them with ``COPY``, SQLite with one ``executemany``; other
    databases fall back to ``bulk_create``. Values must already be what the
    fields hold (defaults and ``auto_now`` filled in by the caller).
    """
    if not rows:
        return
    fields = row_fields(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - fixed identifiers
                for row in rows:
                    copy.write_row(row)
        return
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - fixed identifiers
        with connection.cursor() as cursor:
            cursor.executemany(
                sql, ([_sqlite_value(f, v) for f, v in zip(fields, row, strict=True)] for row in rows)
            )
        return
    names = [f.attname for f in fields]
    model._default_manager.bulk_create(
        [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=batch_size
    )


def insert(model: type[models.Model], objs: list[models.Model], batch_size: int = 2000) -> None:
    """Insert unsaved instances: fast on SQLite, ``bulk_create`` elsewhere. Primary keys stay unset."""
    if not objs:
        return
    if connection.vendor != "sqlite":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    now = timezone.now()
    fields = row_fields(model)
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    names = [f.attname for f in fields]
    insert_rows(model, [tuple(getattr(o, name) for name in names) for o in objs], batch_size)
