"""Cell parsers for contact exports: date-times, durations, yes/no, satisfaction. Pure functions."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from operator import attrgetter
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiren.imports.cells import as_text, normalize_token
from zhiren.imports.errors import CellError

_DATETIME_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:[.,](\d{1,6}))?\s*秒?)?)?$"
)
_CLOCK_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
_UNITS_RE = re.compile(r"^(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|m|min))?\s*(?:(\d+)\s*(?:秒|s|sec))?$")


def datetime_parser(tz: tzinfo):
    """Date and time as ``2024-03-01 09:15:22``, ``2024/3/1 9:15``, ISO 8601 or an Excel cell.

    A time without a zone is local time (``tz``).
    """

    def parse(value: Any, context: Any) -> datetime:
        if type(value) is str:  # the usual case first (CSV)
            raw = value
        elif isinstance(value, datetime):
            raw = None
            result = value
        elif isinstance(value, date):
            raw = None
            result = datetime.combine(value, time())
        else:
            raw = as_text(value)
        if raw is not None:
            try:
                result = datetime.fromisoformat(raw)
            except ValueError:
                match = _DATETIME_RE.match(raw)
                if not match:
                    raise CellError(
                        _("“%(value)s” is not a date and time; write it like 2024-03-01 09:15:00.") % {"value": raw}
                    ) from None
                parts = [int(p) if p else 0 for p in match.groups()[:6]]
                try:
                    result = datetime(*parts)
                except ValueError:
                    raise CellError(_("“%(value)s” is not a valid date and time.") % {"value": raw}) from None
        if not 2000 <= result.year <= 2100:
            raise CellError(_("The year %(year)d is out of range.") % {"year": result.year})
        if result.tzinfo is None:  # the constructor is about twice as fast as replace(tzinfo=…)
            return datetime(result.year, result.month, result.day, result.hour, result.minute, result.second,
                            result.microsecond, tz, fold=result.fold)
        return result

    def parse_texts(texts: list[str], context: Any) -> list[datetime] | None:
        """A column's distinct texts at once, when all are ISO 8601 local times of the allowed years
        (``fromisoformat`` over the list in C); else None, and each is parsed by ``parse``."""
        try:
            naive = list(map(datetime.fromisoformat, texts))
        except ValueError:
            return None
        if set(map(_tzinfo, naive)) != {None} or min(naive).year < 2000 or max(naive).year > 2100:
            return None
        return [datetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tz) for d in naive]

    parse.parse_texts = parse_texts
    return parse


_tzinfo = attrgetter("tzinfo")


@lru_cache(maxsize=8192)
def _duration_text(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        pass
    else:
        return round(number) if number == number and number != float("inf") else None
    match = _CLOCK_RE.match(raw)
    if match:
        hours, minutes, seconds = (int(p) if p else 0 for p in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = _UNITS_RE.match(raw)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(p) if p else 0 for p in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def duration(value: Any, context: Any) -> int:
    """Seconds, written as ``125``, ``125.0``, ``00:02:05``, ``2:05``, ``2分5秒`` or an Excel time."""
    if isinstance(value, bool):
        raise CellError(_("Not a duration."))
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        result = round(value)
    elif isinstance(value, time):
        result = value.hour * 3600 + value.minute * 60 + value.second
    elif isinstance(value, timedelta):
        result = int(value.total_seconds())
    else:
        raw = as_text(value).replace(",", "")
        result = _duration_text(raw)
        if result is None:
            raise CellError(
                _("“%(value)s” is not a duration; write seconds (125), 00:02:05 or 2分5秒.") % {"value": raw}
            )
    if result < 0:
        raise CellError(_("A duration cannot be negative."))
    return result


YES = {"1", "y", "yes", "true", "t", "是", "有", "已", "√", "✓", "已解决", "解决", "已转接", "转接", "放弃", "已放弃", "呼损"}
NO = {"0", "n", "no", "false", "f", "否", "无", "未", "×", "✗", "未解决", "未转接", "接通", "未放弃"}
_YES = {normalize_token(v) for v in YES}
_NO = {normalize_token(v) for v in NO}


def yes_no(value: Any, context: Any) -> bool:
    if isinstance(value, bool):
        return value
    token = normalize_token(as_text(value))
    if token in _YES:
        return True
    if token in _NO:
        return False
    raise CellError(_("“%(value)s” is not yes or no (是/否, 1/0, yes/no).") % {"value": as_text(value)})


CSAT_WORDS = {
    "非常满意": 5, "很满意": 5, "满意": 4, "一般": 3, "基本满意": 3, "不满意": 2, "非常不满意": 1, "很不满意": 1,
    "very satisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2, "very dissatisfied": 1,
}
_CSAT_WORDS = {normalize_token(k): v for k, v in CSAT_WORDS.items()}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(as_text(value).replace("分", "").replace("星", ""))
    except ValueError:
        return None


def csat(value: Any, context: Any) -> int:
    """Satisfaction 1–5, as a number or a word (非常满意 … 非常不满意)."""
    number = _number(value)
    if number is None:
        number = _CSAT_WORDS.get(normalize_token(as_text(value)))
    if number is None or number != int(number) or not 1 <= number <= 5:
        raise CellError(_("Satisfaction must be 1 to 5 (or 非常满意 … 非常不满意); got “%(value)s”.")
                        % {"value": as_text(value)})
    return int(number)


def nps(value: Any, context: Any) -> int:
    number = _number(value)
    if number is None or number != int(number) or not 0 <= number <= 10:
        raise CellError(_("A recommendation answer must be a whole number from 0 to 10; got “%(value)s”.")
                        % {"value": as_text(value)})
    return int(number)
