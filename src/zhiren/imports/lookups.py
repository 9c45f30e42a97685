"""Querysets filtered to many keys: an import looks up every external key of its file.

The reference path filters with ``__in`` in chunks of ``chunk`` keys (SQLite
binds at most 999 parameters to a statement). With the fast paths on
(:mod:`.fast`), PostgreSQL and SQLite get one query with one parameter
(:class:`.fast.lookups.AnyOf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

from . import fast
from .fast.lookups import filter_any_of, supports_any_of

ModelT = TypeVar("ModelT", bound=Model)


def keyed_querysets(
    queryset: QuerySet[ModelT], attr: str, keys: Sequence[Any], chunk: int
) -> list[QuerySet[ModelT]]:
    """``queryset`` filtered to rows whose ``attr`` is one of ``keys``: one queryset, or one per chunk of keys."""
    keys = list(keys)
    if not keys:
        return []
    if fast.enabled() and supports_any_of(connections[queryset.db].vendor, keys):
        return [filter_any_of(queryset, attr, keys)]
    return [queryset.filter(**{f"{attr}__in": keys[i : i + chunk]}) for i in range(0, len(keys), chunk)]
