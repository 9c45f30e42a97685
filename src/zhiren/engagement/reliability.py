"""Scores and reliability of a group's answers: plain Python, no Django.

``answers`` are dicts item key -> score on a 1–5 scale (missing items allowed); a factor's
score is the mean of its items' means, its favourable share the share of 4s and 5s, and its
reliability Cronbach's alpha over the answers that rated all its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from statistics import median

import numpy as np


def _variance(values: Sequence[float]) -> float:
    """Sample variance in floats (``statistics.variance`` is exact and far slower on ints)."""
    n = len(values)
    m = sum(values) / n
    return sum((v - m) ** 2 for v in values) / (n - 1)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of ``rows`` (one row per respondent, one column per item).

    alpha = k / (k - 1) * (1 - sum of item variances / variance of row totals), sample
    variances. None with fewer than two items or two rows, or when the totals do not vary.
    """
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every row needs the same number of items")
    item_variances = sum(_variance([row[i] for row in rows]) for i in range(k))
    total_variance = _variance([sum(row) for row in rows])
    if total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def answer_matrix(answers: Sequence[Mapping[str, int | None]], items: Sequence[str]) -> np.ndarray:
    """Answers as a float matrix, one row per sheet, one column per item; NaN where unanswered."""
    matrix = np.full((len(answers), len(items)), np.nan)
    for r, sheet in enumerate(answers):
        for c, item in enumerate(items):
            value = sheet.get(item)
            if value is not None:
                matrix[r, c] = value
    return matrix


def matrix_scores(
    matrix: np.ndarray, rows: Sequence[int] | np.ndarray, factors: Mapping[str, Sequence[int]]
) -> dict[str, dict]:
    """Per factor (its items' column numbers): mean of item means (1–5), favourable share of
    4s and 5s (0–1), and Cronbach's alpha over the rows that rated all its items."""
    block = matrix[np.asarray(rows, dtype=int)]
    result: dict[str, dict] = {}
    for factor, columns in factors.items():
        sub = block[:, list(columns)]
        answered = ~np.isnan(sub)
        counts = answered.sum(axis=0)
        if not counts.any():
            continue
        sums = np.where(answered, sub, 0).sum(axis=0)
        item_means = sums[counts > 0] / counts[counts > 0]
        favourable = float((np.where(answered, sub, 0) >= 4).sum()) / float(counts.sum())
        alpha = None
        if len(columns) > 1:
            complete = sub[answered.all(axis=1)]
            if len(complete) >= 2:
                total_variance = float(complete.sum(axis=1).var(ddof=1))
                if total_variance > 1e-12:
                    k = len(columns)
                    alpha = (
                        k
                        / (k - 1)
                        * (1 - float(complete.var(axis=0, ddof=1).sum()) / total_variance)
                    )
        result[factor] = {
            "mean": float(item_means.mean()),
            "favourable": favourable,
            "alpha": alpha,
        }
    return result


def factor_scores(
    answers: Sequence[Mapping[str, int | None]], factors: Mapping[str, Sequence[str]]
) -> dict[str, dict]:
    """Per factor (its item keys): mean (1–5), favourable share (0–1) and alpha (``matrix_scores``)."""
    items = [item for keys in factors.values() for item in keys]
    columns: dict[str, list[int]] = {}
    for factor, keys in factors.items():
        columns[factor] = [items.index(k) for k in keys]
    return matrix_scores(answer_matrix(answers, items), range(len(answers)), columns)


def enps(scores: Iterable[int | None]) -> float | None:
    """Employee net promoter score: % of 9–10 minus % of 0–6, from -100 to 100."""
    values = [s for s in scores if s is not None]
    if not values:
        return None
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return 100 * (promoters - detractors) / len(values)


def lowest(scores: Mapping[str, dict], count: int = 3) -> list[str]:
    """The ``count`` factors with the lowest mean (ties by key), for the action plan."""
    return sorted(scores, key=lambda f: (scores[f]["mean"], f))[:count]


def median_or_none(values: Sequence[float]) -> float | None:
    return median(values) if values else None
