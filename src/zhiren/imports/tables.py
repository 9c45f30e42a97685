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
import zipfile
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


def _without_trailing_blanks(values: tuple) -> tuple:
    end = len(values)
    while end and is_blank(values[end - 1]):
        end -= 1
    return values[:end]


def _check_xlsx_package(data: bytes, max_unpacked_bytes: int) -> zipfile.ZipFile:
    """Refuse a workbook whose parts unpack to more than ``max_unpacked_bytes`` before any is read.

    A few hundred kilobytes of XLSX can unpack to gigabytes (a huge shared-strings
    table); the sizes are in the zip's directory, so this costs nothing.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileFormatError(_("The Excel file could not be opened: %(error)s") % {"error": exc}) from exc
    unpacked = sum(info.file_size for info in package.infolist())
    if unpacked > max_unpacked_bytes:
        raise FileFormatError(
            _("The Excel file unpacks to %(size)d MB, more than the %(limit)d MB allowed; "
              "save the data as CSV, or split the file.")
            % {"size": unpacked // 2**20, "limit": max_unpacked_bytes // 2**20}
        )
    return package


def _has_formulas(package: zipfile.ZipFile) -> bool:
    return any(
        b"<f" in package.read(name)
        for name in package.namelist()
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    )


def _formulas_without_values(data: bytes, table: Table, max_columns: int) -> list[str]:
    """Cells (``D5``) holding a formula whose result the file did not save (blank in ``table``)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    read = dict(table.rows)
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = formulas.worksheets[0]
        sheet.reset_dimensions()
        missing = []
        for number, texts in enumerate(sheet.iter_rows(max_col=max_columns, values_only=True), start=1):
            values = read.get(number, [])
            for column, text in enumerate(texts, start=1):
                value = values[column - 1] if column <= len(values) else None
                if value is None and isinstance(text, str) and text.startswith("="):
                    missing.append(f"{get_column_letter(column)}{number}")
        return missing
    finally:
        formulas.close()


def read_xlsx(data: bytes, max_columns: int = 200, max_unpacked_bytes: int = 200 * 2**20) -> Table:
    """The first sheet's non-blank rows, at most ``max_columns`` columns wide.

    The sheet's declared size is ignored (a 2 KB file may declare A1:XFD1048576 and
    have every row padded to 16,384 cells); a row with a value past ``max_columns``
    is refused, as is a formula cell whose result was never saved (it would read
    as blank and clear a stored value).
    """
    from openpyxl import load_workbook

    package = _check_xlsx_package(data, max_unpacked_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise FileFormatError(_("The Excel file could not be opened: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        table = Table(format="xlsx", encoding=None)
        for number, values in enumerate(sheet.iter_rows(max_col=max_columns + 1, values_only=True), start=1):
            if len(values) > max_columns and not is_blank(values[max_columns]):
                raise FileFormatError(
                    _("Row %(row)d has data past column %(limit)d; an import reads at most %(limit)d columns.")
                    % {"row": number, "limit": max_columns}
                )
            values = _without_trailing_blanks(values[:max_columns])
            if values:
                table.rows.append((number, [_xlsx_cell(v) for v in values]))
    finally:
        workbook.close()
    if _has_formulas(package):
        missing = _formulas_without_values(data, table, max_columns)
        if missing:
            raise FileFormatError(
                _("Cells %(cells)s hold formulas whose results the file did not save; open the file "
                  "in Excel or WPS, save it, and upload it again.")
                % {"cells": ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")}
            )
    return table


@without_cycle_collection
def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV or XLSX file (told apart by content, not by name)."""
    if not data:
        raise FileFormatError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        from django.conf import settings

        return read_xlsx(data, max_columns=settings.IMPORT_MAX_COLUMNS,
                         max_unpacked_bytes=settings.IMPORT_XLSX_MAX_UNPACKED_MB * 2**20)
    if data.startswith(XLS_MAGIC) or filename.lower().endswith(".xls"):
        raise FileFormatError(_("The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV."))
    return read_csv(data)

