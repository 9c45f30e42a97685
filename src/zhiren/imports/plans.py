"""What a dry run finds: the plan of an import (rows to create, rows to update, errors).

Made by :func:`zhiren.imports.planning.plan_import`, committed by
:func:`~zhiren.imports.planning.commit_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db import models

from .errors import RowError
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

    def report(self, number: int, key: str, message) -> None:
        """An error on a file row: ``key`` is the column's field key."""
        self.errors.append(RowError(number, self.validation.header.header_for(key), key, str(message)))
