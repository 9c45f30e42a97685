"""Cell parsers: turn one non-blank cell into a value, or raise ``CellError``.

Each factory returns a parser ``parse(value, context)``. Values are what a
file gives: strings from CSV, or str / int / float / datetime from XLSX. The
framework strips strings and drops blank cells before a parser sees them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.core.text import join_list

from .errors import CellError

FORMULA_PREFIX = "'"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: Any) -> Any:
    """Strip a string cell and undo our own export's formula neutralisation (``'=``)."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if len(value) > 1 and value[0] == FORMULA_PREFIX and value[1] in FORMULA_TRIGGERS:
        value = value[1:]
    return value


def as_text(value: Any) -> str:
    """A cell as text: ``1001.0`` from Excel becomes ``"1001"``."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@lru_cache(maxsize=16384)
def normalize_token(value: str) -> str:
    """Fold width and case, drop spaces: for matching codes, labels and headers."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return unicodedata.normalize("NFKC", re.sub(r"[\s_\-]+", "", value))


# Characters a name or an identifier never holds and a reader cannot see: control
# characters (a line break in an employee number), and the zero-width and
# text-direction marks that can make "exe.pdf" read as "fdp.exe".
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def hidden_character(value: str) -> str | None:
    """The first invisible control or text-direction character in ``value``, if any."""
    match = _HIDDEN.search(value)
    return match.group() if match else None


def text(max_length: int | None = None) -> Callable[[Any, Any], str]:
    """One line of visible text (a name, a code), at most ``max_length`` characters."""

    def parse(value: Any, context: Any) -> str:
        result = as_text(value)
        hidden = hidden_character(result)
        if hidden is not None:
            raise CellError(
                _("Holds an invisible control or text-direction character (U+%(code)04X); "
                  "type the value again without it.") % {"code": ord(hidden)}
            )
        if max_length is not None and len(result) > max_length:
            raise CellError(
                _("At most %(limit)d characters (this has %(count)d).")
                % {"limit": max_length, "count": len(result)}
            )
        return result

    # Lets validation take a whole column of text cells that fit as they are, without a call per cell.
    parse.text_max_length = max_length
    return parse


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _plain_date(value: str) -> date | None | bool:
    """``2024-03-01``, ``2024/3/1`` or ``2024.3.1`` without a regex; False when not of that shape."""
    for separator in "-/.":
        parts = value.split(separator)
        if len(parts) == 3:
            year, month, day = parts
            if (len(year) == 4 and 1 <= len(month) <= 2 and 1 <= len(day) <= 2
                    and year.isdecimal() and month.isdecimal() and day.isdecimal()):  # what \d matches
                try:
                    return date(int(year), int(month), int(day))
                except ValueError:
                    return None
            return False
    return False


_PLAIN_DATES_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\n\d{4}[-/.]\d{1,2}[-/.]\d{1,2})*")
_NUMBER_RE = re.compile(r"\d+")


def _plain_dates(texts: list[str], min_year: int, max_year: int) -> list[date] | None:
    """Many plain dates (``2024-03-01``, ``2024/3/1``, ``2024.3.1``) at once, in C: one regex over the
    joined texts, their numbers mapped to ``date``. None when one is of another shape, not a real
    date or out of the years (then each text is parsed, and reported, on its own)."""
    joined = "\n".join(texts)
    if not _PLAIN_DATES_RE.fullmatch(joined):
        return None
    numbers = list(map(int, _NUMBER_RE.findall(joined)))
    if len(numbers) != 3 * len(texts):  # a text holding a line break
        return None
    years = numbers[0::3]
    if min(years) < min_year or max(years) > max_year:
        return None
    try:
        return list(map(date, years, numbers[1::3], numbers[2::3]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse_date_text(value: str) -> date | None:
    if len(value) <= 10:
        plain = _plain_date(value)
        if plain is not False:
            return plain
    match = _DATE_RE.match(value) or _COMPACT_DATE_RE.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def date_value(
    min_year: int = 1900, max_year: int = 2100, check: Callable[[date], None] | None = None
) -> Callable[[Any, Any], date]:
    """Dates as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301 or an Excel date cell.

    ``check(day)`` raises ``CellError`` for a real date that is not plausible here (a
    birthday in the future, say).
    """

    def parse(value: Any, context: Any) -> date:
        if isinstance(value, datetime):
            result = value.date()
        elif isinstance(value, date):
            result = value
        else:
            result = _parse_date_text(as_text(value))
            if result is None:
                raise CellError(
                    _("“%(value)s” is not a date; write it like 2024-03-01 or 2024年3月1日.")
                    % {"value": as_text(value)}
                )
        if not min_year <= result.year <= max_year:
            raise CellError(_("The year %(year)d is out of range.") % {"year": result.year})
        if check is not None:
            check(result)
        return result

    def parse_texts(texts: list[str], context: Any) -> list[date] | None:
        days = _plain_dates(texts, min_year, max_year)
        if days is not None and check is not None:
            try:
                for day in set(days):
                    check(day)
            except CellError:
                return None  # parsed one by one, so each implausible date is reported on its row
        return days

    # Lets validation parse a column's distinct texts at once (see ``validation._parse_text_column``); dates
    # repeat (hire dates, birthdays), so they are still reduced to distinct spellings first.
    parse.parse_texts = parse_texts
    parse.values_repeat = True
    return parse


def integer(min_value: int | None = None, max_value: int | None = None) -> Callable[[Any, Any], int]:
    def parse(value: Any, context: Any) -> int:
        if isinstance(value, bool):
            raise CellError(_("Not a whole number."))
        if isinstance(value, int):
            result = value
        elif isinstance(value, float) and value.is_integer():
            result = int(value)
        else:
            raw = as_text(value).replace(",", "")
            try:
                result = int(raw)
            except ValueError:
                raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from None
        if min_value is not None and result < min_value:
            raise CellError(_("Must be at least %(min)d.") % {"min": min_value})
        if max_value is not None and result > max_value:
            raise CellError(_("Must be at most %(max)d.") % {"max": max_value})
        return result

    return parse


def decimal_value(places: int | None = None) -> Callable[[Any, Any], Decimal]:
    def parse(value: Any, context: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellError(_("Not a number."))
        raw = as_text(value).replace(",", "").rstrip("%")
        try:
            result = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not result.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        if places is not None:
            result = result.quantize(Decimal(1).scaleb(-places))
        return result

    return parse


def choice_lookup(options: Iterable[tuple[Any, Iterable[str]]]) -> dict[str, Any]:
    """A table from normalised spellings (code, labels, aliases) to values."""
    table: dict[str, Any] = {}
    for value, spellings in options:
        for spelling in spellings:
            if spelling:
                table.setdefault(normalize_token(str(spelling)), value)
    return table


def choices_with_aliases(
    choices: type[models.TextChoices], aliases: Mapping[str, Iterable[str]] | None = None
) -> list[tuple[str, list[str]]]:
    """Each choice's code, its label in every configured language, and extra aliases."""
    from django.conf import settings
    from django.utils import translation

    options: dict[str, list[str]] = {value: [value] for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                options[value].append(str(label))
    for value, extra in (aliases or {}).items():
        options[value].extend(extra)
    return list(options.items())


def choice(lookup: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> Callable[[Any, Any], Any]:
    """One value out of a set, matched on code or any label/alias, ignoring case and width."""
    resolved: list[Mapping[str, Any]] = []

    def table() -> Mapping[str, Any]:
        if not resolved:
            resolved.append(lookup() if callable(lookup) else lookup)
        return resolved[0]

    def parse(value: Any, context: Any) -> Any:
        raw = as_text(value)
        try:
            return table()[normalize_token(raw)]
        except KeyError:
            raise CellError(_("Unknown value “%(value)s”.") % {"value": raw}) from None

    return parse


LIST_SEPARATORS = re.compile(r"\s*[,，、/;；|]\s*")


def multi_choice(
    lookup: Mapping[str, Any] | Callable[[], Mapping[str, Any]], order: Iterable[Any] = ()
) -> Callable[[Any, Any], list[Any]]:
    """Several values separated by , ， 、 / ; — deduplicated, in ``order`` when given."""
    single = choice(lookup)
    rank = {v: i for i, v in enumerate(order)}
    seen: dict[str, list[Any]] = {}  # the same few spellings recur on every row

    def parse(value: Any, context: Any) -> list[Any]:
        raw = as_text(value)
        cached = seen.get(raw)
        if cached is None:
            cached = split(raw, context)
            if len(seen) < 4096:
                seen[raw] = cached
        return list(cached)

    def split(raw: str, context: Any) -> list[Any]:
        result: list[Any] = []
        unknown: list[str] = []
        for part in LIST_SEPARATORS.split(raw):
            if not part:
                continue
            try:
                item = single(part, context)
            except CellError:
                unknown.append(part)
                continue
            if item not in result:
                result.append(item)
        if unknown:
            raise CellError(_("Unknown value(s): %(values)s.") % {"values": join_list(unknown)})
        if rank:
            result.sort(key=lambda v: rank.get(v, len(rank)))
        return result

    return parse


def display_value(value: Any) -> str:
    """How a value appears in a preview's diff."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(display_value(v) for v in value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
