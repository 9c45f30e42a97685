"""Writing exports to CSV and XLSX, with formula-looking text neutralised.

A text cell that starts with ``= + - @``, a tab or a carriage return could be
run as a formula by a spreadsheet (CSV/formula injection); such cells get a
leading apostrophe. Numbers typed as numbers (``-5``) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

from .cells import FORMULA_PREFIX, FORMULA_TRIGGERS
from .spec import ExportContext, ExportSpec

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet; leave other types alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return FORMULA_PREFIX + value
    return value


def _plain(value: Any) -> Any:
    """A value an export cell can hold: numbers and dates as such, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | datetime | date | time):
        if isinstance(value, datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def export_rows(spec: ExportSpec, context: ExportContext) -> tuple[list[str], Iterator[list[Any]]]:
    spec.prepare(context)
    headers = [str(column.label) for column in spec.columns]

    def rows() -> Iterator[list[Any]]:
        for obj in spec.objects(context):
            yield [neutralise(_plain(column.value(obj, context))) for column in spec.columns]

    return headers, rows()


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def write_csv(headers: list[str], rows: Iterable[list[Any]], stream: BinaryIO) -> int:
    """UTF-8 with a BOM, so that Excel opens Chinese text correctly. Returns the row count."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(headers: list[str], rows: Iterable[list[Any]], stream: BinaryIO, title: str = "") -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    safe_title = re.sub(r"[\\/?*\[\]:]", " ", title).strip()[:31] or "Sheet1"
    sheet = workbook.create_sheet(title=safe_title)
    sheet.append([neutralise(h) for h in headers])
    count = 0
    for row in rows:
        # Every string is neutralised already, so openpyxl never sees a leading "=".
        sheet.append(row)
        count += 1
    workbook.save(stream)
    return count


def write_export(fmt: str, headers: list[str], rows: Iterable[list[Any]], stream: BinaryIO, title: str = "") -> int:
    if fmt == "csv":
        return write_csv(headers, rows, stream)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, stream, title)
    raise ValueError(fmt)
