"""What every benchmark prints beside its figures.

A timing means little without the machine's load next to it, a goal is printed
as met or NOT met rather than left for the reader to compare, and both sides of
a comparison are timed with the same statistic: the median of N runs, N printed.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def load_average() -> str:
    """``load 1.02 0.88 0.61``: the 1-, 5- and 15-minute load averages."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # not available on every platform
        return "load n/a"
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def goal(label: str, ok: bool) -> str:
    """``goal <= 5 ms: met``."""
    return f"goal {label}: {verdict(ok)}"


def median_seconds(
    fn: Callable[[], T],
    runs: int,
    *,
    before: Callable[[], object] | None = None,
    warm_up: bool = False,
) -> tuple[float, T]:
    """Median wall time of ``runs`` calls of ``fn`` and the last call's value.

    ``before`` runs untimed ahead of each call (e.g. to clear what the call
    writes); ``warm_up`` makes one untimed call first.
    """
    if runs < 1:
        raise ValueError("runs must be >= 1")
    if warm_up:
        if before is not None:
            before()
        fn()
    times = []
    value: T
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value
