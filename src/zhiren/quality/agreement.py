"""How far QA inspectors agree (calibration, 校准): plain math on plain inputs, no Django.

- ``alpha``: Krippendorff's alpha of one criterion over several contacts, by the
  maintained ``krippendorff`` library; level nominal for yes/no, ordinal for 1–5,
  interval for points (``level_for_scale``). Missing ratings are allowed.
- ``icc``: the intraclass correlation of total scores (contacts × inspectors), two-way:
  ``ICC(2,1)`` (random inspectors, absolute agreement; the default) or ``ICC(3,1)``
  (fixed inspectors, consistency), after Shrout & Fleiss (1979). Contacts that not
  every inspector scored are left out.
- ``percent_agreement``: the share of pairs of inspectors giving the same answer.
- ``alignment``: grade-the-grader, one inspector against the benchmark grader:
  Σ weight × (1 − |difference| ÷ the criterion's range) ÷ Σ weight, over criteria
  either answered (N/A against an answer counts as no alignment; both N/A is left out).

Worked examples are in ``docs/quality.md`` ("Calibration").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import krippendorff
import numpy as np

from .scoring import NA, ONE_TO_FIVE, POINTS, YES_NO

Ratings = Sequence[Sequence[float | None]]

LEVELS = {YES_NO: "nominal", ONE_TO_FIVE: "ordinal", POINTS: "interval"}


def level_for_scale(scale: str) -> str:
    return LEVELS[scale]


def alpha(ratings: Ratings, level: str = "nominal") -> float | None:
    """Krippendorff's alpha; ``ratings[rater][unit]``, ``None`` for a rating not given.

    ``None`` when alpha is undefined: fewer than two pairable values, or one value only.
    """
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in ratings], dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return None
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    values = values[~np.isnan(values)]
    if values.size < 2 or np.unique(values).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def icc(scores: Ratings, kind: str = "2,1") -> float | None:
    """ICC of ``scores[contact][inspector]`` (see the module's docstring); None with too little data."""
    rows = [row for row in scores if all(v is not None for v in row)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    x = np.array(rows, dtype=float)
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    ms_rows = ss_rows / (n - 1)
    ms_cols = ss_cols / (k - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))
    if kind == "2,1":
        denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    elif kind == "3,1":
        denominator = ms_rows + (k - 1) * ms_error
    else:
        raise ValueError(f"unknown ICC {kind!r}")
    if denominator == 0:
        return None
    return float((ms_rows - ms_error) / denominator)


def percent_agreement(answers_by_unit: Sequence[Sequence[object]]) -> float | None:
    """Agreeing pairs ÷ all pairs of inspectors over the units (``answers_by_unit[unit][inspector]``)."""
    agree = total = 0
    for answers in answers_by_unit:
        given = [a for a in answers if a is not None]
        for first, second in combinations(given, 2):
            total += 1
            agree += first == second
    return agree / total if total else None


def _value(answer: object) -> float | None:
    if answer is None or answer == NA:
        return None
    if answer in ("yes", True):
        return 1.0
    if answer in ("no", False):
        return 0.0
    return float(answer)  # type: ignore[arg-type]  # a number on a 1–5 or points scale


def scale_range(scale: str, points: float) -> float:
    """How far apart two answers can be: 1 (yes/no), 4 (1–5) or the points."""
    return {YES_NO: 1.0, ONE_TO_FIVE: 4.0, POINTS: float(points)}[scale]


def alignment(answers: Mapping[str, object], benchmark: Mapping[str, object],
              criteria: Mapping[str, tuple[str, float]]) -> float | None:
    """Grade-the-grader alignment, 0–1; ``criteria[key] = (scale, points)``, points weigh."""
    weighted = weight_sum = 0.0
    for key, (scale, points) in criteria.items():
        mine, theirs = _value(answers.get(key)), _value(benchmark.get(key))
        if mine is None and theirs is None:
            continue
        weight_sum += points
        if mine is None or theirs is None:
            continue
        weighted += points * max(0.0, 1 - abs(mine - theirs) / scale_range(scale, points))
    return weighted / weight_sum if weight_sum else None
