"""Interval history arranged on a day x slot grid, in local (Asia/Shanghai) time.

Timestamps are local Asia/Shanghai time (UTC+8, no DST since 1991).  Naive
timestamps are taken as local; aware ones are converted.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import EngineInputError

CN_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class IntervalObservation:
    """One history row: contacts offered in the interval starting at ``start``."""

    start: dt.datetime
    queue: str
    volume: float
    aht_seconds: float | None = None


@dataclass
class QueueHistory:
    """History of one queue on a day × slot grid (local time)."""

    queue: str
    first_day: dt.date
    interval_minutes: int
    volume: np.ndarray  # (days, slots)
    work_seconds: np.ndarray  # (days, slots) Σ volume × aht over rows with a known AHT
    aht_volume: np.ndarray  # (days, slots) volume of rows with a known AHT
    observed: np.ndarray  # (days,) bool: the day has at least one row

    @property
    def days(self) -> int:
        return int(self.volume.shape[0])

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)

    def dates(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range(self.days)]

    def truncated(self, last_day: dt.date) -> QueueHistory:
        n = (last_day - self.first_day).days + 1
        return QueueHistory(
            self.queue,
            self.first_day,
            self.interval_minutes,
            self.volume[:n],
            self.work_seconds[:n],
            self.aht_volume[:n],
            self.observed[:n],
        )


def to_local(ts: dt.datetime) -> dt.datetime:
    """Naive local (Asia/Shanghai) datetime for ``ts``."""
    if ts.tzinfo is not None:
        return ts.astimezone(CN_TZ).replace(tzinfo=None)
    return ts


def infer_interval_minutes(history: Sequence[IntervalObservation]) -> int:
    g = 1440
    for obs in history:
        local = to_local(obs.start)
        g = math.gcd(g, local.hour * 60 + local.minute)
        if local.second or local.microsecond:
            raise EngineInputError(
                "interval starts must be on whole minutes", column="interval_start"
            )
        if g == 1:
            break
    return g


def build_histories(
    history: Sequence[IntervalObservation], interval_minutes: int | None = None
) -> tuple[dict[str, QueueHistory], bool]:
    """Arrange observations per queue; returns (histories, input_was_timezone_aware).

    Row numbers in errors are 1-based positions in ``history``.
    """
    if not history:
        raise EngineInputError("history is empty")
    aware = history[0].start.tzinfo is not None
    h = interval_minutes or infer_interval_minutes(history)
    if 1440 % h:
        raise EngineInputError(f"interval of {h} minutes does not divide a day")
    slots = 1440 // h
    by_queue: dict[str, list[tuple[int, IntervalObservation]]] = defaultdict(list)
    for i, obs in enumerate(history, start=1):
        if (obs.start.tzinfo is not None) != aware:
            raise EngineInputError(
                "mixes timezone-aware and naive timestamps", row=i, column="interval_start"
            )
        if not obs.queue:
            raise EngineInputError("queue is empty", row=i, column="queue")
        if not (obs.volume >= 0 and math.isfinite(obs.volume)):
            raise EngineInputError(f"volume must be >= 0, got {obs.volume}", row=i, column="volume")
        if obs.aht_seconds is not None and not (
            obs.aht_seconds >= 0 and math.isfinite(obs.aht_seconds)
        ):
            raise EngineInputError(
                f"aht_seconds must be >= 0, got {obs.aht_seconds}", row=i, column="aht_seconds"
            )
        by_queue[obs.queue].append((i, obs))
    out: dict[str, QueueHistory] = {}
    for queue, rows in by_queue.items():
        locals_ = [(i, to_local(o.start), o) for i, o in rows]
        first = min(t for _, t, _ in locals_).date()
        last = max(t for _, t, _ in locals_).date()
        n = (last - first).days + 1
        vol = np.zeros((n, slots))
        work = np.zeros((n, slots))
        aht_vol = np.zeros((n, slots))
        seen = np.zeros((n, slots), dtype=bool)
        for i, t, o in locals_:
            minute = t.hour * 60 + t.minute
            if minute % h or t.second or t.microsecond:
                raise EngineInputError(
                    f"{t.isoformat()} is not on the {h}-minute grid", row=i, column="interval_start"
                )
            d, s = (t.date() - first).days, minute // h
            if seen[d, s]:
                raise EngineInputError(
                    f"duplicate interval {t.isoformat()} for queue {queue!r}",
                    row=i,
                    column="interval_start",
                )
            seen[d, s] = True
            vol[d, s] = o.volume
            if o.aht_seconds is not None and o.volume > 0:
                work[d, s] = o.volume * o.aht_seconds
                aht_vol[d, s] = o.volume
        out[queue] = QueueHistory(queue, first, h, vol, work, aht_vol, np.asarray(seen.any(axis=1)))
    return out, aware
