"""Chinese working calendar: statutory holidays and make-up workdays (调休).

Day classification used by the forecaster:

* ``WORKDAY``  – an ordinary Monday–Friday.
* ``WEEKEND``  – an ordinary Saturday or Sunday.
* ``HOLIDAY``  – a statutory holiday day, including the weekend days that fall
  inside a holiday block (the whole block is "off").
* ``MAKEUP_WORKDAY`` – a Saturday or Sunday that is an official working day
  because of a holiday swap (调休).  The forecaster treats it like a workday
  (the Monday–Friday average), not like the weekday it falls on.

Sources, in order of precedence:

1. the user's holiday table (:class:`HolidayEntry`) — always wins, so a site
   can add company days off or correct/anticipate the State Council notice;
2. the ``chinese-calendar`` package, for the years it has data for;
3. for years the package does not know yet (it raises ``NotImplementedError``),
   an *estimate* of the fixed-date core holidays set by the State Council
   regulations as amended in 2024 (New Year's Day 1 Jan, Tomb-sweeping Day on
   the 清明 solar term, Labour Day 1–2 May, National Day 1–3 Oct).  Lunar
   holidays (Spring Festival, Dragon Boat, Mid-autumn) and make-up workdays
   cannot be estimated; such years are reported as *provisional* so the
   caller can tell the user to extend the holiday table.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar

from .errors import EngineInputError
from .notes import Note


class DayKind(enum.StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


@dataclass(frozen=True)
class HolidayEntry:
    """One row of the user's holiday table: ``kind`` is ``holiday`` or ``workday``."""

    date: dt.date
    kind: str
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("holiday", "workday"):
            raise EngineInputError(
                f"kind must be 'holiday' or 'workday', got {self.kind!r}", column="kind"
            )


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    kind: DayKind
    name: str | None  # holiday name ("National Day", "Spring Festival", a user's name), if any
    source: str  # "user", "package", "estimated" or "weekday"
    provisional: bool  # the year is not covered by the package's data

    @property
    def is_off(self) -> bool:
        return self.kind in (DayKind.HOLIDAY, DayKind.WEEKEND)


def _estimated_core_holidays(year: int) -> dict[dt.date, str]:
    days = {
        dt.date(year, 1, 1): "New Year's Day",
        dt.date(year, 5, 1): "Labour Day",
        dt.date(year, 5, 2): "Labour Day",
        dt.date(year, 10, 1): "National Day",
        dt.date(year, 10, 2): "National Day",
        dt.date(year, 10, 3): "National Day",
    }
    try:
        for day, term in chinese_calendar.get_solar_terms(
            dt.date(year, 4, 1), dt.date(year, 4, 10)
        ):
            if term == "清明":
                days[day] = "Tomb-sweeping Day"
    except Exception:  # noqa: BLE001, S110 - an estimate only; the year is provisional anyway
        pass
    return days


class HolidayCalendar:
    """Classifies dates; remembers which requested years were provisional."""

    def __init__(
        self, entries: Iterable[HolidayEntry] = (), *, estimate_unknown_years: bool = True
    ):
        self._user: dict[dt.date, HolidayEntry] = {}
        for entry in entries:
            self._user[entry.date] = entry
        self.estimate_unknown_years = estimate_unknown_years
        self._year_known: dict[int, bool] = {}
        self._estimates: dict[int, dict[dt.date, str]] = {}
        self._cache: dict[dt.date, DayInfo] = {}

    @property
    def user_entries(self) -> tuple[HolidayEntry, ...]:
        return tuple(sorted(self._user.values(), key=lambda e: e.date))

    def year_is_known(self, year: int) -> bool:
        """Whether the ``chinese-calendar`` package has official data for ``year``."""
        if year not in self._year_known:
            try:
                chinese_calendar.is_holiday(dt.date(year, 7, 1))
                known = True
            except NotImplementedError:
                known = False
            self._year_known[year] = known
        return self._year_known[year]

    def provisional_years(self, start: dt.date, end: dt.date) -> list[int]:
        """Years in ``[start, end]`` without official data in the package."""
        return [y for y in range(start.year, end.year + 1) if not self.year_is_known(y)]

    def classify(self, day: dt.date) -> DayInfo:
        info = self._cache.get(day)
        if info is None:
            info = self._classify(day)
            self._cache[day] = info
        return info

    def _classify(self, day: dt.date) -> DayInfo:
        known = self.year_is_known(day.year)
        provisional = not known
        weekend = day.weekday() >= 5
        user = self._user.get(day)
        if user is not None:
            if user.kind == "holiday":
                return DayInfo(day, DayKind.HOLIDAY, user.name or "holiday", "user", provisional)
            kind = DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY
            return DayInfo(day, kind, user.name or None, "user", provisional)
        if known:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            if is_holiday and name is not None:
                return DayInfo(day, DayKind.HOLIDAY, str(name), "package", False)
            if not is_holiday and weekend:
                return DayInfo(
                    day, DayKind.MAKEUP_WORKDAY, str(name) if name else None, "package", False
                )
            return DayInfo(
                day, DayKind.WEEKEND if weekend else DayKind.WORKDAY, None, "weekday", False
            )
        if self.estimate_unknown_years:
            estimates = self._estimates.get(day.year)
            if estimates is None:
                estimates = self._estimates[day.year] = _estimated_core_holidays(day.year)
            if day in estimates:
                return DayInfo(day, DayKind.HOLIDAY, estimates[day], "estimated", True)
        return DayInfo(day, DayKind.WEEKEND if weekend else DayKind.WORKDAY, None, "weekday", True)

    def provisional_note(self, years: Iterable[int]) -> Note | None:
        years = sorted(set(years))
        if not years:
            return None
        listed = ", ".join(str(y) for y in years)
        text = (
            f"holiday data for {listed} is provisional: chinese-calendar has no official data; "
            + (
                "fixed-date core holidays (1 Jan, Qingming, 1-2 May, 1-3 Oct) are estimated, "
                if self.estimate_unknown_years
                else ""
            )
            + "Spring Festival, Dragon Boat, Mid-autumn and make-up workdays are unknown "
            "unless added to the holiday table"
        )
        return Note(
            "provisional_holidays", text, years=years, estimated=self.estimate_unknown_years
        )
