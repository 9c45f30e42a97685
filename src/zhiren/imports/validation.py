"""Validating every row of a table against a spec. Pure: no database access here.

Reference data a parser needs (teams, for instance) is loaded beforehand by
``spec.prepare(context)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .cells import clean_text
from .errors import CellError, RowError
from .headers import HeaderMap, locate_header, match_headers
from .spec import ImportContext, ImportSpec
from .tables import Table

Progress = Callable[[int, int], None]  # (rows done, rows in total)
PROGRESS_EVERY = 500


@dataclass
class ParsedRow:
    row: int  # spreadsheet row number
    key: Any
    values: dict[str, Any]


@dataclass
class Validation:
    header: HeaderMap
    rows: list[ParsedRow] = field(default_factory=list)  # rows without errors
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def warnings(self) -> list[RowError]:
        return self.header.warnings

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > self.header.row})


def validate(
    table: Table, spec: ImportSpec, context: ImportContext, progress: Progress | None = None
) -> Validation:
    if not table.rows:
        header = HeaderMap(row=1)
        header.errors.append(RowError(0, "", "", str(_("The file has no rows."))))
        return Validation(header=header, errors=list(header.errors))
    start = locate_header(table.rows, spec)
    header_number, header_cells = table.rows[start]
    header = match_headers(header_cells, spec, header_number)
    data_rows = table.rows[start + 1 :]
    result = Validation(header=header, errors=list(header.errors), total_rows=len(data_rows))
    if header.errors:
        return result
    if not data_rows:
        result.errors.append(RowError(0, "", "", str(_("The file has a header but no data rows."))))
        return result

    positions = header.positions
    key_name = spec.key
    first_row_of_key: dict[Any, int] = {}
    total = len(data_rows)
    check_row = spec.check_row
    for done, (number, cells) in enumerate(data_rows, start=1):
        values: dict[str, Any] = {}
        failed = False
        width = len(cells)
        for index, column, column_header in positions:
            raw = clean_text(cells[index]) if index < width else None
            if raw is None or raw == "":
                if column.required:
                    result.errors.append(
                        RowError(number, column_header, column.key, str(_("This cell is required.")))
                    )
                    failed = True
                elif not column.blank_keeps:
                    blank = column.blank_value
                    values[column.key] = list(blank) if isinstance(blank, list) else blank
                continue
            try:
                values[column.key] = column.parse(raw, context)
            except CellError as exc:
                result.errors.append(RowError(number, column_header, column.key, str(exc.message)))
                failed = True
        if not failed:
            for key, message in check_row(values, context):
                result.errors.append(RowError(number, header.header_for(key), key, str(message)))
                failed = True
        key = values.get(key_name)
        if key is not None:
            first = first_row_of_key.get(key)
            if first is None:
                first_row_of_key[key] = number
            else:
                result.errors.append(
                    RowError(number, header.header_for(key_name), key_name, str(
                        _("“%(key)s” appears twice: in rows %(first)d and %(row)d.")
                        % {"key": key, "first": first, "row": number}
                    ))
                )
                failed = True
        if not failed:
            result.rows.append(ParsedRow(number, key, values))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return result
