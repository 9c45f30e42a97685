"""Inserting many new rows fast on SQLite; shared by imports and bulk evaluations.

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


def insert(model: type[models.Model], objs: list[models.Model], batch_size: int = 2000) -> None:
    if not objs:
        return
    if connection.vendor != "sqlite":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - fixed identifiers
    attnames = [(f, f.attname) for f in fields]
    with connection.cursor() as cursor:
        cursor.executemany(sql, ([_sqlite_value(f, getattr(o, name)) for f, name in attnames] for o in objs))
