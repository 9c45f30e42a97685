"""The daily model: a robust, ridge-penalised Poisson regression of daily totals.

Columns: level, weekday, day type (make-up workday, holiday, named holiday,
first day back), trend, yearly Fourier terms and one factor per learned event.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .calendar_cn import DayInfo, DayKind, HolidayCalendar
from .forecast_events import Event, events_on

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class DaySpec:
    """Which regression columns exist (fixed at fit time)."""

    holiday_names: list[str]
    learned_events: list[str]
    trend: bool
    yearly: int  # harmonics, 0 = none
    columns: list[str] = field(default_factory=list)
    penalty: list[float] = field(default_factory=list)


def is_return_day(day: dt.date, info: DayInfo, calendar: HolidayCalendar) -> bool:
    """First working day after a break of 3+ days that contains a holiday."""
    if info.kind not in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY):
        return False
    off = 0
    saw_holiday = False
    d = day - dt.timedelta(days=1)
    while off < 10:
        prev = calendar.classify(d)
        if prev.kind not in (DayKind.HOLIDAY, DayKind.WEEKEND):
            break
        saw_holiday = saw_holiday or prev.kind == DayKind.HOLIDAY
        off += 1
        d -= dt.timedelta(days=1)
    return saw_holiday and off >= 3


def design_rows(
    dates: Sequence[dt.date],
    t_years: np.ndarray,
    spec: DaySpec,
    calendar: HolidayCalendar,
    events: Sequence[Event],
    event_uplift: dict[str, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix and log-offset (given uplifts) for ``dates``."""
    ncols = len(spec.columns)
    col = {name: j for j, name in enumerate(spec.columns)}
    x = np.zeros((len(dates), ncols))
    offset = np.zeros(len(dates))
    for i, day in enumerate(dates):
        info = calendar.classify(day)
        x[i, col["level"]] = 1.0
        if info.kind == DayKind.HOLIDAY:
            x[i, col["wd_Sat"]] = 0.5
            x[i, col["wd_Sun"]] = 0.5
            x[i, col["holiday"]] = 1.0
            hname = f"holiday_{info.name}"
            if hname in col:
                x[i, col[hname]] = 1.0
        elif info.kind == DayKind.MAKEUP_WORKDAY:
            for w in ("Tue", "Wed", "Thu", "Fri"):
                x[i, col[f"wd_{w}"]] = 0.2
            x[i, col["makeup"]] = 1.0
        else:
            wd = day.weekday()
            if wd:
                x[i, col[f"wd_{WEEKDAY_NAMES[wd]}"]] = 1.0
        if is_return_day(day, info, calendar):
            x[i, col["return_day"]] = 1.0
        if spec.trend:
            x[i, col["trend"]] = t_years[i]
        if spec.yearly:
            angle = 2 * math.pi * (day.timetuple().tm_yday - 1) / 365.25
            for k in range(1, spec.yearly + 1):
                x[i, col[f"sin{k}"]] = math.sin(k * angle)
                x[i, col[f"cos{k}"]] = math.cos(k * angle)
        for ev in events_on(day, events):
            if ev.uplift is not None:
                offset[i] += math.log(ev.uplift)
            elif f"event_{ev.name}" in col:
                x[i, col[f"event_{ev.name}"]] = 1.0
            elif ev.name in event_uplift:
                offset[i] += math.log(event_uplift[ev.name])
    return x, offset


def robust_poisson_fit(
    x: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray,
    penalty: np.ndarray,
    huber_c: float,
    protected: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised Poisson IRLS with Huber weights; returns (beta, robust weights).

    ``penalty[j]`` is a ridge penalty in pseudo-days: it weighs like that many
    extra days, typical of the rows the column touches, whose effect is zero.
    ``protected`` days (holidays, events: known special days) are never
    down-weighted; robust weighting is for unexplained outliers.
    """
    n, p = x.shape
    support = np.abs(x) > 0
    counts = np.maximum(support.sum(axis=0), 1)
    beta = np.zeros(p)
    beta[0] = math.log(max(float(np.mean(y * np.exp(-offset))), 1e-3) + 1e-3)
    robust = np.ones(n)
    robust_phase = False
    for _ in range(200):
        eta = np.clip(x @ beta + offset, -20.0, 30.0)
        mu = np.exp(eta)
        if robust_phase:
            r = (y - mu) / np.sqrt(np.maximum(mu, 1.0))
            scale = 1.4826 * float(np.median(np.abs(r)))
            if scale > 0:
                u = np.abs(r) / scale
                robust = np.where(u <= huber_c, 1.0, huber_c / np.maximum(u, 1e-12))
                robust[protected] = 1.0
        z = eta - offset + (y - mu) / np.maximum(mu, 1e-9)
        w = mu * robust
        typical = np.where(support.any(axis=0), (w @ support) / counts, float(np.mean(w)))
        a = x.T @ (w[:, None] * x) + np.diag(penalty * np.maximum(typical, 1e-9))
        new = np.linalg.solve(a, x.T @ (w * z))
        converged = np.max(np.abs(new - beta)) < 1e-7
        beta = new
        if converged:
            if robust_phase or huber_c <= 0:
                break
            # the plain fit has converged: now down-weight outlying days
            robust_phase = True
    return beta, robust
