"""Inserting many new rows fast: the fast path of :mod:`zhiren.imports.bulk_insert`.

Django's ``bulk_create`` compiles every value through its field and, on SQLite,
sends at most 999 parameters per statement (about 80 rows of a ten-column
table); an import or a month of attendance is tens of thousands of rows, a
contact export a million. This module streams plain row tuples instead:
PostgreSQL gets a binary ``COPY`` (psycopg's C dumpers, typed from the fields'
column types; JSON values wrapped as the field does), SQLite multi-row
``INSERT`` statements with the few column types our models use converted
directly. PostgreSQL checks foreign keys with its own triggers, row by row, as
for any insert. Callers run inside a transaction. Primary keys are not set.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import chain, islice
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

from ..rows import RowColumns


def _columns_of(rows: Sequence[tuple]) -> list:
    """The columns of row tuples: a :class:`RowColumns`' own, else transposed."""
    if isinstance(rows, RowColumns):
        return list(rows.columns)
    return list(zip(*rows, strict=True))


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores: naive UTC, ISO format with a space.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


_sqlite_date = dt.date.isoformat  # what Django's SQLite backend stores for a date (called in C)


_SQLITE_AS_IS = {
    "CharField", "TextField", "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField", "SmallIntegerField",
    "BigIntegerField", "ForeignKey", "OneToOneField", "SlugField", "FloatField", "BooleanField",
}


def _sqlite_converter(field: models.Field):
    """How a non-null value of ``field`` is sent to SQLite: None when as it is."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _sqlite_datetime
    if kind == "DateField":
        return _sqlite_date
    if kind in _SQLITE_AS_IS:  # sqlite3 stores bool as 0/1 itself
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _json_fields(fields: list[models.Field]) -> list[tuple[int, models.Field]]:
    return [(i, f) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]


def convert_column(column, convert, *, convert_none: bool = False) -> list:
    """``convert`` applied to every value of a column, each distinct value converted once.

    The distinct values are found and spread back over the column in C (``dict.fromkeys``, ``map``); a
    column with an unhashable value is converted value by value. None is kept as it is unless
    ``convert_none``. Equal values convert alike (fine for one column of one type: dates, times, ints).
    """
    try:
        memo = dict.fromkeys(column)
    except TypeError:  # unhashable (a list from a JSON document)
        return [None if value is None and not convert_none else convert(value) for value in column]
    keep_none = not convert_none and None in memo
    if keep_none:
        del memo[None]
    memo = dict(zip(memo, map(convert, memo), strict=True))  # in C when ``convert`` is
    if keep_none:
        memo[None] = None
    return list(map(memo.__getitem__, column))


def _json_column(column: tuple, field: models.Field) -> list:
    """A JSON column's values as SQLite text (see :func:`_json_values`)."""
    adapt_json = connection.ops.adapt_json_value  # what JSONField.get_db_prep_save ends in
    encoder = field.encoder
    return _json_values(column, lambda value: adapt_json(value, encoder))


def _sqlite_params(fields: list[models.Field], rows: Sequence[tuple]) -> Iterable[tuple]:
    """The rows as SQLite parameters, converted a column at a time (an iterator of tuples)."""
    converters = {i: _sqlite_converter(f) for i, f in enumerate(fields)}
    converters = {i: c for i, c in converters.items() if c is not None}
    if not converters:
        return rows
    columns = _columns_of(rows)
    for i, convert in converters.items():
        if fields[i].get_internal_type() == "JSONField":
            columns[i] = _json_column(columns[i], fields[i])
        elif convert is _sqlite_datetime or convert is _sqlite_date:
            columns[i] = convert_column(columns[i], convert)
        else:  # a field's own conversion: values equal as keys (1 and 1.0) may convert differently
            columns[i] = [None if value is None else convert(value) for value in columns[i]]
    return zip(*columns, strict=True)


SQLITE_ROWS_PER_STATEMENT = 500


def _sqlite_insert(insert_into: str, fields: list[models.Field], rows: Sequence[tuple]) -> None:
    """Rows inserted many to a statement (``VALUES (…), (…), …``), as many as SQLite takes parameters for.

    One statement per row (``executemany``) costs SQLite a statement's set-up and tear-down per row
    (the AUTOINCREMENT counter read and written back, a statement journal): a third of the time.
    Statements go to sqlite3 as they are: Django's cursor rewrites ``%s`` marks on every call (half a
    millisecond for 500 rows). Only while queries are being logged (DEBUG, a test counting them) or
    watched (``connection.execute_wrapper``) do they go through Django's cursor, to be seen there.
    """
    width = len(fields)
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // width))
    logged = connection.queries_logged or bool(connection.execute_wrappers)
    row_marks = "(" + ", ".join(["%s" if logged else "?"] * width) + ")"
    full_sql = insert_into + ", ".join([row_marks] * per_statement)
    params = iter(_sqlite_params(fields, rows))
    with connection.cursor() as cursor, connection.wrap_database_errors:
        execute = cursor.execute if logged else partial(sqlite3.Cursor.execute, cursor.cursor)
        while chunk := list(islice(params, per_statement)):
            sql = full_sql if len(chunk) == per_statement else insert_into + ", ".join([row_marks] * len(chunk))
            execute(sql, list(chain.from_iterable(chunk)))


# Binary COPY type of a column, by the start of the field's ``db_type`` on PostgreSQL.
_PG_COPY_TYPES = {
    "bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool", "date": "date",
    "timestamp with time zone": "timestamptz", "time": "time", "interval": "interval", "text": "text",
    "varchar": "text", "jsonb": "jsonb", "double precision": "float8", "numeric": "numeric", "uuid": "uuid",
}


def _pg_copy_types(fields: list[models.Field]) -> list[str] | None:
    """The binary COPY types of ``fields``' columns, or None when one is not in the table above."""
    types = []
    for f in fields:
        name = _PG_COPY_TYPES.get((f.db_type(connection) or "").split("(", 1)[0].strip())
        if name is None:
            return None
        types.append(name)
    return types


def _json_values(column: tuple, dumps, prefix: bytes | None = None) -> list:
    """A JSON column's values dumped once per distinct list of texts; None stays SQL NULL (as ``JSONField``
    saves it).

    With ``prefix`` the text is encoded and prefixed: ``b"\\x01"`` makes jsonb's binary wire format.
    """

    def dump(value):
        if value is None:
            return None
        text = dumps(value)
        return text if prefix is None else prefix + text.encode()

    if set(map(type, column)) <= {list, type(None)}:
        keys = [None if value is None else tuple(value) for value in column]
        try:
            distinct = dict.fromkeys(keys)
        except TypeError:  # a list holding a list or a dict
            distinct = None
        # Only lists of texts are taken as equal by their items: [1] and [True] are equal keys, not equal JSON.
        if distinct is not None and all(type(v) is str for key in distinct if key is not None for v in key):
            for key in distinct:
                distinct[key] = dump(None if key is None else list(key))
            return list(map(distinct.__getitem__, keys))
    memo: dict[tuple, Any] = {}  # mixed or nested values: one at a time, lists of texts still dumped once
    out = []
    for value in column:
        key = tuple(value) if type(value) is list and all(type(v) is str for v in value) else None
        found = memo.get(key) if key is not None else None
        if found is None:
            found = dump(value)
            if key is not None:
                memo[key] = found
        out.append(found)
    return out


def _copy_rows(model: type[models.Model], fields: list[models.Field], rows: Sequence[tuple]) -> None:
    """``COPY … FROM STDIN`` in binary format; text format for a column type we do not map."""
    from django.db.backends.postgresql.operations import get_json_dumps
    from psycopg.types.json import Jsonb

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    types = _pg_copy_types(fields)
    json_fields = _json_fields(fields)
    by_column = _columns_of(rows) if json_fields else None
    if json_fields:
        # JSON is dumped with the field's encoder (as JSONField does), once per distinct list of codes.
        # In binary COPY it goes as jsonb's wire format (version byte 1, then the text) declared as
        # bytea, so psycopg sends the bytes as they are; in text COPY wrapped as psycopg's Jsonb.
        for i, f in json_fields:
            dumps = get_json_dumps(f.encoder)
            if types is not None:
                types[i] = "bytea"
                by_column[i] = _json_values(by_column[i], dumps, prefix=b"\x01")
            else:
                by_column[i] = [None if v is None else Jsonb(v, dumps=dumps) for v in by_column[i]]
        rows = zip(*by_column, strict=True)
    options = " (FORMAT BINARY)" if types is not None else ""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        if json_fields and types is not None:
            # By type name, bytea gets the last dumper registered for it: psycopg's DB-API ``Binary`` one,
            # a Python class called per value. Its own bytes dumper (C with psycopg-binary) on this cursor.
            from psycopg.types.string import BytesBinaryDumper

            raw.adapters.register_dumper(bytes, BytesBinaryDumper)
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN{options}") as copy:  # noqa: S608 - fixed identifiers
            if types is not None:
                copy.set_types(types)
            write = copy.write_row
            for row in rows:
                write(row)


def takes_rows(conn) -> bool:
    """Whether this module inserts row tuples on ``conn``'s database (PostgreSQL and SQLite)."""
    return conn.vendor in ("postgresql", "sqlite")


def takes_instances(conn, fields: list[models.Field]) -> bool:
    """Whether instances with these fields are inserted here: SQLite, or PostgreSQL when ``COPY`` knows every
    column's type (the rows of instances are not converted for text ``COPY``)."""
    return conn.vendor == "sqlite" or (conn.vendor == "postgresql" and _pg_copy_types(fields) is not None)


def insert_rows(model: type[models.Model], fields: list[models.Field], rows: Sequence[tuple]) -> None:
    """Insert plain tuples of ``fields`` (a list, or :class:`RowColumns`) on PostgreSQL or SQLite.

    PostgreSQL streams them with ``COPY``, SQLite with multi-row ``INSERT`` statements. Values must already be
    what the fields hold (defaults and ``auto_now`` filled in by the caller).
    """
    if connection.vendor == "postgresql":
        _copy_rows(model, fields, rows)
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    _sqlite_insert(f"INSERT INTO {table} ({columns}) VALUES ", fields, rows)  # noqa: S608 - fixed identifiers


def instance_rows(fields: list[models.Field], objs: list[models.Model]) -> list[tuple]:
    """Unsaved instances as row tuples of ``fields``, with ``auto_now`` / ``auto_now_add`` set to now (as
    ``save`` would); other values as the instances hold them."""
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    getter = attrgetter(*[f.attname for f in fields])
    if len(fields) == 1:
        return [(getter(o),) for o in objs]
    return list(map(getter, objs))
