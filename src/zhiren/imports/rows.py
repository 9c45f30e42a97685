"""New rows as plain tuples: their column order, and rows held as columns.

A spec's ``build_columns`` makes new rows as tuples in :func:`row_fields`
order; :mod:`.bulk_insert` writes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import eq

from django.db import models


def row_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns of a row tuple: the model's concrete fields but the primary key."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


class RowColumns(Sequence):
    """Row tuples held as their columns (lists of equal length): what a column-wise build makes.

    It reads as a sequence of tuples; the fast inserter takes its columns as they are, so rows built
    column by column are not turned into tuples only to be split into columns again.
    """

    __slots__ = ("columns", "_count")

    def __init__(self, columns: list[Sequence], count: int) -> None:
        if any(len(column) != count for column in columns):
            raise ValueError(f"Every column must hold {count} values.")
        self.columns = columns
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple]:
        return zip(*self.columns, strict=True)

    def __eq__(self, other) -> bool:  # equal to the same rows as any list or tuple of tuples
        if isinstance(other, RowColumns | list | tuple):
            return len(self) == len(other) and all(map(eq, self, other))
        return NotImplemented

    __hash__ = None  # mutable columns

    def __repr__(self) -> str:
        return f"RowColumns({len(self.columns)} columns, {self._count} rows)"

    def __getitem__(self, index):
        if isinstance(index, slice):
            return RowColumns([column[index] for column in self.columns], len(range(self._count)[index]))
        return tuple(column[index] for column in self.columns)
