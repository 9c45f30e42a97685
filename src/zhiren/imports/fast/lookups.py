"""Filtering on many keys in one query, with one parameter: the fast path of :mod:`zhiren.imports.lookups`.

An import looks up tens or hundreds of thousands of external keys. A plain
``__in`` sends one parameter per key (SQLite caps them at 999 per statement,
and building and converting a statement of 10,000 parameters costs more than
running it). :class:`AnyOf` sends the keys as one parameter: on PostgreSQL one
delimited text split by ``string_to_array`` (an array when a key holds the
delimiter), on SQLite one JSON list (``IN (SELECT value FROM json_each(%s))``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import NotSupportedError
from django.db.models import F, Lookup, QuerySet

_SEPARATOR = "\x1f"  # ASCII unit separator: never in a key typed or exported by a person


class AnyOf(Lookup):
    """``lhs`` equals one of the values in ``rhs`` (a list of str or int), as a filter expression."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        kinds = set(map(type, values))
        # Sent as one delimited text split by the server: adapting a Python list of 100,000
        # values element by element costs more than the query itself.
        if kinds == {int}:
            return f"{lhs} = ANY(string_to_array(%s, ',')::bigint[])", [*lhs_params, ",".join(map(str, values))]
        if kinds == {str}:
            text = _SEPARATOR.join(values)
            if text.count(_SEPARATOR) == len(values) - 1:  # no key holds the delimiter
                return f"{lhs} = ANY(string_to_array(%s, chr(31)))", [*lhs_params, text]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - compiled column, one parameter
        return sql, [*lhs_params, json.dumps(list(self.rhs))]

    def as_sql(self, compiler, connection):
        raise NotSupportedError("AnyOf is implemented for PostgreSQL and SQLite only.")


def supports_any_of(vendor: str, keys: Sequence[Any]) -> bool:
    """Whether :class:`AnyOf` can filter on ``keys`` in this database (plain str or int keys)."""
    if vendor not in ("postgresql", "sqlite"):
        return False
    kinds = set(map(type, keys))
    return kinds <= {str} or kinds <= {int}


def filter_any_of(queryset: QuerySet, field: str, keys: Sequence[Any]) -> QuerySet:
    return queryset.filter(AnyOf(F(field), list(keys)))
