"""The local calendar of the workforce pages: the time zone, runs of days, the week's Monday."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta

from django.conf import settings


def tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
