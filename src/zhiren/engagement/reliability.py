"""Scores and reliability of a group's answers: plain Python, no Django.

``answers`` are dicts item key -> score on a 1–5 scale (missing items allowed); a factor's
score is the mean of its items' means, its favourable share the share of 4s and 5s, and its
reliability Cronbach's alpha over the answers that rated all its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from statistics import median


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


def factor_scores(
    answers: Sequence[Mapping[str, int]], factors: Mapping[str, Sequence[str]]
) -> dict[str, dict]:
    """Per factor: mean (1–5), favourable share (0–1), answers counted and alpha."""
    result: dict[str, dict] = {}
    for factor, items in factors.items():
        item_means = []
        favourable = total = 0
        columns = [[a.get(item) for a in answers] for item in items]
        for column in columns:
            values = [v for v in column if v is not None]
            if values:
                item_means.append(sum(values) / len(values))
                favourable += sum(1 for v in values if v >= 4)
                total += len(values)
        if not item_means:
            continue
        complete = [list(row) for row in zip(*columns, strict=True) if None not in row]
        result[factor] = {
            "mean": sum(item_means) / len(item_means),
            "favourable": favourable / total,
            "alpha": cronbach_alpha(complete) if len(items) > 1 else None,
        }
    return result


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
