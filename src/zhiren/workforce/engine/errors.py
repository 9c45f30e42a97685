"""Errors raised by the engine for bad input, naming where the problem is."""

from __future__ import annotations


class EngineInputError(ValueError):
    """Bad input, located by row (1-based data row, as a spreadsheet shows it) and column."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        self.row = row
        self.column = column
        self.detail = message
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
