"""Chinese statutory holidays, make-up workdays (调休) and provisional years."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from zhiren.workforce.engine.calendar_cn import DayKind, HolidayCalendar, HolidayEntry
from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.forecast import forecast
from zhiren.workforce.engine.forecast_synthetic import SyntheticSpec, generate

from .forecast_support import settings  # noqa: F401

D = dt.date


def test_2025_makeup_workdays_are_classified_as_such():
    cal = HolidayCalendar()
    for day in (D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)):
        info = cal.classify(day)
        assert day.weekday() >= 5
        assert info.kind == DayKind.MAKEUP_WORKDAY, day
        assert not info.provisional
    # an ordinary weekend next to them stays a weekend
    assert cal.classify(D(2025, 1, 25)).kind == DayKind.WEEKEND
    assert cal.classify(D(2025, 1, 28)).kind == DayKind.HOLIDAY  # Spring Festival eve
    assert cal.classify(D(2025, 3, 1)).kind == DayKind.WEEKEND


def test_2025_national_day_block_is_holiday_including_weekend_days():
    cal = HolidayCalendar()
    for i in range(8):
        info = cal.classify(D(2025, 10, 1) + dt.timedelta(days=i))
        assert info.kind == DayKind.HOLIDAY
        assert info.name in ("National Day", "Mid-autumn Festival")
        assert info.source == "package"
    assert cal.classify(D(2025, 10, 9)).kind == DayKind.WORKDAY


def test_2026_matches_the_package_data_for_every_day():
    cal = HolidayCalendar()
    day = D(2026, 1, 1)
    makeup = []
    while day.year == 2026:
        info = cal.classify(day)
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday and name is not None:
            assert info.kind == DayKind.HOLIDAY, day
        elif day.weekday() >= 5 and not is_holiday:
            assert info.kind == DayKind.MAKEUP_WORKDAY, day
            makeup.append(day)
        elif day.weekday() >= 5:
            assert info.kind == DayKind.WEEKEND, day
        else:
            assert info.kind == DayKind.WORKDAY, day
        assert not info.provisional
        day += dt.timedelta(days=1)
    assert makeup == sorted(d for d in chinese_calendar.constants.workdays if d.year == 2026)
    assert D(2026, 1, 4) in makeup


def test_unknown_year_is_provisional_and_does_not_crash():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_holiday(D(2027, 3, 1))  # the premise of this test
    cal = HolidayCalendar()
    assert not cal.year_is_known(2027)
    assert cal.provisional_years(D(2026, 12, 1), D(2027, 3, 1)) == [2027]
    info = cal.classify(D(2027, 3, 1))  # a Monday
    assert info.kind == DayKind.WORKDAY and info.provisional and info.source == "weekday"
    assert cal.classify(D(2027, 3, 6)).kind == DayKind.WEEKEND
    # fixed-date core holidays are estimated
    national = cal.classify(D(2027, 10, 1))
    assert national.kind == DayKind.HOLIDAY and national.source == "estimated"
    assert national.name == "National Day"
    assert cal.classify(D(2027, 1, 1)).kind == DayKind.HOLIDAY
    assert cal.classify(D(2027, 4, 5)).name == "Tomb-sweeping Day"  # 清明 solar term
    note = cal.provisional_note([2027])
    assert "2027" in note and "holiday table" in note


def test_estimation_can_be_switched_off():
    cal = HolidayCalendar(estimate_unknown_years=False)
    assert cal.classify(D(2027, 10, 1)).kind == DayKind.WORKDAY  # a Friday


def test_user_table_is_honoured_in_unknown_and_known_years():
    entries = [
        HolidayEntry(D(2027, 2, 6), "holiday", "Spring Festival"),
        HolidayEntry(D(2027, 2, 8), "holiday", "Spring Festival"),
        HolidayEntry(D(2027, 2, 20), "workday", "Spring Festival swap"),  # a Saturday
        HolidayEntry(D(2025, 5, 6), "holiday", "company day"),  # known year, overridden
        HolidayEntry(D(2025, 10, 8), "workday", "site open"),
    ]
    cal = HolidayCalendar(entries)
    assert cal.classify(D(2027, 2, 8)).kind == DayKind.HOLIDAY
    assert cal.classify(D(2027, 2, 8)).source == "user"
    assert cal.classify(D(2027, 2, 8)).provisional
    assert cal.classify(D(2027, 2, 20)).kind == DayKind.MAKEUP_WORKDAY
    assert cal.classify(D(2025, 5, 6)).kind == DayKind.HOLIDAY
    assert cal.classify(D(2025, 5, 6)).name == "company day"
    assert cal.classify(D(2025, 10, 8)).kind == DayKind.WORKDAY
    assert len(cal.user_entries) == 5


def test_bad_holiday_kind_is_rejected():
    with pytest.raises(EngineInputError, match="kind"):
        HolidayEntry(D(2027, 1, 1), "vacation")


def test_forecast_into_unknown_year_reports_provisional_and_uses_user_table():
    series = generate(SyntheticSpec(start=D(2026, 9, 1), days=120, queues=("q",)))
    entries = [HolidayEntry(D(2027, 1, 5), "holiday", "Spring Festival")]  # a Tuesday
    result = forecast(
        series.observations,
        horizon_weeks=3,
        granularity="day",
        calendar=HolidayCalendar(entries),
    )
    assert result.start == D(2026, 12, 30)
    assert result.provisional_years == [2027]
    assert any("2027" in w and "provisional" in w for w in result.warnings)
    by_day = {d.date: d for d in result.daily}
    assert not by_day[D(2026, 12, 31)].provisional
    assert by_day[D(2027, 1, 4)].provisional
    assert by_day[D(2027, 1, 5)].day_kind == "holiday"
    assert by_day[D(2027, 1, 1)].day_kind == "holiday"  # estimated New Year's Day
    # the user's holiday is forecast well below the ordinary Tuesday a week later
    assert by_day[D(2027, 1, 5)].volume < 0.7 * by_day[D(2027, 1, 12)].volume
