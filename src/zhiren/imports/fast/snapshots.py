"""Existing rows read as plain columns for the dry run; model instances only for rows that change.

The fast path of ``zhiren.imports.planning``, taken when :func:`~zhiren.imports.fast.enabled`.

Re-importing a file of 20,000 agents compares 20,000 existing rows with the
file, and usually almost none changed. Loading them as model instances (and
their related rows) costs several times the validation itself. A spec that
keeps the framework's default reads (``existing`` and ``current_value`` not
overridden, every column a model field) is planned from one query of just
the columns it compares: the database's values converted a column at a time
(a date or a skill list that repeats is converted once), compared a column at
a time (a foreign key by primary key), and only the rows that change are
loaded as model instances, in one query, for ``apply`` and ``bulk_update``.
The spec's existing-row check (``check_existing`` or ``check_existing_rows``)
gets each row as a named tuple of the compared columns plus the spec's
``existing_fields`` (``obj.team_id``, ``obj.pk``; every column when a spec
with its own check declares none), made when the check reads it.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI

from ..plans import Change, ImportPlan
from ..spec import KEPT, ImportContext, ImportSpec, existing_rows_check, primary_keys
from ..validation import ColumnRows, Validation
from .inserts import convert_column
from .lookups import filter_any_of, supports_any_of


def _any_of(spec, queryset, attr: str, keys: list) -> list:
    """``queryset`` filtered to ``attr`` in ``keys``: one query, or chunks where the database needs them."""
    if supports_any_of(connections[queryset.db].vendor, keys):
        return [filter_any_of(queryset, attr, keys)]
    return [
        queryset.filter(**{f"{attr}__in": keys[i : i + spec.lookup_chunk]})
        for i in range(0, len(keys), spec.lookup_chunk)
    ]


def _fetch_columns(querysets: list, width: int) -> list[list]:
    """The values of ``values_list`` querysets as columns, each column's values converted once per distinct value."""
    raw: list[tuple] = []
    converters: dict = {}
    connection = None
    for queryset in querysets:
        compiler = queryset.query.get_compiler(using=queryset.db)
        raw.extend(chain.from_iterable(compiler.execute_sql(MULTI)))
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        connection = compiler.connection
    columns = [list(column) for column in zip(*raw, strict=True)] if raw else [[] for _ in range(width)]
    for index, (functions, expression) in converters.items():
        columns[index] = _converted(columns[index], functions, expression, connection)
    return columns


def _converted(column: list, functions: list[Callable], expression, connection) -> list:
    """A column through Django's converters for its field (the database's value to the model's)."""

    def convert(value):
        for function in functions:
            value = function(value, expression, connection)
        return value

    return convert_column(column, convert, convert_none=True)


class _RowsAt(Sequence):
    __slots__ = ("existing", "positions")

    def __init__(self, existing: ExistingRows, positions: Sequence[int]) -> None:
        self.existing = existing
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.existing.row(position) for position in self.positions[index]]
        return self.existing.row(self.positions[index])


class ExistingRows:
    """The existing rows of a spec's model matching a file's keys, as columns and named tuples."""

    def __init__(self, spec, keys: Sequence[Any], context, header_keys: Sequence[str]) -> None:
        meta = spec.model._meta
        self.spec = spec
        self.context = context
        key_attr = meta.get_field(spec.key_column.target).attname
        compared = {key: meta.get_field(spec.column(key).target) for key in header_keys if key != spec.key}
        extra = spec.existing_fields
        if not extra and existing_rows_check(spec) is not None:
            extra = [f.attname for f in meta.concrete_fields]  # undeclared: whatever the check may read
        attnames = list(dict.fromkeys([meta.pk.attname, key_attr, *(f.attname for f in compared.values()), *extra]))
        position = {name: i for i, name in enumerate(attnames)}
        # Column key → (position, related model or None). A foreign key is compared by primary key; its old
        # value is the related object when the column targets the relation (``team``), as ``getattr`` gives
        # it, and the id when it targets the id (``agent_id``).
        self.compared = {
            key: (position[f.attname], f.related_model if f.is_relation and spec.column(key).target == f.name else None)
            for key, f in compared.items()
        }
        self._row_type = namedtuple(f"Existing{spec.model.__name__}", attnames)  # noqa: PYI024 - made per model
        self._row_type.pk = property(itemgetter(0))
        # SQLite's driver parses every date it returns (its converter per value, in Python); as text, each
        # distinct date is parsed once here instead.
        queryset = spec.existing_queryset(context).order_by()  # no sort: matched by key
        as_text = set()
        if connections[queryset.db].vendor == "sqlite":
            as_text = {i for i, name in enumerate(attnames) if meta.get_field(name).get_internal_type() == "DateField"}
        queryset = queryset.values_list(
            *(Cast(name, models.TextField()) if i in as_text else name for i, name in enumerate(attnames))
        )
        queryset.query.select_related = False
        keys = list(keys)
        self.columns = _fetch_columns(_any_of(spec, queryset, key_attr, keys) if keys else [], len(attnames))
        for i in as_text:
            self.columns[i] = convert_column(self.columns[i], dt.date.fromisoformat)
        self.index = {key: i for i, key in enumerate(self.columns[position[key_attr]])}

    def row(self, position: int):
        """The existing row at ``position`` as a named tuple of the read columns."""
        return self._row_type._make(map(itemgetter(position), self.columns))

    def rows_at(self, positions: Sequence[int]) -> Sequence:
        """The existing rows at ``positions`` (named tuples, made as they are read)."""
        return _RowsAt(self, positions)

    @classmethod
    def usable(cls, spec, header_keys: Sequence[str]) -> bool:
        """Whether ``spec`` reads existing rows the framework's default way, every column a model field.

        A foreign key must point at its model's primary key (it is compared by ``pk``).
        """
        kind = type(spec)
        if kind.existing is not ImportSpec.existing or kind.current_value is not ImportSpec.current_value:
            return False
        meta = spec.model._meta
        try:
            fields = [meta.get_field(spec.column(key).target) for key in (*header_keys, spec.key)]
            for name in spec.existing_fields:
                meta.get_field(name)
        except (FieldDoesNotExist, KeyError):
            return False
        by_pk = all(f.target_field == f.related_model._meta.pk for f in fields if f.is_relation)
        return all(f.concrete and not f.many_to_many for f in fields) and by_pk and not fields[-1].is_relation

    def compare(self, positions: Sequence[int], news: dict[str, Sequence[Any]]) -> dict[int, dict[str, tuple[Any, Any]]]:
        """File rows against the existing rows at ``positions`` (one per file row, in order).

        ``news`` holds the file rows' values column by column (``KEPT`` for a blank cell that keeps the
        value). Returns the index of each file row that changes → {key: (old, new)}.
        """
        if not positions:
            return {}
        pick = itemgetter(*positions)
        diffs: dict[int, dict[str, tuple[Any, Any]]] = {}
        for key, (column_index, related) in self.compared.items():
            olds = pick(self.columns[column_index])
            if len(positions) == 1:
                olds = (olds,)
            column = news[key]
            comparable = column if related is None else primary_keys(column)
            if olds == tuple(comparable):  # the usual case, compared in one C loop
                continue
            for i in [i for i, old, new in zip(range(len(olds)), olds, comparable, strict=True) if old != new]:
                new = column[i]
                if new is not KEPT:
                    diffs.setdefault(i, {})[key] = (olds[i], new)
        return diffs

    def instances(self, changes: list) -> None:
        """Load the changed rows as model instances (``change.obj``), and their old values as the model has them."""
        if not changes:
            return
        spec = self.spec
        pks = [change.obj.pk for change in changes]
        by_pk = {}
        for part in _any_of(spec, spec.existing_queryset(self.context).order_by(), "pk", pks):
            by_pk.update((obj.pk, obj) for obj in part)
        related_ids: dict[str, set] = {}
        for change in changes:
            change.obj = by_pk[change.obj.pk]
            for key, (old, _new) in change.diffs.items():
                if self.compared[key][1] is not None and old is not None:
                    related_ids.setdefault(key, set()).add(old)
        # Old related objects in one query per foreign key (a preview shows them by name).
        related = {key: self.compared[key][1]._default_manager.in_bulk(ids) for key, ids in related_ids.items()}
        for change in changes:
            for key, objects in related.items():
                if key in change.diffs:
                    old, new = change.diffs[key]
                    change.diffs[key] = (objects.get(old), new)


def _pick(column: Sequence, indexes: list[int]) -> Sequence:
    """The values of ``column`` at ``indexes`` (increasing); the column itself when they are all of it."""
    return column if len(indexes) == len(column) else [column[i] for i in indexes]


def plan_from_columns(
    spec: ImportSpec, validation: Validation, plan: ImportPlan, existing: ExistingRows, context: ImportContext
) -> None:
    """Fill ``plan`` against existing rows read as columns: file rows compared with them column by column.

    The fast path of ``planning._compare_instances`` (same creates, updates, unchanged count and errors).
    """
    index = existing.index
    rows = validation.rows
    if not index:  # a first import: every row is new
        if isinstance(rows, ColumnRows) and not plan.creates:
            plan.creates = rows  # still column by column
        else:
            plan.creates.extend(rows)
        return
    if isinstance(rows, ColumnRows):
        numbers, keys, columns = rows.numbers, rows.keys, rows.columns
    else:
        numbers, keys = [row.row for row in rows], [row.key for row in rows]
        columns = {key: [row.values.get(key, KEPT) for row in rows] for key in validation.header.keys}
    positions = list(map(index.get, keys))
    matched = [i for i, position in enumerate(positions) if position is not None]
    if len(matched) < len(rows):
        plan.creates.extend(rows[i] for i, position in enumerate(positions) if position is None)
    check = existing_rows_check(spec)
    if check is not None and matched:
        objs = existing.rows_at([positions[i] for i in matched])
        failed = set()
        for at, key, message in check(objs, {key: _pick(column, matched) for key, column in columns.items()}, context):
            plan.report(numbers[matched[at]], key, message)
            failed.add(at)
        if failed:
            matched = [i for at, i in enumerate(matched) if at not in failed]
    compared = {key: _pick(columns[key], matched) for key in existing.compared}
    diffs = existing.compare(_pick(positions, matched), compared)
    for at in sorted(diffs):
        row = rows[matched[at]]
        plan.updates.append(Change(row.row, row.key, row.values, existing.row(positions[matched[at]]), diffs[at]))
    plan.unchanged += len(matched) - len(diffs)
    existing.instances(plan.updates)
