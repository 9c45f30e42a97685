"""Reading an uploaded file into rows of cells.

Pure functions: bytes in, rows out. CSV (any common delimiter) and XLSX are
read; text encodings are detected (BOM, UTF-8, GBK/GB18030, UTF-16, and
charset-normalizer as a last resort). Row numbers are the ones a user sees in
a spreadsheet: the first line of the file is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import FileFormatError
from .fast.collector import without_cycle_collection

Cell = Any  # str, or int / float / datetime / date / time / bool from an XLSX cell
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format


@dataclass
class Table:
    """Non-blank rows of a file, each with its spreadsheet row number."""

    format: str  # "csv" or "xlsx"
    encoding: str | None  # detected text encoding (CSV only)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    delimiter: str | None = None


def detect_encoding(data: bytes) -> str:
    """The text encoding of ``data``: BOM first, then UTF-8, then GBK/GB18030.

    Returns a Python codec name. ``gbk`` is reported when the bytes decode as
    GBK; ``gb18030`` (a superset) when they only decode as GB18030, for
    instance with characters such as 㐀 or 䶮 that GBK lacks.
    """
    return _decode(data)[1]


def _decode(data: bytes) -> tuple[str | None, str]:
    """The text and its encoding (see :func:`detect_encoding`); the text is None when it is left to the
    caller to decode (a BOM, or an encoding guessed by ``charset-normalizer``). A file is decoded once."""
    if data.startswith(codecs.BOM_UTF8):
        return None, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, "utf-16"
    for candidate in ("utf-8", "gbk", "gb18030"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return None, _fallback_encoding(data)


def _fallback_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise FileFormatError(
            _("The file's text encoding could not be recognised. Save it as UTF-8 or GBK CSV, or as XLSX.")
        )
    return best.encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first line: comma, tab, semicolon or the Chinese comma."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    try:
        if text is None:
            text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileFormatError(_("The file could not be decoded as %(encoding)s.") % {"encoding": encoding}) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise FileFormatError(_("This does not look like a text (CSV) file."))
    delimiter = sniff_delimiter(text)
    table = Table(format="csv", encoding=encoding, delimiter=delimiter)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        append = table.rows.append
        for number, cells in enumerate(reader, start=1):
            # Some cell is not blank (the first cell usually says so without joining the row).
            if (cells and cells[0].strip()) or "".join(cells).strip():
                append((number, cells))
    except csv.Error as exc:
        raise FileFormatError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    return table


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise FileFormatError(_("The Excel file could not be opened: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        table = Table(format="xlsx", encoding=None)
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if any(not is_blank(v) for v in values):
                table.rows.append((number, [_xlsx_cell(v) for v in values]))
    finally:
        workbook.close()
    return table


@without_cycle_collection
def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX file (told apart by content, not by name)."""
    if not data:
        raise FileFormatError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if data.startswith(XLS_MAGIC) or filename.lower().endswith(".xls"):
        raise FileFormatError(_("The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV."))
    return read_csv(data)

