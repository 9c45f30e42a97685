"""The dry run and the commit: which rows would be created, updated or left alone.

``plan_import`` reads the database (in a few bulk queries) and writes nothing;
``commit_plan`` writes a plan in bulk and must run inside ``transaction.atomic``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db import models

from .collector import without_cycle_collection
from .errors import RowError
from .snapshots import ExistingRows
from .spec import ImportContext, ImportSpec
from .validation import ColumnRows, ParsedRow, Validation


@dataclass(slots=True)
class Change:
    """A row that updates an existing one (a row to create is listed as its ``ParsedRow``)."""

    row: int
    key: Any
    values: dict[str, Any]
    obj: models.Model  # the existing row (a named tuple of its columns until ``ExistingRows.instances``)
    diffs: dict[str, tuple[Any, Any]]  # key → (old, new)
    action = "update"


@dataclass
class ImportPlan:
    validation: Validation
    creates: list[ParsedRow] | ColumnRows = field(default_factory=list)  # the parsed rows themselves ("create")
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)

    @property
    def warnings(self) -> list[RowError]:
        return self.validation.warnings

    @property
    def total_rows(self) -> int:
        return self.validation.total_rows

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > self.validation.header.row})

    def changed_fields(self) -> list[str]:
        """Field keys written by this plan (for the audit trail: names, never values)."""
        # One C call over every row's keys (a million new rows: no Python loop).
        if isinstance(self.creates, ColumnRows):  # every new row has every field
            keys = set(self.creates.columns).union(*map(attrgetter("diffs"), self.updates))
        else:
            keys = set().union(*map(attrgetter("values"), self.creates), *map(attrgetter("diffs"), self.updates))
        return sorted(keys)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total_rows,
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
            "error_rows": self.error_rows,
        }


@without_cycle_collection
def plan_import(spec: ImportSpec, validation: Validation, context: ImportContext) -> ImportPlan:
    plan = ImportPlan(validation=validation, errors=list(validation.errors))
    if validation.header.errors or not validation.rows:
        return plan
    header = validation.header
    rows = validation.rows
    keys = rows.keys if isinstance(rows, ColumnRows) else [row.key for row in rows]
    if ExistingRows.usable(spec, header.keys):
        _compare_tuples(spec, validation, plan, ExistingRows(spec, keys, context, header.keys), context)
    else:
        _compare_instances(spec, validation, plan, spec.existing(keys, context), context)
    plan.errors.sort()
    return plan


def _check(spec: ImportSpec, obj, row, plan: ImportPlan, context: ImportContext) -> bool:
    """``check_existing`` for one row; its problems go to the plan. True when there were none."""
    problems = list(spec.check_existing(obj, row.values, context))
    for key, message in problems:
        plan.errors.append(RowError(row.row, plan.validation.header.header_for(key), key, str(message)))
    return not problems


def _compare_tuples(
    spec: ImportSpec, validation: Validation, plan: ImportPlan, existing: ExistingRows, context: ImportContext
) -> None:
    index, rows = existing.index, existing.rows
    if not index:  # a first import: every row is new
        if isinstance(validation.rows, ColumnRows) and not plan.creates:
            plan.creates = validation.rows  # still column by column
        else:
            plan.creates.extend(validation.rows)
        return
    checks = type(spec).check_existing is not ImportSpec.check_existing
    matched = []
    for row in validation.rows:
        position = index.get(row.key)
        if position is None:
            plan.creates.append(row)
        elif not checks or _check(spec, rows[position], row, plan, context):
            matched.append(row)
    diffs = existing.compare(matched)
    for i, row in enumerate(matched):
        changed = diffs.get(i)
        if changed:
            plan.updates.append(Change(row.row, row.key, row.values, rows[index[row.key]], changed))
    plan.unchanged += len(matched) - len(plan.updates)
    existing.instances(plan.updates)


def _compare_instances(
    spec: ImportSpec, validation: Validation, plan: ImportPlan, existing: dict, context: ImportContext
) -> None:
    columns = {key: spec.column(key) for key in validation.header.keys}
    key_name = spec.key
    for row in validation.rows:
        obj = existing.get(row.key)
        if obj is None:
            plan.creates.append(row)
            continue
        if not _check(spec, obj, row, plan, context):
            continue
        diffs = {}
        for key, new in row.values.items():
            if key == key_name:
                continue
            old = spec.current_value(obj, columns[key])
            if old != new:
                diffs[key] = (old, new)
        if diffs:
            plan.updates.append(Change(row.row, row.key, row.values, obj, diffs))
        else:
            plan.unchanged += 1


@without_cycle_collection
def commit_plan(spec: ImportSpec, plan: ImportPlan, context: ImportContext) -> None:
    """Write a plan in bulk. Call inside ``transaction.atomic()``; refuses a plan with errors."""
    if plan.has_errors:
        raise ValueError("A plan with errors cannot be committed.")
    creates = plan.creates
    if isinstance(creates, ColumnRows):
        spec.create(spec.build_columns(creates.columns, len(creates), context), context)
    elif creates:
        spec.create(spec.build_rows([change.values for change in creates], context), context)
    if plan.updates:
        changed: set[str] = set()
        objs = []
        for change in plan.updates:
            spec.apply(change.obj, {k: new for k, (_old, new) in change.diffs.items()}, context)
            changed.update(change.diffs)
            objs.append(change.obj)
        spec.update(objs, spec.update_fields(changed), context)
    spec.after_write(plan, context)
