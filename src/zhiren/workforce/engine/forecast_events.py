"""Events: promotions (大促: 618, 双11, 双12, 年货节, a shop's own sales) and other special days."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import EngineInputError


@dataclass(frozen=True)
class Event:
    """A user-defined event such as a promotion (大促: 618, 双11), inclusive dates.

    Two kinds, by what the user knows:

    * a **profiled** event (``peak`` given, or a one-day event with no uplift): only
      its peak day is listed; the days around it (pre-sale, build-up, after-sales
      tail) and the peak day's intraday shape are learned from past occurrences of
      its family (:mod:`event_profiles`);
    * a **span** event (an ``uplift`` given, or several days without a ``peak``):
      one factor on each of its days, the given ``uplift`` (1.8 = +80%) or, when
      ``None``, one learned from past span events with the same name.

    ``family`` groups events that share a profile (a shop's own sales under
    "大促"); it defaults to the name.
    """

    name: str
    start: dt.date
    end: dt.date
    uplift: float | None = None
    family: str | None = None
    peak: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise EngineInputError("event name is empty", column="name")
        if self.end < self.start:
            raise EngineInputError(f"event {self.name!r} ends before it starts", column="end_date")
        if self.uplift is not None and not (self.uplift > 0 and math.isfinite(self.uplift)):
            raise EngineInputError(f"event {self.name!r}: uplift must be > 0", column="uplift")
        if self.peak is not None and not self.start <= self.peak <= self.end:
            raise EngineInputError(
                f"event {self.name!r}: peak {self.peak} is outside {self.start}..{self.end}",
                column="peak_date",
            )

    @property
    def family_name(self) -> str:
        return self.family or self.name

    @property
    def profiled(self) -> bool:
        """Whether the days around the peak are learned (not one uplift over the dates)."""
        return self.uplift is None and (self.peak is not None or self.start == self.end)

    @property
    def peak_day(self) -> dt.date:
        return self.peak or self.start

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def span_events(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if not e.profiled]


def profiled_events(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.profiled]


def events_on(day: dt.date, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.covers(day)]
