"""Item analysis of a quiz (试题分析): plain Python, no Django.

Rows are attempts, columns are items; a cell is 1 (answered correctly) or 0.

- **Difficulty** (难度, the *p*-value): the share of attempts that answered the item
  correctly. High *p*: an easy item.
- **Discrimination, point-biserial** (区分度, 点二列相关): the correlation of the item's
  0/1 score with the attempt's score on the *other* items (the rest score, so the item
  does not correlate with itself): ``r = (M1 − M0) / s × √(p q)``, where ``M1`` / ``M0``
  are the mean rest scores of those who got the item right / wrong and ``s`` the
  population standard deviation of the rest scores.
- **Discrimination, upper–lower index** (高低分组区分度 *D*): the share correct in the
  top 27 % of attempts (by total score) minus the share correct in the bottom 27 %.

A figure that cannot be computed (everyone right or everyone wrong, fewer than two
attempts, no spread in scores) is ``None``, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

UPPER_LOWER_SHARE = 0.27


@dataclass(frozen=True)
class ItemStats:
    index: int
    n: int
    difficulty: float | None
    point_biserial: float | None
    upper_lower: float | None


def difficulty(item: Sequence[int]) -> float | None:
    return sum(item) / len(item) if item else None


def point_biserial(item: Sequence[int], totals: Sequence[float]) -> float | None:
    """Point-biserial correlation of 0/1 ``item`` with ``totals`` (pass rest scores for the corrected one)."""
    n = len(item)
    if n < 2 or n != len(totals):
        return None
    right = [t for x, t in zip(item, totals, strict=True) if x]
    wrong = [t for x, t in zip(item, totals, strict=True) if not x]
    if not right or not wrong:
        return None
    mean = sum(totals) / n
    sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / n)
    if sd == 0:
        return None
    p = len(right) / n
    return (sum(right) / len(right) - sum(wrong) / len(wrong)) / sd * math.sqrt(p * (1 - p))


def upper_lower(
    item: Sequence[int], totals: Sequence[float], share: float = UPPER_LOWER_SHARE
) -> float | None:
    """D = p(upper group) − p(lower group); groups of ``round(share × n)`` (at least one) attempts."""
    n = len(item)
    if n < 2 or n != len(totals):
        return None
    size = max(1, min(n // 2, round(share * n)))
    order = sorted(range(n), key=lambda i: (-totals[i], i))
    upper = [item[i] for i in order[:size]]
    lower = [item[i] for i in order[-size:]]
    return sum(upper) / size - sum(lower) / size


def analyse(matrix: Sequence[Sequence[int]], share: float = UPPER_LOWER_SHARE) -> list[ItemStats]:
    """Difficulty and both discrimination indices of every column of ``matrix``."""
    if not matrix:
        return []
    width = len(matrix[0])
    totals = [sum(row) for row in matrix]
    result = []
    for j in range(width):
        item = [row[j] for row in matrix]
        rest = [total - x for total, x in zip(totals, item, strict=True)]
        result.append(
            ItemStats(
                j,
                len(item),
                difficulty(item),
                point_biserial(item, rest),
                upper_lower(item, totals, share),
            )
        )
    return result
