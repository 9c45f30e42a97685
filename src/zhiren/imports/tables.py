"""Reading an uploaded file into rows of cells.

No database: a file (its bytes or its path) in, rows out. CSV (any common
delimiter) and XLSX are read; text encodings are detected (BOM, UTF-8,
GBK/GB18030, UTF-16, and charset-normalizer as a last resort). Row numbers are
the ones a user sees in a spreadsheet: the first line of the file is row 1.

:func:`open_table` reads a file a row at a time (an import holds one chunk of
rows, not the file) after checking what can be checked first: the limits of
:mod:`.limits`. :func:`read_table` reads a whole file into a :class:`Table`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from .errors import FileFormatError
from .fast.collector import without_cycle_collection
from .limits import (
    Limits,
    check_file_size,
    columns_message,
    rows_message,
    shared_texts_message,
    unpacked_message,
)

Cell = Any  # str, or int / float / datetime / date / time / bool from an XLSX cell
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format
Source = bytes | str | os.PathLike  # a file's bytes, or its path


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
            _(
                "The file's text encoding could not be recognised. Save it as UTF-8 or GBK CSV, or as XLSX."
            )
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


BLOCK = 2**20  # bytes read at a time
FIRST_LINE_LIMIT = 2**20  # characters of the first line kept for sniffing the delimiter


class _Source:
    """A file given as bytes or as a path, opened afresh for each pass over it."""

    def __init__(self, source: Source) -> None:
        if isinstance(source, bytes | bytearray | memoryview):
            self.data: bytes | None = bytes(source)
            self.path: str | None = None
        else:
            self.data = None
            self.path = os.fspath(source)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else os.stat(self.path).st_size

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")  # noqa: SIM115

    def for_openpyxl(self) -> str | BinaryIO:
        """What ``load_workbook`` reads: the path itself (openpyxl opens and closes it), or the bytes."""
        return self.path if self.path is not None else io.BytesIO(self.data)


class TableStream:
    """A file opened to be read a row at a time (:func:`open_table`).

    Its format, encoding and delimiter are known once it is open; :meth:`rows` reads
    the non-blank rows on demand, so a caller holds as many as it asks for, not the
    file. Use it as a context manager (an XLSX keeps its workbook open until closed).
    """

    def __init__(
        self,
        format: str,
        encoding: str | None,
        rows: Callable[[], Iterator[tuple[int, list[Cell]]]],
        *,
        max_rows: int,
        delimiter: str | None = None,
        estimated_rows: int | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.format = format
        self.encoding = encoding
        self.delimiter = delimiter
        self.estimated_rows = estimated_rows  # for progress only: the rows the file seems to hold
        self.max_rows = max_rows
        self._rows = rows
        self._close = close

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """The non-blank rows with their spreadsheet numbers; refused past ``max_rows`` (``IMPORT_MAX_ROWS``)."""
        limit = self.max_rows
        for count, row in enumerate(self._rows(), start=1):
            if count > limit:
                raise FileFormatError(rows_message(limit))
            yield row

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass
class _TextScan:
    """What one decoding pass over a CSV file tells before any row is read."""

    line_bound: int  # the most records the file can hold: its line ends, plus one
    has_nul: bool
    first_line: str


def _scan_text(source: _Source, encoding: str) -> _TextScan | None:
    """Decode the whole file block by block; None when it is not valid ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = returns = pairs = 0
    has_nul = False
    first: list[str] = []
    first_length = 0
    first_done = False
    with source.open() as raw:
        try:
            while True:
                block = raw.read(BLOCK)
                text = decoder.decode(block, final=not block)
                if text:
                    newlines += text.count("\n")
                    returns += text.count("\r")
                    pairs += text.count(
                        "\r\n"
                    )  # one line end (a pair split between blocks counts twice)
                    has_nul = has_nul or "\x00" in text
                    if not first_done:
                        line = text.split("\n", 1)[0]
                        first.append(line[: FIRST_LINE_LIMIT - first_length])
                        first_length += len(line)
                        first_done = len(line) < len(text) or first_length >= FIRST_LINE_LIMIT
                if not block:
                    break
        except UnicodeDecodeError:
            return None
    return _TextScan(newlines + returns - pairs + 1, has_nul, "".join(first))


def _csv_encoding(source: _Source) -> tuple[str, _TextScan]:
    """The file's encoding (as :func:`detect_encoding` tells it) and the scan that proved it."""
    with source.open() as raw:
        head = raw.read(200_000)
    if head.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        for candidate in ("utf-8", "gbk", "gb18030"):
            scan = _scan_text(source, candidate)
            if scan is not None:
                return candidate, scan
        candidates = (_fallback_encoding(head),)
    encoding = candidates[0]
    try:
        scan = _scan_text(source, encoding)
    except LookupError:
        scan = None
    if scan is None:
        raise FileFormatError(
            _("The file could not be decoded as %(encoding)s.") % {"encoding": encoding}
        )
    return encoding, scan


def _within_columns(cells: list[str], number: int, max_columns: int) -> list[str]:
    if any(cell.strip() for cell in cells[max_columns:]):
        raise FileFormatError(columns_message(number, max_columns))
    return cells[:max_columns]


def _csv_rows(
    source: _Source, encoding: str, delimiter: str, max_columns: int
) -> Iterator[tuple[int, list[str]]]:
    with source.open() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        lines = iter(text)
        first = next(lines, "")
        if first.startswith("\ufeff"):
            first = first[1:]
        try:
            reader = csv.reader(chain((first,), lines), delimiter=delimiter)
            for number, cells in enumerate(reader, start=1):
                # Some cell is not blank (the first cell usually says so without joining the row).
                if (cells and cells[0].strip()) or "".join(cells).strip():
                    if len(cells) > max_columns:
                        cells = _within_columns(cells, number, max_columns)
                    yield number, cells
        except csv.Error as exc:
            raise FileFormatError(
                _("The CSV file is malformed: %(error)s") % {"error": exc}
            ) from exc
        finally:
            text.detach()


def _open_csv(source: _Source, limits: Limits) -> TableStream:
    encoding, scan = _csv_encoding(source)
    if scan.has_nul:
        raise FileFormatError(_("This does not look like a text (CSV) file."))
    delimiter = sniff_delimiter(scan.first_line)
    rows = functools.partial(_csv_rows, source, encoding, delimiter, limits.max_columns)
    if (
        scan.line_bound > limits.max_rows
    ):  # it may hold too many rows: count them before any is used
        with contextlib.closing(rows()) as counted:
            for count, _row in enumerate(counted, start=1):
                if count > limits.max_rows:
                    raise FileFormatError(rows_message(limits.max_rows))
    return TableStream(
        "csv",
        encoding,
        rows,
        max_rows=limits.max_rows,
        delimiter=delimiter,
        estimated_rows=scan.line_bound,
    )


def read_csv(data: bytes) -> Table:
    """A whole CSV file's rows (no limit on its size or rows)."""
    with _open_csv(_Source(data), Limits.unlimited(max_columns=2**31)) as stream:
        return _table(stream)


def _table(stream: TableStream) -> Table:
    return Table(
        format=stream.format,
        encoding=stream.encoding,
        rows=list(stream.rows()),
        delimiter=stream.delimiter,
    )


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


def _check_xlsx_package(raw: BinaryIO, limits: Limits) -> zipfile.ZipFile:
    """Refuse a workbook whose parts unpack to too much, or that holds too many texts, before any is read.

    A few hundred kilobytes of XLSX can unpack to gigabytes (a huge shared-strings
    table); the sizes are in the zip's directory, so this costs nothing (and
    ``zipfile`` reads no part past the size its directory gives). Below that size,
    millions of tiny texts still cost openpyxl far more memory than their bytes
    (it keeps every shared text as a Python string): they are counted first, a
    block at a time.
    """
    max_unpacked_bytes = limits.max_unpacked_bytes
    try:
        package = zipfile.ZipFile(raw)
    except zipfile.BadZipFile as exc:
        raise FileFormatError(
            _("The Excel file could not be opened: %(error)s") % {"error": exc}
        ) from exc
    unpacked = sum(info.file_size for info in package.infolist())
    if unpacked > max_unpacked_bytes:
        raise FileFormatError(unpacked_message(unpacked, max_unpacked_bytes))
    if _shared_texts_over(package, limits.max_shared_texts):
        package.close()
        raise FileFormatError(shared_texts_message(limits.max_shared_texts))
    return package


# An ``<si>`` opening tag, with or without a namespace prefix (``<x:si>``), or empty (``<si/>``).
_SHARED_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si[\s>/]")
_SHARED_TEXT_TAIL = 48  # longer than any opening tag the pattern matches


def _shared_texts_over(package: zipfile.ZipFile, limit: int) -> bool:
    """Whether the shared-strings part holds more than ``limit`` texts (``<si>`` elements)."""
    names = [n for n in package.namelist() if n.lower().endswith("sharedstrings.xml")]
    count = 0
    for name in names:
        with package.open(name) as part:
            tail = b""
            while block := part.read(BLOCK):
                window = tail + block
                # a tag wholly inside the tail was counted with the previous window
                count += sum(
                    1 for match in _SHARED_TEXT.finditer(window) if match.end() > len(tail)
                )
                if count > limit:
                    return True
                tail = window[-_SHARED_TEXT_TAIL:]
    return False


def _has_formulas(package: zipfile.ZipFile) -> bool:
    """Whether a worksheet holds a formula (``<f``), read a block at a time."""
    for name in package.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with package.open(name) as part:
            tail = b""
            while block := part.read(BLOCK):
                if b"<f" in tail + block[:1] or b"<f" in block:
                    return True
                tail = block[-1:]
    return False


def _unsaved_formulas(number: int, values: tuple, texts: tuple, missing: list[str]) -> None:
    """Note the cells (``D5``) of a row holding a formula whose result the file did not save (blank in ``values``)."""
    from openpyxl.utils import get_column_letter

    for column, text in enumerate(texts, start=1):
        value = values[column - 1] if column <= len(values) else None
        if value is None and isinstance(text, str) and text.startswith("="):
            missing.append(f"{get_column_letter(column)}{number}")


def _rows_within(sheet, max_columns: int, refuse: bool) -> Iterator[tuple]:
    """A read-only sheet's rows of values, each as wide as its last cell but at most ``max_columns``.

    openpyxl pads every row to the width asked for (a row of 8 cells became 201 values to
    look through); asked for none, it makes each row as wide as its last cell. The row
    maker is wrapped so that a row reaching past ``max_columns`` is cut there, and, with
    ``refuse``, refused when a cell past it holds a value (any column, not only the
    next). Rows the sheet skips come out empty, without being made.
    """
    make_row = getattr(sheet, "_get_row", None)
    if (
        make_row is None
    ):  # an openpyxl without it: rows padded to one past the limit, that cell looked at
        for number, values in enumerate(
            sheet.iter_rows(max_col=max_columns + 1, values_only=True), start=1
        ):
            if refuse and len(values) > max_columns and not is_blank(values[max_columns]):
                raise FileFormatError(columns_message(number, max_columns))
            yield values[:max_columns]
        return

    def row_within(row, min_col=1, max_col=None, values_only=False):
        if row and row[-1]["column"] > max_columns:  # cells come in column order
            if refuse:
                for cell in row:
                    if cell["column"] > max_columns and not is_blank(cell["value"]):
                        raise FileFormatError(columns_message(cell["row"], max_columns))
            max_col = max_columns
        return make_row(row, min_col, max_col, values_only)

    sheet._get_row = row_within
    yield from sheet.iter_rows(values_only=True)


def _xlsx_rows(workbook, formulas, max_columns: int) -> Iterator[tuple[int, list[Cell]]]:
    """The first sheet's non-blank rows, at most ``max_columns`` columns wide.

    The sheet's declared size is ignored (a 2 KB file may declare A1:XFD1048576 and
    have every row padded to 16,384 cells); a row with a value past ``max_columns``
    is refused. With ``formulas`` (the same file read for its formulas), a formula
    cell whose result was never saved (it would read as blank and clear a stored
    value) is refused once the sheet has been read.
    """
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    texts = None
    if formulas is not None:
        formula_sheet = formulas.worksheets[0]
        formula_sheet.reset_dimensions()
        texts = _rows_within(formula_sheet, max_columns, refuse=False)
    missing: list[str] = []
    for number, values in enumerate(_rows_within(sheet, max_columns, refuse=True), start=1):
        blank = values.count(None) == len(values)  # a skipped or empty row, told at C speed
        if not blank:
            values = _without_trailing_blanks(values)
        if (
            texts is not None and len(missing) <= 10
        ):  # the sheets are read in step; ten cells are named
            _unsaved_formulas(number, () if blank else values, next(texts, ()), missing)
        if values and not blank:
            yield number, [_xlsx_cell(v) for v in values]
    if missing:
        raise FileFormatError(
            _(
                "Cells %(cells)s hold formulas whose results the file did not save; open the file "
                "in Excel or WPS, save it, and upload it again."
            )
            % {"cells": ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")}
        )


def _open_xlsx(source: _Source, limits: Limits) -> TableStream:
    from openpyxl import load_workbook

    with source.open() as raw:
        package = _check_xlsx_package(raw, limits)
        with package:
            formulas = _has_formulas(package)
    books = []

    def close() -> None:
        for book in books:
            book.close()

    try:
        try:
            books.append(load_workbook(source.for_openpyxl(), read_only=True, data_only=True))
            if formulas:
                books.append(load_workbook(source.for_openpyxl(), read_only=True, data_only=False))
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise FileFormatError(
                _("The Excel file could not be opened: %(error)s") % {"error": exc}
            ) from exc
        declared = books[0].worksheets[0].max_row  # the sheet's own claim: for progress only
    except BaseException:
        close()
        raise
    rows = functools.partial(
        _xlsx_rows, books[0], books[1] if formulas else None, limits.max_columns
    )
    return TableStream(
        "xlsx", None, rows, max_rows=limits.max_rows, estimated_rows=declared, close=close
    )


def read_xlsx(data: bytes, max_columns: int = 200, max_unpacked_bytes: int = 200 * 2**20) -> Table:
    """The first sheet's non-blank rows, at most ``max_columns`` columns wide (see :func:`_xlsx_rows`)."""
    limits = Limits.unlimited(max_columns=max_columns, max_unpacked_bytes=max_unpacked_bytes)
    with _open_xlsx(_Source(data), limits) as stream:
        return _table(stream)


def open_table(source: Source, filename: str = "", limits: Limits | None = None) -> TableStream:
    """Open a CSV or XLSX file (told apart by content, not by name) to read it a row at a time.

    ``source`` is the file's bytes or its path. What can be checked before a row is
    read is checked here, in this order, each refusal a :class:`FileFormatError`
    naming its limit: the size (``IMPORT_MAX_FILE_MB``); for an XLSX, what its parts
    unpack to (``IMPORT_XLSX_MAX_UNPACKED_MB``); for a CSV, its encoding, and its
    rows when its line ends allow more than ``IMPORT_MAX_ROWS``. While reading, a
    row past ``IMPORT_MAX_COLUMNS`` or ``IMPORT_MAX_ROWS`` is refused.
    """
    limits = limits or Limits.from_settings()
    source = _Source(source)
    size = source.size
    if not size:
        raise FileFormatError(_("The file is empty."))
    check_file_size(size, limits)
    with source.open() as raw:
        head = raw.read(len(XLSX_MAGIC))
    if head.startswith(XLSX_MAGIC):
        return _open_xlsx(source, limits)
    if head.startswith(XLS_MAGIC) or filename.lower().endswith(".xls"):
        raise FileFormatError(
            _("The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV.")
        )
    return _open_csv(source, limits)


@without_cycle_collection
def read_table(data: Source, filename: str = "", limits: Limits | None = None) -> Table:
    """Read a whole CSV or XLSX file (told apart by content, not by name) into a :class:`Table`."""
    with open_table(data, filename, limits) as stream:
        return _table(stream)
