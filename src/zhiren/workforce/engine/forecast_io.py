"""Reading forecast inputs from CSV and writing results as CSV or JSON.

Row numbers in errors are spreadsheet rows: the header is row 1, the first
data row is row 2.  Files may be UTF-8 (with or without BOM) or GB18030
(a common encoding of spreadsheets saved on Chinese Windows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Literal, overload

from .backtest import BacktestReport
from .calendar_cn import HolidayEntry
from .errors import EngineInputError
from .forecast import Event, ForecastResult, IntervalObservation

HISTORY_COLUMNS = {
    "interval_start": ("interval_start", "start", "timestamp"),
    "queue": ("queue",),
    "volume": ("volume", "offered", "contacts"),
    "aht_seconds": ("aht_seconds", "aht"),
}
_DATETIME_FORMATS = ("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M")
_DATE_FORMATS = ("%Y/%m/%d",)


def _read_text(source: str | Path | IO[str]) -> str:
    if not isinstance(source, (str, Path)):
        return source.read()
    raw = Path(source).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise EngineInputError(f"{source}: not UTF-8 or GB18030 text") from exc


def _rows(source: str | Path | IO[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    text = _read_text(source).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise EngineInputError("the file is empty", row=1) from None

    def gen() -> Iterator[tuple[int, dict[str, str]]]:
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise EngineInputError(
                    f"{len(values)} values but the header has {len(header)} columns", row=n
                )
            yield (
                n,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )

    return header, gen()


@overload
def _resolve(
    header: list[str], name: str, aliases: tuple[str, ...], required: Literal[True]
) -> str: ...


@overload
def _resolve(
    header: list[str], name: str, aliases: tuple[str, ...], required: bool
) -> str | None: ...


def _resolve(header: list[str], name: str, aliases: tuple[str, ...], required: bool) -> str | None:
    for a in aliases:
        if a in header:
            return a
    if required:
        raise EngineInputError(f"missing column '{name}' (header: {', '.join(header)})", row=1)
    return None


def parse_datetime(value: str, *, row: int, column: str) -> dt.datetime:
    if not value:
        raise EngineInputError("empty timestamp", row=row, column=column)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise EngineInputError(
        f"{value!r} is not a timestamp (use e.g. 2025-03-01T08:30 or 2025-03-01 08:30+08:00)",
        row=row,
        column=column,
    )


def parse_date(value: str, *, row: int | None, column: str) -> dt.date:
    if not value:
        raise EngineInputError("empty date", row=row, column=column)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise EngineInputError(f"{value!r} is not a date (use YYYY-MM-DD)", row=row, column=column)


def parse_number(value: str, *, row: int, column: str, allow_blank: bool = False) -> float | None:
    if value == "":
        if allow_blank:
            return None
        raise EngineInputError("empty value", row=row, column=column)
    try:
        x = float(value.replace(",", ""))
    except ValueError:
        raise EngineInputError(f"{value!r} is not a number", row=row, column=column) from None
    if not math.isfinite(x) or x < 0:
        raise EngineInputError(f"{value!r} must be a number >= 0", row=row, column=column)
    return x


def read_history_csv(
    source: str | Path | IO[str], *, default_queue: str = "default"
) -> list[IntervalObservation]:
    """Columns ``interval_start, queue, volume, aht_seconds`` (queue and AHT optional)."""
    header, rows = _rows(source)
    c_start = _resolve(header, "interval_start", HISTORY_COLUMNS["interval_start"], True)
    c_queue = _resolve(header, "queue", HISTORY_COLUMNS["queue"], False)
    c_vol = _resolve(header, "volume", HISTORY_COLUMNS["volume"], True)
    c_aht = _resolve(header, "aht_seconds", HISTORY_COLUMNS["aht_seconds"], False)
    out: list[IntervalObservation] = []
    aware: bool | None = None
    seen: set[tuple[str, dt.datetime]] = set()
    for n, rec in rows:
        ts = parse_datetime(rec[c_start], row=n, column=c_start)
        if aware is None:
            aware = ts.tzinfo is not None
        elif aware != (ts.tzinfo is not None):
            raise EngineInputError(
                "mixes timezone-aware and naive timestamps; use one style", row=n, column=c_start
            )
        queue = rec[c_queue] if c_queue else default_queue
        if not queue:
            raise EngineInputError("empty queue", row=n, column=c_queue)
        vol = parse_number(rec[c_vol], row=n, column=c_vol)
        aht = parse_number(rec[c_aht], row=n, column=c_aht, allow_blank=True) if c_aht else None
        key = (queue, ts)
        if key in seen:
            raise EngineInputError(
                f"duplicate interval {rec[c_start]} for queue {queue!r}", row=n, column=c_start
            )
        seen.add(key)
        out.append(IntervalObservation(ts, queue, float(vol or 0.0), aht))
    if not out:
        raise EngineInputError("no data rows", row=2)
    return out


def read_events_csv(source: str | Path | IO[str]) -> list[Event]:
    """Promotions and other events, one row per occurrence.

    Columns ``name`` and either ``peak_date`` or ``start_date``; optional ``family``,
    ``end_date`` and ``uplift``. A row with only a peak day (or a one-day row with a
    blank uplift, the older format) gets a profile learned around its peak from its
    family's past occurrences; a row with an uplift, or several days and no peak, gets
    one factor on each of its days (blank uplift = learned, blank end = one day).
    """
    header, rows = _rows(source)
    _resolve(header, "name", ("name",), True)
    has_start, has_peak = "start_date" in header, "peak_date" in header
    if not has_start and not has_peak:
        _resolve(header, "peak_date", ("peak_date", "start_date"), True)
    has_end, has_uplift, has_family = "end_date" in header, "uplift" in header, "family" in header
    out: list[Event] = []
    for n, rec in rows:
        if not rec["name"]:
            raise EngineInputError("empty event name", row=n, column="name")
        peak = (
            parse_date(rec["peak_date"], row=n, column="peak_date")
            if has_peak and rec["peak_date"]
            else None
        )
        if has_start and rec["start_date"]:
            start = parse_date(rec["start_date"], row=n, column="start_date")
        elif peak is not None:
            start = peak
        else:
            column = "peak_date" if has_peak else "start_date"
            raise EngineInputError("empty date: give the peak day", row=n, column=column)
        end = (
            parse_date(rec["end_date"], row=n, column="end_date")
            if has_end and rec["end_date"]
            else start
        )
        if peak is not None and not (has_start and rec["start_date"]) and end < peak:
            end = peak
        if end < start:
            raise EngineInputError("end_date is before start_date", row=n, column="end_date")
        if peak is not None and not start <= peak <= end:
            raise EngineInputError(
                f"peak_date {peak} is outside {start}..{end}", row=n, column="peak_date"
            )
        uplift = (
            parse_number(rec["uplift"], row=n, column="uplift", allow_blank=True)
            if has_uplift
            else None
        )
        if uplift is not None and uplift <= 0:
            raise EngineInputError("uplift must be > 0 (1.5 = +50%)", row=n, column="uplift")
        family = (rec["family"] or None) if has_family else None
        out.append(Event(rec["name"], start, end, uplift, family=family, peak=peak))
    return out


def read_holidays_csv(source: str | Path | IO[str]) -> list[HolidayEntry]:
    """Columns ``date, kind, name``; kind ``holiday`` (day off) or ``workday`` (调休 working day)."""
    header, rows = _rows(source)
    for c in ("date", "kind"):
        _resolve(header, c, (c,), True)
    out: list[HolidayEntry] = []
    seen: set[dt.date] = set()
    for n, rec in rows:
        day = parse_date(rec["date"], row=n, column="date")
        kind = rec["kind"].lower()
        if kind not in ("holiday", "workday"):
            raise EngineInputError(
                f"kind must be 'holiday' or 'workday', got {rec['kind']!r}", row=n, column="kind"
            )
        if day in seen:
            raise EngineInputError(f"date {day} listed twice", row=n, column="date")
        seen.add(day)
        out.append(HolidayEntry(day, kind, rec.get("name", "")))
    return out


# ---------------------------------------------------------------------------
# output


def _fmt(x: float | None, digits: int = 3) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def forecast_to_csv(result: ForecastResult, out: IO[str]) -> None:
    w = csv.writer(out, lineterminator="\n")
    if result.granularity == "interval":
        w.writerow(["interval_start", "queue", "volume", "aht_seconds"])
        for r in result.intervals:
            w.writerow(
                [
                    r.start.isoformat(timespec="minutes"),
                    r.queue,
                    _fmt(r.volume),
                    _fmt(r.aht_seconds, 1),
                ]
            )
    else:
        w.writerow(
            [
                "date",
                "queue",
                "volume",
                "aht_seconds",
                "day_kind",
                "holiday",
                "events",
                "provisional",
            ]
        )
        for d in result.daily:
            w.writerow(
                [
                    d.date.isoformat(),
                    d.queue,
                    _fmt(d.volume),
                    _fmt(d.aht_seconds, 1),
                    d.day_kind,
                    d.holiday or "",
                    ";".join(d.events),
                    "yes" if d.provisional else "",
                ]
            )


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 4)


def forecast_to_dict(result: ForecastResult) -> dict[str, object]:
    return {
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "granularity": result.granularity,
        "interval_minutes": result.interval_minutes,
        "provisional_years": result.provisional_years,
        "warnings": result.warnings,
        "model_description": result.model_description,
        "daily": [
            {
                "date": d.date.isoformat(),
                "queue": d.queue,
                "volume": _num(d.volume),
                "aht_seconds": _num(d.aht_seconds),
                "day_kind": d.day_kind,
                "holiday": d.holiday,
                "events": list(d.events),
                "provisional": d.provisional,
            }
            for d in result.daily
        ],
        "intervals": [
            {
                "interval_start": r.start.isoformat(timespec="minutes"),
                "queue": r.queue,
                "volume": _num(r.volume),
                "aht_seconds": _num(r.aht_seconds),
            }
            for r in result.intervals
        ],
    }


def backtest_to_csv(report: BacktestReport, out: IO[str]) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        ["queue", "level", "method", "wape", "mape", "bias", "aht_wape", "points", "actual_total"]
    )
    for r in report.rows:
        w.writerow(
            [
                r.queue,
                r.level,
                r.method,
                _fmt(r.wape, 4),
                _fmt(r.mape, 4),
                _fmt(r.bias, 4),
                _fmt(r.aht_wape, 4),
                r.points,
                _fmt(r.actual_total, 1),
            ]
        )


def backtest_to_dict(report: BacktestReport) -> dict[str, object]:
    return {
        "holdout_start": report.holdout_start.isoformat(),
        "holdout_end": report.holdout_end.isoformat(),
        "weeks": report.weeks,
        "interval_minutes": report.interval_minutes,
        "bias_convention": "sum(forecast - actual) / sum(actual); positive = over-forecast",
        "rows": [
            {
                "queue": r.queue,
                "level": r.level,
                "method": r.method,
                "wape": _num(r.wape),
                "mape": _num(r.mape),
                "bias": _num(r.bias),
                "aht_wape": _num(r.aht_wape),
                "points": r.points,
                "mape_points": r.mape_points,
            }
            for r in report.rows
        ],
        "days": [
            {
                "date": d.date.isoformat(),
                "queue": d.queue,
                "actual": _num(d.actual),
                "forecast": _num(d.forecast),
                "seasonal_naive": _num(d.seasonal_naive),
            }
            for d in report.days
        ],
        "warnings": report.warnings,
    }


def write_output(
    path: str,
    write_csv: Callable[[IO[str]], object],
    as_dict: Callable[[], dict[str, object]],
    stdout: IO[str],
) -> None:
    """Write to ``path`` (``-`` = stdout) as JSON when it ends in ``.json``, else CSV."""
    if path == "-":
        write_csv(stdout)
        return
    target = Path(path)
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with target.open("w", encoding="utf-8", newline="") as fh:
            write_csv(fh)
