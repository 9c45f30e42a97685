"""Running sums of a wave's answers, enough for every number the results page shows.

Plain Python and NumPy, no Django. A *tally* is a flat vector of whole numbers kept per
wave and *atom* (team, tenure band, channel — the coarsest groups any result is cut by):
adding two tallies adds their vectors, so the tally of any cell (a team, a site, a team
narrowed by a filter) is the sum of its atoms' tallies, and the page never reads a single
answer. From a cell's tally come exactly the numbers ``reliability.matrix_scores`` and
``reliability.enps`` compute from the answers themselves:

- per item: how many answered it, the sum of the answers, how many gave 4 or 5
  (item means, the factor's mean of item means, the favourable share);
- per factor: how many answered all its items, and over those sheets each item's sum and
  sum of squares and the sum and sum of squares of the sheet totals (Cronbach's alpha
  from sample variances: ``var = (Σx² − (Σx)² / m) / (m − 1)``);
- eNPS: how many gave a score, promoters (9–10), detractors (0–6);
- the number of sheets, and the number of comments (the comment guard's counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Layout:
    """Where each number sits in a wave's tally vector (fixed by the wave's locked items)."""

    items: tuple[str, ...]
    factors: tuple[tuple[str, tuple[int, ...]], ...]  # factor -> its items' positions

    @classmethod
    def of(cls, items: Sequence[str], factors: Mapping[str, Sequence[str]]) -> Layout:
        position = {k: n for n, k in enumerate(items)}
        return cls(
            tuple(items),
            tuple((f, tuple(position[k] for k in keys)) for f, keys in factors.items()),
        )

    @property
    def _factor_start(self) -> int:
        return 2 + 3 + 3 * len(self.items)

    def factor_offsets(self) -> list[tuple[str, tuple[int, ...], int]]:
        offset, out = self._factor_start, []
        for factor, columns in self.factors:
            out.append((factor, columns, offset))
            offset += 3 + 2 * len(columns)
        return out

    @property
    def size(self) -> int:
        return self._factor_start + sum(3 + 2 * len(c) for _f, c in self.factors)


SHEETS, COMMENTS, ENPS_N, PROMOTERS, DETRACTORS = 0, 1, 2, 3, 4
ITEMS_AT = 5  # then per item: answered, sum, favourable


def empty(layout: Layout) -> list[int]:
    return [0] * layout.size


def of_sheet(
    layout: Layout, answers: Mapping[str, int | None], enps: int | None, comments: int = 0
) -> list[int]:
    """The tally of one answer sheet (added to its atom's tally when it is stored)."""
    v = empty(layout)
    v[SHEETS] = 1
    v[COMMENTS] = comments
    if enps is not None:
        v[ENPS_N] = 1
        v[PROMOTERS] = int(enps >= 9)
        v[DETRACTORS] = int(enps <= 6)
    values = [answers.get(k) for k in layout.items]
    for n, value in enumerate(values):
        if value is not None:
            at = ITEMS_AT + 3 * n
            v[at] += 1
            v[at + 1] += int(value)
            v[at + 2] += int(value >= 4)
    for _factor, columns, at in layout.factor_offsets():
        row = [values[c] for c in columns]
        if any(x is None for x in row):
            continue
        k = len(columns)
        v[at] = 1
        for j, x in enumerate(row):
            v[at + 1 + j] = int(x)  # type: ignore[arg-type]
            v[at + 1 + k + j] = int(x) ** 2  # type: ignore[operator]
        total = sum(int(x) for x in row)  # type: ignore[arg-type]
        v[at + 1 + 2 * k] = total
        v[at + 2 + 2 * k] = total * total
    return v


def add(a: list[int], b: Sequence[int]) -> list[int]:
    return [x + y for x, y in zip(a, b, strict=True)]


def _variance(total: float, squares: float, m: int) -> float:
    return (squares - total * total / m) / (m - 1)


def scores(layout: Layout, v: Sequence[float] | np.ndarray) -> dict[str, dict]:
    """Per factor: mean of item means (1–5), favourable share, Cronbach's alpha (or None)."""
    result: dict[str, dict] = {}
    for factor, columns, at in layout.factor_offsets():
        counts = [v[ITEMS_AT + 3 * c] for c in columns]
        if not any(counts):
            continue
        means = [v[ITEMS_AT + 3 * c + 1] / n for c, n in zip(columns, counts, strict=True) if n]
        favourable = sum(v[ITEMS_AT + 3 * c + 2] for c in columns) / sum(counts)
        alpha = None
        k, m = len(columns), int(v[at])
        if k > 1 and m >= 2:
            total_variance = _variance(v[at + 1 + 2 * k], v[at + 2 + 2 * k], m)
            if total_variance > 1e-12:
                items = sum(_variance(v[at + 1 + j], v[at + 1 + k + j], m) for j in range(k))
                alpha = k / (k - 1) * (1 - items / total_variance)
        result[factor] = {
            "mean": float(sum(means) / len(means)),
            "favourable": float(favourable),
            "alpha": alpha,
        }
    return result


def enps(v: Sequence[float] | np.ndarray) -> float | None:
    n = v[ENPS_N]
    return None if not n else float(100 * (v[PROMOTERS] - v[DETRACTORS]) / n)
