"""The dry run and the commit: which rows would be created, updated or left alone.

``plan_import`` reads the database (in a few bulk queries) and writes nothing;
``commit_plan`` writes a plan in bulk and must run inside ``transaction.atomic``.
"""

from __future__ import annotations

from . import fast
from .fast.collector import without_cycle_collection
from .fast.snapshots import ExistingRows, plan_from_columns
from .plans import Change, ImportPlan
from .spec import ImportContext, ImportSpec, existing_rows_check
from .validation import ColumnRows, Validation

__all__ = ["Change", "ImportPlan", "commit_plan", "plan_import", "write_plan"]


@without_cycle_collection
def plan_import(spec: ImportSpec, validation: Validation, context: ImportContext) -> ImportPlan:
    plan = ImportPlan(validation=validation, errors=list(validation.errors))
    if validation.header.errors or not validation.rows:
        return plan
    header = validation.header
    rows = validation.rows
    keys = rows.keys if isinstance(rows, ColumnRows) else [row.key for row in rows]
    if fast.enabled() and ExistingRows.usable(spec, header.keys):
        plan_from_columns(spec, validation, plan, ExistingRows(spec, keys, context, header.keys), context)
    else:
        _compare_instances(spec, validation, plan, spec.existing(keys, context), context)
    plan.errors.sort()
    return plan


def _compare_instances(
    spec: ImportSpec, validation: Validation, plan: ImportPlan, existing: dict, context: ImportContext
) -> None:
    columns = {key: spec.column(key) for key in validation.header.keys}
    key_name = spec.key
    check = existing_rows_check(spec)
    for row in validation.rows:
        obj = existing.get(row.key)
        if obj is None:
            plan.creates.append(row)
            continue
        if check is not None:
            problems = list(check([obj], {key: [value] for key, value in row.values.items()}, context))
            for _at, key, message in problems:
                plan.report(row.row, key, message)
            if problems:
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
    """Write a plan in bulk, then ``spec.after_write``. Call inside ``transaction.atomic()``; refuses a plan
    with errors."""
    write_plan(spec, plan, context)
    spec.after_write(plan, context)


@without_cycle_collection
def write_plan(spec: ImportSpec, plan: ImportPlan, context: ImportContext) -> None:
    """Write a plan's rows in bulk (one chunk's, for ``streaming``), without ``after_write``."""
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
