"""How good a risk score is on rows whose outcome is known (plain NumPy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: the chance that a random leaver scores above a random stayer
    (ties count half), by the Mann-Whitney rank sum with average ranks for ties."""
    y = np.asarray(y, dtype=bool)
    score = np.asarray(score, dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        raise ValueError("AUC needs both outcomes")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    # average ranks over runs of equal scores
    starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_scores)) + 1))
    ends = np.concatenate((starts[1:], [len(score)]))
    run_rank = (starts + ends + 1) / 2.0  # 1-based average rank of each run
    ranks[order] = np.repeat(run_rank, ends - starts)
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def precision_recall(y: np.ndarray, score: np.ndarray, threshold: float) -> tuple[float, float]:
    """Among rows scored at or above ``threshold``: the share who left (precision), and the
    share of leavers so flagged (recall). Precision is 0 when nothing is flagged."""
    y = np.asarray(y, dtype=bool)
    flagged = np.asarray(score) >= threshold
    hits = int((flagged & y).sum())
    precision = hits / int(flagged.sum()) if flagged.any() else 0.0
    recall = hits / int(y.sum()) if y.any() else 0.0
    return precision, recall


def brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(p, dtype=float) - np.asarray(y, dtype=float)) ** 2))


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    rows: int
    predicted: float  # mean predicted probability
    observed: float  # share who left


def calibration(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[CalibrationBin]:
    """Rows split into ``bins`` groups of equal size by predicted probability."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="mergesort")
    out = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            out.append(
                CalibrationBin(
                    float(p[chunk].min()),
                    float(p[chunk].max()),
                    len(chunk),
                    float(p[chunk].mean()),
                    float(y[chunk].mean()),
                )
            )
    return out


def expected_calibration_error(table: list[CalibrationBin]) -> float:
    """Mean |predicted - observed| over the bins, weighted by their rows."""
    total = sum(b.rows for b in table)
    return sum(b.rows * abs(b.predicted - b.observed) for b in table) / total if total else 0.0
