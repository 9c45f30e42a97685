"""Validating every row of a table against a spec. Pure: no database access here.

Reference data a parser needs (teams, for instance) is loaded beforehand by
``spec.prepare(context)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import attrgetter, not_
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext_lazy as _

from .cells import clean_text, hidden_character
from .errors import CellError, RowError
from .fast.collector import without_cycle_collection
from .headers import HeaderMap, locate_header, match_headers
from .spec import Column, ImportContext, ImportSpec
from .tables import Table

Progress = Callable[[int, int], None]  # (rows done, rows in total)
PROGRESS_EVERY = 500


@dataclass(slots=True)
class ParsedRow:
    """A row that parsed. It is also what a plan lists to create (``planning.Change`` for an update)."""

    row: int  # spreadsheet row number
    key: Any
    values: dict[str, Any]

    # As a plan's change: a new row, with no existing object and no diffs (read-only class attributes).
    obj = None
    action = "create"
    diffs = MappingProxyType({})


class ColumnRows(Sequence):
    """Rows that all parsed, kept column by column: what a clean file validates to.

    When every cell of a file parsed, every key is there once, no blank cell left
    a field alone and the spec's checks (if any) are column-wise, the rows are
    not turned into a dict each: they stay the parsed columns, and a spec's
    ``build_columns`` makes the new rows from them directly. Reading a row
    (indexing, slicing, iterating) makes its :class:`ParsedRow` on the fly, so
    the rows act as a list of them; such a row is a fresh object each time.
    """

    __slots__ = ("numbers", "keys", "columns")

    def __init__(self, numbers: list[int], keys: list[Any], columns: dict[str, list[Any]]) -> None:
        self.numbers = numbers  # spreadsheet row numbers
        self.keys = keys  # each row's key, in order
        self.columns = columns  # field key → its values, one per row (every row has every field)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self.numbers)))]
        return self._row(range(len(self.numbers))[index])  # negative indexes and IndexError as a list's

    def __iter__(self) -> Iterator[ParsedRow]:
        names = list(self.columns)
        values = map(dict, map(zip, repeat(names), zip(*self.columns.values(), strict=True)))
        return map(ParsedRow, self.numbers, self.keys, values)

    def __add__(self, other) -> list[ParsedRow]:
        return [*self, *other]

    def _row(self, i: int) -> ParsedRow:
        return ParsedRow(self.numbers[i], self.keys[i], {key: column[i] for key, column in self.columns.items()})


@dataclass
class Validation:
    header: HeaderMap
    rows: list[ParsedRow] | ColumnRows = field(default_factory=list)  # rows without errors
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def warnings(self) -> list[RowError]:
        return self.header.warnings

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > self.header.row})


@without_cycle_collection
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
    if header.errors:
        return Validation(header=header, errors=list(header.errors), total_rows=len(data_rows))
    if not data_rows:
        error = RowError(0, "", "", str(_("The file has a header but no data rows.")))
        return Validation(header=header, errors=[error])
    return validate_rows(header, data_rows, spec, context, progress)


@without_cycle_collection
def validate_rows(
    header: HeaderMap,
    data_rows: list[tuple[int, list[Any]]],
    spec: ImportSpec,
    context: ImportContext,
    progress: Progress | None = None,
) -> Validation:
    """Validate rows below a header already matched: the whole file's, or one chunk's (``streaming``)."""
    result = Validation(header=header, total_rows=len(data_rows))
    numbers = [number for number, _cells in data_rows]
    positions = header.positions
    row_errors: dict[int, list[RowError]] = {}  # row index → errors, in column order
    absent: dict[int, list[str]] = {}  # row index → keys of blank ``blank_keeps`` cells
    by_column = _transposed(data_rows)
    parsed = [
        _parse_column(data_rows, by_column, index, column, column_header, numbers, context, row_errors, absent)
        for index, column, column_header in positions
    ]
    keys = [column.key for _index, column, _header in positions]
    key_name = spec.key
    key_position = keys.index(key_name) if key_name in keys else None
    first_row_of_key: dict[Any, int] = {}
    total = len(data_rows)
    check_columns, check_row = _row_checks(spec)
    errors = result.errors
    parsed_rows = result.rows
    if not row_errors and key_position is not None:
        key_column = parsed[key_position]
        distinct_keys = set(key_column)
        if len(distinct_keys) == total and None not in distinct_keys and _ABSENT not in distinct_keys:
            # Every cell parsed and every key there once: the same result as the loop below, with no
            # per-row bookkeeping of cell errors and duplicate keys.
            if not absent and check_row is None:
                columns = dict(zip(keys, parsed, strict=True))
                if check_columns is None or not any(True for _problem in check_columns(columns, context)):
                    result.rows = ColumnRows(numbers, key_column, columns)  # no dict per row
                    if progress is not None:
                        progress(total, total)
                    return result
            if check_columns is not None:  # some row failed: the rows one by one, to report them as usual
                check_row = _one_row_check(check_columns)
            _check_rows(keys, parsed, key_column, key_name, absent, numbers, header, check_row, context, result, progress)
            return result
    if check_columns is not None:
        check_row = _one_row_check(check_columns)
    for done, (number, cells) in enumerate(zip(numbers, zip(*parsed, strict=True), strict=True), start=1):
        index = done - 1
        failures = row_errors.get(index)
        if failures:
            errors.extend(failures)
            key = cells[key_position] if key_position is not None else None
            if key is _ABSENT or key is _FAILED:
                key = None
            failed = True
        else:
            values = dict(zip(keys, cells, strict=True))
            for gone in absent.get(index, ()):
                del values[gone]
            failed = False
            if check_row is not None:
                for key, message in check_row(values, context):
                    errors.append(RowError(number, header.header_for(key), key, str(message)))
                    failed = True
            key = values.get(key_name)
        if key is not None and _is_duplicate(number, key, key_name, first_row_of_key, header, errors):
            failed = True
        if not failed:
            parsed_rows.append(ParsedRow(number, key, values))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return result


def _row_checks(spec: ImportSpec) -> tuple[Callable | None, Callable | None]:
    """The spec's ``check_columns`` and ``check_row``, each None when not overridden (the base checks nothing)."""
    check_columns = spec.check_columns if type(spec).check_columns is not ImportSpec.check_columns else None
    check_row = spec.check_row if type(spec).check_row is not ImportSpec.check_row else None
    if check_columns is not None and check_row is not None:
        raise TypeError(f"{type(spec).__name__} overrides both check_columns and check_row: keep one.")
    return check_columns, check_row


def _one_row_check(check_columns: Callable) -> Callable:
    """``check_columns`` as a ``check_row``: the row as columns of one value each."""

    def check_row(values: dict[str, Any], context: ImportContext) -> list[tuple[str, Any]]:
        columns = {key: [value] for key, value in values.items()}
        return [(key, message) for _index, key, message in check_columns(columns, context)]

    return check_row


def _is_duplicate(number: int, key: Any, key_name: str, first_row_of_key: dict, header, errors: list) -> bool:
    """Whether ``key`` was met in an earlier row (then an error is added); else it is noted for row ``number``."""
    first = first_row_of_key.get(key)
    if first is None:
        first_row_of_key[key] = number
        return False
    errors.append(duplicate_error(header, key_name, key, first, number))
    return True


def duplicate_error(header: HeaderMap, key_name: str, key: Any, first: int, number: int) -> RowError:
    """The error of row ``number``, whose key was met first in row ``first``."""
    return RowError(number, header.header_for(key_name), key_name, str(
        _("“%(key)s” appears twice: in rows %(first)d and %(row)d.") % {"key": key, "first": first, "row": number}
    ))


def _check_rows(
    keys, parsed, key_column, key_name, absent, numbers, header, check_row, context, result, progress
) -> None:
    """The rows of a file whose every cell parsed and whose keys are distinct: only ``check_row`` can fail.

    ``check_row`` may rewrite a row's key (the punch import makes it a fingerprint of agent, time and
    kind), so with a row check the key is read back afterwards and checked for duplicates again.
    """
    all_values = list(map(dict, map(zip, repeat(keys), zip(*parsed, strict=True))))
    for index, gone_keys in absent.items():
        values = all_values[index]
        for gone in gone_keys:
            del values[gone]
    total = len(all_values)
    if check_row is None:
        result.rows.extend(map(ParsedRow, numbers, key_column, all_values))
    else:
        errors = result.errors
        passed = []
        keep = passed.append
        for done, (number, values) in enumerate(zip(numbers, all_values, strict=True), start=1):
            problems = check_row(values, context)
            if type(problems) is not list:  # a generator runs (and may rewrite the row) only when consumed
                problems = list(problems)
            if problems:
                for field_key, message in problems:
                    errors.append(RowError(number, header.header_for(field_key), field_key, str(message)))
            keep(not problems)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
        keys_after = [values.get(key_name) for values in all_values]
        if keys_after == key_column:  # the usual case: keys as parsed, and those were distinct
            result.rows.extend(compress(map(ParsedRow, numbers, key_column, all_values), passed))
        else:
            first_row_of_key: dict[Any, int] = {}
            append = result.rows.append
            for number, key, values, ok in zip(numbers, keys_after, all_values, passed, strict=True):
                if key is not None and _is_duplicate(number, key, key_name, first_row_of_key, header, errors):
                    ok = False
                if ok:
                    append(ParsedRow(number, key, values))
            errors.sort(key=attrgetter("row"))  # each duplicate after its row's own errors, as row by row
    if progress is not None:
        progress(total, total)


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


class _NotCovered(Exception):
    """A column has a cell beyond the spellings it was parsed for."""


_ABSENT = _Marker("<absent>")  # a blank cell that leaves the field alone
_FAILED = _Marker("<failed>")  # a cell with an error (reported in ``row_errors``)
_MISS = _Marker("<miss>")
MEMO_PROBE = 2048  # cells looked at before deciding whether a column repeats enough to memoise
RUN_MEMO_LIMIT = 32_768  # spellings a column remembers from one chunk to the next (see _parse_remembered)


def _transposed(data_rows: list[tuple[int, list[Any]]]) -> list[tuple[Any, ...]] | None:
    """The cells column by column (one C-level ``zip``) when every row has as many cells; else None."""
    rows = [cells for _number, cells in data_rows]
    if len(set(map(len, rows))) != 1:
        return None
    return list(zip(*rows, strict=True))


def _column_cells(
    data_rows: list[tuple[int, list[Any]]], by_column: list[tuple[Any, ...]] | None, index: int
) -> list[Any]:
    if by_column is not None:
        return list(by_column[index]) if index < len(by_column) else [None] * len(data_rows)
    try:
        return [cells[index] for _number, cells in data_rows]
    except IndexError:  # a short row: the missing cells are blank
        return [cells[index] if index < len(cells) else None for _number, cells in data_rows]


def _parse_column(
    data_rows: list[tuple[int, list[Any]]],
    by_column: list[tuple[Any, ...]] | None,
    index: int,
    column: Column,
    column_header: str,
    numbers: list[int],
    context: ImportContext,
    row_errors: dict[int, list[RowError]],
    absent: dict[int, list[str]],
) -> list[Any]:
    """Parse one column's cells: its values in row order, with markers for blanks and errors.

    A column is parsed as a whole, so its parser is looked up once and text
    cells that repeat (dates, teams, channels, yes/no) are parsed once per
    distinct spelling; a column of mostly distinct cells stops memoising after
    :data:`MEMO_PROBE` cells. Errors go to ``row_errors`` by row index in the
    order the columns are parsed, which is the order of the old row-by-row loop.
    """
    cells = _column_cells(data_rows, by_column, index)
    if column.memoize:
        probe = cells[:MEMO_PROBE]
        seen = dict.fromkeys(probe)
        if len(seen) > len(probe) * 3 // 4 and _cheap_per_cell(column.parse) and set(map(type, cells)) == {str}:
            # Mostly distinct texts (ids, times) for a parser that takes a column at once or as it is:
            # remembering each spelling would cost more than it saves.
            return _parse_text_column(cells, None, column, column_header, numbers, context, row_errors, absent)
        if len(probe) < len(cells) and len(seen) * 32 <= len(probe) and set(map(type, seen)) == {str}:
            # Each spelling seen many times in the first cells: likely all the column has (channels, yes/no).
            try:
                return _parse_text_column(
                    cells, seen, column, column_header, numbers, context, row_errors, absent, complete=False
                )
            except _NotCovered:
                pass
        distinct = dict.fromkeys(cells)
        if set(map(type, distinct)) == {str}:  # then every cell is text (no 1 / True / 1.0 collisions)
            return _parse_text_column(cells, distinct, column, column_header, numbers, context, row_errors, absent)
    parse = column.parse
    key = column.key
    required = column.required
    blank = column.blank_value
    blank_is_list = isinstance(blank, list)
    memo: dict[str, Any] | None = {} if column.memoize else None
    failures: dict[Any, str] = {}  # cell → error message, for memoised cells
    out: list[Any] = []
    append = out.append
    for position, cell in enumerate(cells):
        if memo is not None and type(cell) is str:
            value = memo.get(cell, _MISS)
            if value is not _MISS:
                if value is _FAILED:
                    row_errors.setdefault(position, []).append(
                        RowError(numbers[position], column_header, key, failures[cell])
                    )
                elif value is _ABSENT:
                    absent.setdefault(position, []).append(key)
                elif type(value) is list:
                    value = list(value)
                append(value)
                continue
            if len(memo) >= MEMO_PROBE and position < 2 * MEMO_PROBE and len(memo) > position * 3 // 4:
                memo = None  # mostly distinct values: memoising costs more than it saves
        raw = clean_text(cell)
        if raw is None or raw == "":
            if required:
                message = str(_("This cell is required."))
                row_errors.setdefault(position, []).append(RowError(numbers[position], column_header, key, message))
                value = _FAILED
                if memo is not None and type(cell) is str:
                    failures[cell] = message
            elif column.blank_keeps:
                absent.setdefault(position, []).append(key)
                value = _ABSENT
            else:
                value = list(blank) if blank_is_list else blank
        else:
            try:
                value = parse(raw, context)
            except CellError as exc:
                message = str(exc.message)
                row_errors.setdefault(position, []).append(RowError(numbers[position], column_header, key, message))
                value = _FAILED
                if memo is not None and type(cell) is str:
                    failures[cell] = message
        if memo is not None and type(cell) is str:
            memo[cell] = value
            if type(value) is list:
                value = list(value)
        append(value)
    return out


def _cheap_per_cell(parse: Any) -> bool:
    """Whether a parser takes many texts at once (``parse_texts``) or may keep them as they are (``text``),
    and does not say its values repeat (``values_repeat``: dates, where the memo pays even when the first
    cells differ)."""
    if getattr(parse, "values_repeat", False):
        return False
    return hasattr(parse, "parse_texts") or hasattr(parse, "text_max_length")


def _fits_as_text(spellings: list[str], parse: Any) -> bool:
    """Whether a ``cells.text`` column is its cells as they are: none blank, padded, quoted or too long."""
    if not hasattr(parse, "text_max_length") or not spellings:
        return False
    if "" in spellings or list(map(str.strip, spellings)) != spellings:
        return False
    if "\n'" in "\n" + "\n".join(spellings):  # a cell starting with ' may be our export's formula guard
        return False
    if hidden_character(" ".join(spellings)) is not None:
        return False  # each cell goes through the parser, which names the character
    limit = parse.text_max_length
    return limit is None or max(map(len, spellings)) <= limit


def _parse_text_column(
    cells: list[str],
    distinct: dict[str, Any] | None,
    column: Column,
    column_header: str,
    numbers: list[int],
    context: ImportContext,
    row_errors: dict[int, list[RowError]],
    absent: dict[int, list[str]],
    complete: bool = True,
) -> list[Any]:
    """A column of text cells: each distinct cell parsed once (``distinct``), or each cell (None: mostly
    distinct cells, not worth remembering), then spread over the rows.

    With ``complete`` False, ``distinct`` holds the spellings of the first cells only: when another
    cell is not among them, :class:`_NotCovered` is raised before anything is reported.

    A parser with a ``parse_texts(texts, context)`` attribute may parse all the
    non-blank texts at once: it returns their values in order, or None to have them
    parsed one by one (as when one of them is wrong, so that each error is reported
    as usual).
    """
    spellings = cells if distinct is None else list(distinct)
    if complete and _fits_as_text(spellings, column.parse):
        return cells
    if distinct is None:
        values, failures = _parse_spellings(spellings, column, context)
    else:
        values, failures = _parse_remembered(spellings, column, context)
    if distinct is None:
        out = values
    else:
        distinct.update(zip(spellings, values, strict=True))
        try:
            out = list(map(distinct.__getitem__, cells))
        except KeyError:  # only when not ``complete``: a text that is not among the spellings
            raise _NotCovered from None
    key = column.key
    kinds = set(map(type, values))
    if _Marker in kinds:  # a blank or wrong cell
        if distinct is not None:
            failures = {spellings[i]: message for i, message in failures.items()}
        for position, value in enumerate(out):
            if value is _FAILED:
                message = failures[position if distinct is None else cells[position]]
                row_errors.setdefault(position, []).append(RowError(numbers[position], column_header, key, message))
            elif value is _ABSENT:
                absent.setdefault(position, []).append(key)
    if list in kinds:  # every row gets its own list, as from the parser
        out = [list(v) if type(v) is list else v for v in out]
    return out


def _parse_remembered(
    spellings: list[str], column: Column, context: ImportContext
) -> tuple[list[Any], dict[int, str]]:
    """:func:`_parse_spellings`, but a spelling parsed in an earlier chunk of the run is not parsed again.

    A file read in chunks (``streaming``) meets a column's repeating spellings (dates, teams) in every
    chunk; a memoised parser depends only on the cell and the run's context, so each column keeps up
    to :data:`RUN_MEMO_LIMIT` spellings with their values (or error messages) for the rest of the run.
    """
    memo = context.parsed.setdefault(column.key, {})
    new = [spelling for spelling in spellings if spelling not in memo] if memo else spellings
    fresh: dict[str, tuple[Any, str | None]] = {}
    if new:
        new_values, new_failures = _parse_spellings(new, column, context)
        fresh = {spelling: (value, new_failures.get(i))
                 for i, (spelling, value) in enumerate(zip(new, new_values, strict=True))}
        room = RUN_MEMO_LIMIT - len(memo)
        if room > 0:
            memo.update(islice(fresh.items(), room))
        if len(new) == len(spellings):  # nothing known yet (a first chunk, a whole file)
            return new_values, new_failures
    values: list[Any] = []
    failures: dict[int, str] = {}
    for i, spelling in enumerate(spellings):
        value, message = fresh.get(spelling) or memo[spelling]
        values.append(value)
        if message is not None:
            failures[i] = message
    return values, failures


def _parse_spellings(spellings: list[str], column: Column, context: ImportContext) -> tuple[list[Any], dict[int, str]]:
    """Each spelling's value (or a marker: blank, failed), and the failures' messages by position."""
    parse = column.parse
    count = len(spellings)
    cleaned = list(map(str.strip, spellings))
    if "\n'" in "\n" + "\n".join(cleaned):  # a cell starting with ' may be our export's formula guard
        cleaned = [clean_text(raw) for raw in cleaned]
    values: list[Any] | None = None
    left: Any = range(count)  # positions (in ``spellings``) still to parse one by one
    parse_texts = getattr(parse, "parse_texts", None)
    if parse_texts is not None:
        blanks = cleaned.count("")  # the rest are filled (C loops: a date-time column is all distinct)
        texts = list(filter(None, cleaned)) if blanks else cleaned
        parsed = parse_texts(texts, context) if texts else None
        if parsed is not None and not blanks:
            values, left = parsed, ()
        elif parsed is not None:  # the parsed values to their places, the blanks left for the loop below
            values = [_MISS] * count
            deque(map(values.__setitem__, compress(range(count), cleaned), parsed), maxlen=0)
            left = list(compress(range(count), map(not_, cleaned)))
    if values is None:
        values = [_MISS] * count
    failures: dict[int, str] = {}  # position in ``spellings`` → message
    for i in left:
        raw = cleaned[i]
        if raw == "":
            if column.required:
                failures[i] = str(_("This cell is required."))
                value = _FAILED
            elif column.blank_keeps:
                value = _ABSENT
            else:
                value = column.blank_value
        else:
            try:
                value = parse(raw, context)
            except CellError as exc:
                failures[i] = str(exc.message)
                value = _FAILED
        values[i] = value
    return values, failures
