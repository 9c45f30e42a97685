"""JSON records (the REST bulk endpoints) as a table, so they pass the same checks as a file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .tables import Table


def records_table(records: Iterable[Mapping[str, Any]]) -> Table:
    """Keys are field keys or any accepted header; record *n* (1-based) is row *n*, the header row 0."""
    records = list(records)
    headers: list[str] = []
    for rec in records:
        for key in rec:
            if key not in headers:
                headers.append(key)
    table = Table(format="json", encoding=None, rows=[(0, list(headers))])
    for number, rec in enumerate(records, start=1):
        table.rows.append((number, [_cell(rec.get(h)) for h in headers]))
    return table


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value
