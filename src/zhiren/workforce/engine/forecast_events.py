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

    ``uplift`` is the multiplicative effect on daily volume (1.8 = +80%).  When
    ``None`` it is learned from past occurrences of events with the same name.
    """

    name: str
    start: dt.date
    end: dt.date
    uplift: float | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise EngineInputError("event name is empty", column="name")
        if self.end < self.start:
            raise EngineInputError(f"event {self.name!r} ends before it starts", column="end_date")
        if self.uplift is not None and not (self.uplift > 0 and math.isfinite(self.uplift)):
            raise EngineInputError(f"event {self.name!r}: uplift must be > 0", column="uplift")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def events_on(day: dt.date, events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.covers(day)]
