"""Intraday shapes (share of the day per interval) and AHT per interval, per day class."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .calendar_cn import DayInfo, DayKind, HolidayCalendar
from .forecast_config import ForecastConfig
from .forecast_events import Event, events_on
from .forecast_history import QueueHistory


def normalise(v: np.ndarray) -> np.ndarray:
    s = float(v.sum())
    return v / s if s > 0 else np.full(v.shape, 1.0 / v.size)


@dataclass
class Shapes:
    profiles: dict[object, np.ndarray]  # class key -> normalised slot shares
    aht: dict[object, np.ndarray] | None  # class key -> slot AHT seconds


def day_class(info: DayInfo, day: dt.date) -> object:
    if info.kind == DayKind.HOLIDAY:
        return "holiday"
    if info.kind == DayKind.MAKEUP_WORKDAY:
        return "workday"
    return day.weekday()


def fit_shapes(
    hist: QueueHistory,
    calendar: HolidayCalendar,
    events: Sequence[Event],
    config: ForecastConfig,
    skip: frozenset[int] = frozenset(),
) -> Shapes:
    """Profiles and AHT per day class; days in ``skip`` (near a promotion's peak) count
    only toward the overall volume, not toward any class."""
    dates = hist.dates()
    age = np.array([(hist.last_day - d).days for d in dates], dtype=float)
    weight = 0.5 ** (age / (7.0 * config.profile_half_life_weeks)) * hist.observed
    slots = hist.volume.shape[1]
    vol_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))
    work_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))
    avol_sum: dict[object, np.ndarray] = defaultdict(lambda: np.zeros(slots))

    def add(key: object, i: int, w: float | None = None) -> None:
        w = weight[i] if w is None else w
        vol_sum[key] += w * hist.volume[i]
        work_sum[key] += w * hist.work_seconds[i]
        avol_sum[key] += w * hist.aht_volume[i]

    for i, day in enumerate(dates):
        if not hist.observed[i]:
            continue
        info = calendar.classify(day)
        evs = events_on(day, events)
        if i in skip:
            add("all_events", i)
            continue
        for ev in evs:
            add(("event", ev.name), i, 1.0)  # rare: every past occurrence counts fully
        add("all_events" if evs else "all", i)
        if evs:
            continue
        key = day_class(info, day)
        if info.kind == DayKind.HOLIDAY:
            add(key, i, 1.0)  # rare too: no recency decay
            continue
        add(key, i)
        add("workday" if key == "workday" or key in range(5) else "weekend", i)

    observed_weight = float(weight.sum())
    total = float(sum(v.sum() for k, v in vol_sum.items() if k in ("all", "all_events")))
    daily = total / observed_weight if observed_weight > 0 else 0.0
    k_vol = config.profile_prior_days * max(daily, 1e-9)
    k_aht = config.aht_prior_contacts

    k_special = config.special_profile_prior_days * max(daily, 1e-9)

    def shrink(key: object, parent: np.ndarray, k: float = k_vol) -> np.ndarray:
        s = vol_sum.get(key)
        if s is None:
            return parent
        return (s + k * parent) / (float(s.sum()) + k)

    base_all = vol_sum["all"] if "all" in vol_sum else vol_sum["all_events"]
    global_p = normalise(base_all + 1e-12)
    profiles: dict[object, np.ndarray] = {"all": global_p}
    profiles["workday"] = shrink("workday", global_p)
    profiles["weekend"] = shrink("weekend", global_p)
    for wd in range(7):
        profiles[wd] = shrink(wd, profiles["workday" if wd < 5 else "weekend"])
    profiles["holiday"] = shrink("holiday", profiles["weekend"], k_special)
    for key in list(vol_sum):
        if isinstance(key, tuple):
            profiles[key] = shrink(key, global_p, k_special)

    aht: dict[object, np.ndarray] | None = None
    total_avol = sum(float(v.sum()) for k, v in avol_sum.items() if k in ("all", "all_events"))
    if total_avol > 0:
        total_work = sum(float(v.sum()) for k, v in work_sum.items() if k in ("all", "all_events"))
        level = total_work / total_avol
        w_all = work_sum["all"] + work_sum["all_events"]
        v_all = avol_sum["all"] + avol_sum["all_events"]
        global_a = (w_all + k_aht * level) / (v_all + k_aht)

        def shrink_a(key: object, parent: np.ndarray) -> np.ndarray:
            if key not in avol_sum:
                return parent
            return (work_sum[key] + k_aht * parent) / (avol_sum[key] + k_aht)

        aht = {"all": global_a}
        aht["workday"] = shrink_a("workday", global_a)
        aht["weekend"] = shrink_a("weekend", global_a)
        for wd in range(7):
            aht[wd] = shrink_a(wd, aht["workday" if wd < 5 else "weekend"])
        aht["holiday"] = shrink_a("holiday", aht["weekend"])
        for key in list(avol_sum):
            if isinstance(key, tuple):
                aht[key] = shrink_a(key, global_a)
    return Shapes(profiles, aht)
