"""Estimates with their n and a confidence interval, for the training effect: no Django.

- ``mean_ci``: a mean with Student's t interval (n ≥ 2 for an interval);
- ``paired_change``: the mean of after − before over the same people (paired t);
- ``difference``: mean(a) − mean(b) with Welch's t interval (different people, e.g. the
  trained agents' change against their untrained peers' change: difference in differences);
- ``proportion``: a share with the Wilson score interval.

Too little data gives an estimate without an interval (``low``/``high`` None), and no data
gives no value at all: missing is ``None``, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import norm, t

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int
    n_other: int | None = None  # the comparison group's n, for a difference

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def significant(self) -> bool:
        """The interval excludes 0 (for changes and differences)."""
        return self.has_interval and (self.low > 0 or self.high < 0)  # type: ignore[operator]


def _variance(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def mean_ci(values: Sequence[float], level: float = LEVEL) -> Estimate:
    n = len(values)
    if n == 0:
        return Estimate(None, None, None, 0)
    mean = sum(values) / n
    if n < 2:
        return Estimate(mean, None, None, n)
    half = float(t.ppf((1 + level) / 2, n - 1)) * math.sqrt(_variance(values) / n)
    return Estimate(mean, mean - half, mean + half, n)


def paired_change(
    before: Sequence[float], after: Sequence[float], level: float = LEVEL
) -> Estimate:
    if len(before) != len(after):
        raise ValueError("paired values of unequal length")
    return mean_ci([b - a for a, b in zip(before, after, strict=True)], level)


def welch_df(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = _variance(a) / len(a), _variance(b) / len(b)
    if va + vb == 0:
        return float(len(a) + len(b) - 2)
    return (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))


def difference(a: Sequence[float], b: Sequence[float], level: float = LEVEL) -> Estimate:
    """mean(a) − mean(b), Welch's interval (each group needs two values for one)."""
    if not a or not b:
        return Estimate(None, None, None, len(a), len(b))
    value = sum(a) / len(a) - sum(b) / len(b)
    if len(a) < 2 or len(b) < 2:
        return Estimate(value, None, None, len(a), len(b))
    se = math.sqrt(_variance(a) / len(a) + _variance(b) / len(b))
    half = float(t.ppf((1 + level) / 2, welch_df(a, b))) * se
    return Estimate(value, value - half, value + half, len(a), len(b))


def proportion(successes: int, n: int, level: float = LEVEL) -> Estimate:
    """A share with the Wilson score interval."""
    if n == 0:
        return Estimate(None, None, None, 0)
    z = float(norm.ppf((1 + level) / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Estimate(p, (centre - half) / denom, (centre + half) / denom, n)
