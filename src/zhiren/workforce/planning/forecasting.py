"""Forecasts between the workforce models and the pure engine.

Reads the queue's interval history, the site's events and the holiday table into the
engine's plain inputs, fits, and turns the prediction back into the stored JSON of a
:class:`~zhiren.workforce.models.ForecastVersion`, and scores a fit on weeks already past
(:func:`holdout`). No writes: the services store the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Sum

from zhiren.performance.models import IntervalStat

from ..dates import tz, week_start
from ..engine.backtest import wape
from ..engine.calendar_cn import HolidayCalendar, HolidayEntry
from ..engine.forecast import Event, IntervalObservation, fit_forecast_model
from ..engine.roster.problem import SLOTS_PER_DAY
from ..models import ForecastEvent, ForecastVersion, HolidayDay, Queue

HISTORY_WEEKS = 12
HOLDOUT_WEEKS = 4


def holiday_calendar() -> HolidayCalendar:
    entries = [
        HolidayEntry(d, k, n) for d, k, n in HolidayDay.objects.values_list("date", "kind", "name")
    ]
    return HolidayCalendar(entries)


def engine_events(site_id: int) -> list[Event]:
    return [
        Event(name, start, end, uplift)
        for name, start, end, uplift in ForecastEvent.objects.filter(site_id=site_id).values_list(
            "name", "start", "end", "uplift"
        )
    ]


def actuals(queue: Queue, start: date, end: date) -> dict[date, dict[str, list[float]]]:
    """Offered volume and AHT per day and quarter hour from the performance rollups."""
    rows = (
        IntervalStat.objects.filter(
            team__site_id=queue.site_id,
            queue=queue.history_name or queue.name,
            day__range=(start, end),
        )
        .values("day", "slot")
        .annotate(offered=Sum("offered"), handle=Sum("handle_sum"), answered=Sum("answered"))
    )
    out: dict[date, dict[str, list[float]]] = {}
    for row in rows:
        day = out.setdefault(
            row["day"], {"volume": [0.0] * SLOTS_PER_DAY, "aht": [0.0] * SLOTS_PER_DAY}
        )
        day["volume"][row["slot"]] += row["offered"]
        if row["answered"]:
            day["aht"][row["slot"]] = row["handle"] / row["answered"]
    return out


def history(queue: Queue, until: date, weeks: int = HISTORY_WEEKS) -> list[IntervalObservation]:
    zone = tz()
    observations = []
    for day, series in sorted(actuals(queue, until - timedelta(days=weeks * 7 - 1), until).items()):
        midnight = datetime.combine(day, time(0), zone)
        for slot in range(SLOTS_PER_DAY):
            volume = series["volume"][slot]
            aht = series["aht"][slot] or None
            observations.append(
                IntervalObservation(
                    midnight + timedelta(minutes=15 * slot), queue.code, volume, aht
                )
            )
    return observations


@dataclass
class ForecastOutput:
    data: dict[str, dict[str, list[float]]]
    warnings: list[dict]  # {"code", "params", "text"}: worded by ``pages.forecast_warning_text``


def _stored(warning: str) -> dict:
    """An engine warning as stored: its code and parameters, and the English text for logs."""
    return {
        "code": getattr(warning, "code", ""),
        "params": getattr(warning, "params", {}),
        "text": str(warning),
    }


def run_forecast(
    queue: Queue, start: date, weeks: int, history_until: date | None = None
) -> ForecastOutput:
    """Fit on the queue's history up to ``history_until`` (default: the day before ``start``)."""
    until = history_until or start - timedelta(days=1)
    obs = history(queue, until)
    if len({o.start.date() for o in obs if o.volume}) < 14:
        return _flat_forecast(queue, start, weeks)
    model = fit_forecast_model(
        obs, events=engine_events(queue.site_id), calendar=holiday_calendar()
    )
    result = model.predict(start=start, days=weeks * 7, interval_minutes=15)
    data: dict[str, dict[str, list[float]]] = {}
    for row in result.intervals:
        local = row.start.astimezone(tz()) if row.start.tzinfo else row.start
        day = data.setdefault(
            local.date().isoformat(),
            {"volume": [0.0] * SLOTS_PER_DAY, "aht": [0.0] * SLOTS_PER_DAY},
        )
        slot = (local.hour * 60 + local.minute) // 15
        day["volume"][slot] = round(row.volume, 3)
        day["aht"][slot] = round(row.aht_seconds or queue.default_aht_s, 1)
    return ForecastOutput(data, [_stored(w) for w in result.warnings])


def _flat_forecast(queue: Queue, start: date, weeks: int) -> ForecastOutput:
    """Without two weeks of history: a plain office-hours shape, clearly flagged."""
    shape = np.zeros(SLOTS_PER_DAY)
    shape[36:88] = 1.0  # 09:00–22:00
    data = {
        (start + timedelta(days=n)).isoformat(): {
            "volume": [round(v * 6.0, 3) for v in shape],
            "aht": [float(queue.default_aht_s)] * SLOTS_PER_DAY,
        }
        for n in range(weeks * 7)
    }
    return ForecastOutput(
        data,
        [
            {
                "code": "flat_placeholder",
                "params": {},
                "text": "less than 14 days of history: a flat office-hours placeholder",
            }
        ],
    )


def latest_versions(queues: list[Queue]) -> dict[int, ForecastVersion]:
    latest: dict[int, ForecastVersion] = {}
    for version in ForecastVersion.objects.filter(queue__in=queues).order_by("queue_id", "-number"):
        latest.setdefault(version.queue_id, version)
    return latest


def versions_covering(queues: list[Queue], days: list[date]) -> dict[int, list[ForecastVersion]]:
    """Per queue, its versions that cover any of ``days``, newest first.

    The newest version of a queue may be one made for later weeks; a day it does not cover
    is read from the newest version that does (not taken as a day without volume).
    """
    out: dict[int, list[ForecastVersion]] = {}
    if not days:
        return out
    for version in ForecastVersion.objects.filter(
        queue__in=queues, start__lte=max(days), end__gte=min(days)
    ).order_by("queue_id", "-number"):
        out.setdefault(version.queue_id, []).append(version)
    return out


def forecast_for_days(versions, queue: Queue, days: list[date]):
    """Volume and AHT arrays (days × 96) from a version, or the first of newest-first versions
    holding each day; zero volume for uncovered days."""
    if versions is None:
        versions = []
    elif isinstance(versions, ForecastVersion):
        versions = [versions]
    volume = np.zeros((len(days), SLOTS_PER_DAY))
    aht = np.full((len(days), SLOTS_PER_DAY), float(queue.default_aht_s))
    for i, day in enumerate(days):
        key = day.isoformat()
        entry = next((v.data[key] for v in versions if (v.data or {}).get(key)), None)
        if entry:
            volume[i] = entry["volume"]
            aht[i] = [a or queue.default_aht_s for a in entry["aht"]]
    return volume, aht


@dataclass(frozen=True)
class Holdout:
    start: date  # the Monday of the first scored week
    weeks: list[dict]  # {"start": ISO day, "actual": n, "forecast": n, "wape": percent}
    wape: float | None  # percent, over every scored week


def holdout(queue: Queue, today: date) -> Holdout:
    """How well the queue's model forecasts: fitted on the history before the last
    ``HOLDOUT_WEEKS`` whole weeks before ``today``'s week, scored on each of those weeks.

    The score is the engine's WAPE of the daily totals, in percent. Weeks without volume
    are left out; with no history in those weeks, or when the fit fails, none is scored.
    """
    start = week_start(today) - timedelta(days=7 * HOLDOUT_WEEKS)
    days = [start + timedelta(days=n) for n in range(7 * HOLDOUT_WEEKS)]
    actual = actuals(queue, days[0], days[-1])
    if not actual:
        return Holdout(start, [], None)
    try:
        past = run_forecast(queue, start, HOLDOUT_WEEKS)
    except Exception:  # noqa: BLE001 - accuracy is informative; the forecast stands without it
        return Holdout(start, [], None)
    weeks, scored_actual, scored_forecast = [], [], []
    for w in range(HOLDOUT_WEEKS):
        week = days[w * 7 : w * 7 + 7]
        a = [sum(actual[d]["volume"]) if d in actual else 0.0 for d in week]
        f = [sum(past.data.get(d.isoformat(), {"volume": [0.0]})["volume"]) for d in week]
        if sum(a) <= 0:
            continue
        weeks.append(
            {
                "start": week[0].isoformat(),
                "actual": round(sum(a)),
                "forecast": round(sum(f)),
                "wape": round(100 * wape(a, f), 1),
            }
        )
        scored_actual += a
        scored_forecast += f
    overall = round(100 * wape(scored_actual, scored_forecast), 1) if weeks else None
    return Holdout(start, weeks, overall)
