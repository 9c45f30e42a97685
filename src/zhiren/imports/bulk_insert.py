"""Inserting many new rows; shared by imports and bulk evaluations (attendance, violations).

The reference path is Django's ``bulk_create``. With the fast paths on
(:mod:`.fast`), PostgreSQL and SQLite get the rows streamed as plain tuples
instead (:mod:`.fast.inserts`); other databases always take ``bulk_create``.
Callers run inside a transaction. Primary keys are not set on the objects
afterwards (the reference path may set them; do not rely on either).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

from . import fast
from .fast import inserts
from .rows import RowColumns, row_fields

__all__ = ["RowColumns", "insert", "insert_rows", "row_fields"]


def insert_rows(model: type[models.Model], rows: Sequence[tuple[Any, ...]], batch_size: int = 2000) -> None:
    """Insert plain tuples in :func:`row_fields` order (a list, or :class:`RowColumns`).

    Values must already be what the fields hold (defaults and ``auto_now`` filled in by the caller).
    """
    if not rows:
        return
    fields = row_fields(model)
    if fast.enabled() and inserts.takes_rows(connection):
        inserts.insert_rows(model, fields, rows)
        return
    names = [f.attname for f in fields]
    manager = model._default_manager
    remaining = iter(rows)  # instances made a batch at a time: a million rows never live as objects at once
    while batch := list(islice(remaining, batch_size)):
        manager.bulk_create([model(**dict(zip(names, row, strict=True))) for row in batch], batch_size=batch_size)


def insert(model: type[models.Model], objs: list[models.Model], batch_size: int = 2000) -> None:
    """Insert unsaved instances.

    Fields' ``auto_now`` / ``auto_now_add`` are set to now, as ``save`` would;
    other values are taken from the instances as they are (their defaults were
    filled in when they were created).
    """
    if not objs:
        return
    fields = row_fields(model)
    if fast.enabled() and inserts.takes_instances(connection, fields):
        inserts.insert_rows(model, fields, inserts.instance_rows(fields, objs))
        return
    model._default_manager.bulk_create(objs, batch_size=batch_size)
