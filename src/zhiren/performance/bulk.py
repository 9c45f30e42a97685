"""Writing many contacts fast: PostgreSQL ``COPY``, ``bulk_create`` elsewhere.

A million-row import spends most of its write time in per-row ``INSERT``
statements; ``COPY … FROM STDIN`` streams the rows instead. Both paths write
the same columns; callers run inside the import's transaction.
"""

from __future__ import annotations

from django.db import connection

from .models import Interaction

COPY_FIELDS = [
    f for f in Interaction._meta.concrete_fields if not f.primary_key
]


def bulk_insert_interactions(objs: list[Interaction], batch_size: int = 2000) -> None:
    if not objs:
        return
    if connection.vendor != "postgresql":
        Interaction.objects.bulk_create(objs, batch_size=batch_size)
        return
    table = connection.ops.quote_name(Interaction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in COPY_FIELDS)
    attnames = [f.attname for f in COPY_FIELDS]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - fixed identifiers
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in attnames])
