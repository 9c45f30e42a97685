"""The engine's input: who worked when, and dated events of identified operational signals.

Days are ordinals (``date.toordinal()``). Each signal's events are kept sorted by (person,
day) with running sums, so that counts, sums, means and the latest event in a window are
found for many (person, day) pairs at once with ``searchsorted``.

Only the signals in ``SIGNALS`` are accepted. Anonymous survey answers are not one of them
and never can be: ``History`` refuses any other name (issue #22: the risk score is built
from identified operational signals only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# signal -> what one event's value means
SIGNALS: dict[str, str] = {
    "mood": "a mood check-in, 1 (very low) to 5 (very good)",
    "ledger": "an emotional-bank entry with the lead, signed amount",
    "talk": "a heart-to-heart talk or one-to-one held (value unused)",
    "praise": "specific praise received (value unused)",
    "kpi": "a day's customer satisfaction mean, 1 to 5",
    "qa": "a released QA evaluation's score, 0 to 100",
    "absence": "an unexcused absence from a scheduled shift (value unused)",
    "lateness": "a late arrival (value: minutes)",
    "schedule_change": "a published shift changed after publication (value unused)",
    "nesting": "a nesting period starting that day (value: its length in days)",
}

NEVER = 10**7  # an ordinal far after any date: "has not left"
_SPAN = 10**7  # keys are person index * _SPAN + day


class UnknownSignal(ValueError):
    """A signal the engine does not take (e.g. survey answers)."""


@dataclass
class Events:
    """One signal's events, sorted by (person index, day), with running sums."""

    keys: np.ndarray
    values: np.ndarray
    running_sum: np.ndarray  # running_sum[k] = sum of values[:k]

    @classmethod
    def build(cls, person: np.ndarray, day: np.ndarray, value: np.ndarray | None = None) -> Events:
        person = np.asarray(person, dtype=np.int64)
        day = np.asarray(day, dtype=np.int64)
        values = np.ones(len(day)) if value is None else np.asarray(value, dtype=float)
        keys = person * _SPAN + day
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        running = np.concatenate(([0.0], np.cumsum(values)))
        return cls(keys, values, running)

    def _bounds(self, person: np.ndarray, start: np.ndarray, end: np.ndarray):
        base = person.astype(np.int64) * _SPAN
        lo = np.searchsorted(self.keys, base + start, side="right")
        hi = np.searchsorted(self.keys, base + end, side="right")
        return lo, hi

    def count(self, person: np.ndarray, day: np.ndarray, after: int, upto: int = 0) -> np.ndarray:
        """Events in (day - after, day - upto] for each pair."""
        lo, hi = self._bounds(person, day - after, day - upto)
        return (hi - lo).astype(float)

    def total(self, person: np.ndarray, day: np.ndarray, after: int, upto: int = 0) -> np.ndarray:
        lo, hi = self._bounds(person, day - after, day - upto)
        return self.running_sum[hi] - self.running_sum[lo]

    def mean(self, person: np.ndarray, day: np.ndarray, after: int, upto: int = 0) -> np.ndarray:
        """Mean value in (day - after, day - upto]; NaN where there is none."""
        lo, hi = self._bounds(person, day - after, day - upto)
        n = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                n > 0, (self.running_sum[hi] - self.running_sum[lo]) / np.maximum(n, 1), np.nan
            )

    def latest(self, person: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(day, value) of each pair's latest event on or before ``day``; NaN where none."""
        base = person.astype(np.int64) * _SPAN
        idx = np.searchsorted(self.keys, base + day, side="right") - 1
        safe = np.maximum(idx, 0)
        found = (idx >= 0) & (len(self.keys) > 0)
        if len(self.keys):
            found &= self.keys[safe] >= base
            days = np.where(found, (self.keys[safe] - base).astype(float), np.nan)
            values = np.where(found, self.values[safe], np.nan)
        else:
            days = np.full(len(person), np.nan)
            values = np.full(len(person), np.nan)
        return days, values


@dataclass
class History:
    """People (ids, hire and leaving days) and their signals' events, by person index."""

    ids: np.ndarray
    hired: np.ndarray
    left: np.ndarray
    events: dict[str, Events] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        people: Sequence[tuple[int, int, int | None]],
        signals: Mapping[str, Sequence[tuple[int, int, float]]],
    ) -> History:
        """``people``: (id, hire day, leaving day or None); ``signals``: name -> (id, day, value).

        Events of people not listed are dropped; a signal not in ``SIGNALS`` is refused.
        """
        ids = np.array([p[0] for p in people], dtype=np.int64)
        hired = np.array([p[1] for p in people], dtype=np.int64)
        left = np.array([NEVER if p[2] is None else p[2] for p in people], dtype=np.int64)
        index = {int(pid): i for i, pid in enumerate(ids)}
        history = cls(ids, hired, left)
        for name, rows in signals.items():
            check_signal(name)
            kept = [(index[r[0]], r[1], r[2]) for r in rows if r[0] in index]
            arr = np.array(kept, dtype=float).reshape(-1, 3)
            history.events[name] = Events.build(
                arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]
            )
        return history

    def add(self, name: str, events: Events) -> None:
        check_signal(name)
        self.events[name] = events

    def signal(self, name: str) -> Events:
        check_signal(name)
        if name not in self.events:
            self.events[name] = Events.build(np.zeros(0), np.zeros(0))
        return self.events[name]


def check_signal(name: str) -> None:
    if name not in SIGNALS:
        raise UnknownSignal(
            f"{name!r} is not an operational signal the risk model takes "
            f"(allowed: {', '.join(SIGNALS)}); anonymous survey answers never are"
        )
