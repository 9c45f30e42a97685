"""Filtering on many keys in one query, with one parameter.

An import looks up tens or hundreds of thousands of external keys. A plain
``__in`` sends one parameter per key (SQLite caps them at 999 per statement,
and building and converting a statement of 10,000 parameters costs more than
running it). :class:`AnyOf` sends the keys as one array (PostgreSQL:
``= ANY(%s)``) or one JSON list (SQLite: ``IN (SELECT value FROM json_each(%s))``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import NotSupportedError
from django.db.models import F, Lookup, QuerySet


class AnyOf(Lookup):
    """``lhs`` equals one of the values in ``rhs`` (a list of str or int), as a filter expression."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]

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
    kinds = {type(key) for key in keys}
    return kinds <= {str} or kinds <= {int}


def filter_any_of(queryset: QuerySet, field: str, keys: Sequence[Any]) -> QuerySet:
    return queryset.filter(AnyOf(F(field), list(keys)))
