"""Matching a file's header row to a spec's columns by Chinese or English aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .cells import as_text
from .errors import RowError
from .spec import Column, ImportSpec

HEADER_SCAN_ROWS = 10  # a title or notes may precede the header row
_BRACKETED = re.compile(r"[(（\[【<《].*?[)）\]】>》]")
_NOISE = re.compile(r"[\s_\-:：*＊]+")


def normalize_header(value: Any) -> str:
    """Header text folded for matching: width, case, spaces, ``*`` marks and (notes) dropped."""
    value = unicodedata.normalize("NFKC", as_text(value)).casefold()
    value = _BRACKETED.sub("", value)
    return unicodedata.normalize("NFKC", _NOISE.sub("", value))


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_aliases(spec: ImportSpec) -> dict[str, Column]:
    """Every accepted spelling of every column: key, label in each language, aliases."""
    cached = getattr(spec, "_header_aliases", None)
    if cached is not None:
        return cached
    from django.conf import settings
    from django.utils import translation

    table: dict[str, Column] = {}
    for column in spec.columns:
        spellings = [column.key, *column.aliases]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                spellings.append(str(column.label))
        for spelling in spellings:
            table.setdefault(normalize_header(spelling), column)
    spec._header_aliases = table
    return table


def accepted_headers(column: Column) -> str:
    return " / ".join(dict.fromkeys([str(column.label), *column.aliases]))


@dataclass
class HeaderMap:
    """Where each recognised column sits in the file, and what is wrong with the header."""

    row: int
    positions: list[tuple[int, Column, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    def header_for(self, key: str) -> str:
        for _index, column, header in self.positions:
            if column.key == key:
                return header
        return key

    @property
    def keys(self) -> list[str]:
        return [column.key for _i, column, _h in self.positions]


def count_matches(cells: list[Any], spec: ImportSpec) -> int:
    aliases = header_aliases(spec)
    return len({aliases[n].key for n in (normalize_header(c) for c in cells if c is not None) if n in aliases})


def locate_header(rows: list[tuple[int, list[Any]]], spec: ImportSpec) -> int:
    """Index (in ``rows``) of the header row: the first of the leading rows with the most matches."""
    best, best_count = 0, 0
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = count_matches(cells, spec)
        if found > best_count:
            best, best_count = index, found
    return best


def match_headers(cells: list[Any], spec: ImportSpec, row: int) -> HeaderMap:
    aliases = header_aliases(spec)
    result = HeaderMap(row=row)
    seen: dict[str, tuple[int, str]] = {}
    ignored = {normalize_header(h) for h in spec.ignored_headers}
    for index, cell in enumerate(cells):
        header = "" if cell is None else as_text(cell).strip()
        if not header:
            continue
        normalized = normalize_header(header)
        column = aliases.get(normalized)
        if column is None and normalized in ignored:
            continue
        if column is None:
            result.warnings.append(
                RowError(row, header, "", str(
                    _("Column %(letter)s “%(header)s” is not recognised and is ignored.")
                    % {"letter": column_letter(index), "header": header}
                ))
            )
            continue
        if column.key in seen:
            first_index, first_header = seen[column.key]
            result.errors.append(
                RowError(row, header, column.key, str(
                    _("Columns %(first_letter)s “%(first)s” and %(letter)s “%(header)s” both mean “%(label)s”; keep one.")
                    % {
                        "first_letter": column_letter(first_index),
                        "first": first_header,
                        "letter": column_letter(index),
                        "header": header,
                        "label": column.label,
                    }
                ))
            )
            continue
        seen[column.key] = (index, header)
        result.positions.append((index, column, header))
    for column in spec.columns:
        if column.required and column.key not in seen:
            result.errors.append(
                RowError(row, str(column.label), column.key, str(
                    _("Required column “%(label)s” is missing (accepted headers: %(accepted)s).")
                    % {"label": column.label, "accepted": accepted_headers(column)}
                ))
            )
    if spec.key not in seen and not any(e.field == spec.key for e in result.errors):
        key = spec.key_column
        result.errors.append(
            RowError(row, str(key.label), key.key, str(
                _("Key column “%(label)s” is missing (accepted headers: %(accepted)s).")
                % {"label": key.label, "accepted": accepted_headers(key)}
            ))
        )
    return result
