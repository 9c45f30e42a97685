"""Snapshots with their 90-day outcome, the temporal hold-out, and the report on it.

A *snapshot* is a person active on a day (hired on or before it, not yet left), with the
features of that day and the outcome "left within the next 90 days". Snapshots are taken
every four weeks. The **temporal hold-out** trains on snapshots whose outcome was known by
a cut-off day and tests on snapshots taken from the cut-off on, so the model is judged on a
later period than it learnt from, as it will be used. The tenure-only baseline (the same
model on the tenure features alone) is trained and tested on the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import features, metrics
from .history import History
from .model import Model, fit

HORIZON = 90  # days ahead the score speaks of
STEP = 28  # days between snapshots
LOOKBACK = 90  # the longest window a feature reads
TOP_SHARE = 0.10  # precision and recall among the top tenth of scores
HIGH_RISK = 0.30  # a probability at or above this is shown as high risk
RAISED_RISK = 0.15  # ... and at or above this as raised


@dataclass(frozen=True)
class Snapshots:
    person: np.ndarray
    day: np.ndarray
    x: np.ndarray
    y: np.ndarray


def snapshots(history: History, first: int, last: int, step: int = STEP) -> Snapshots:
    """Snapshots on ``first``, ``first + step``, … whose 90-day outcome is known by ``last``."""
    persons, days = [], []
    for day in range(first, last - HORIZON + 1, step):
        active = np.flatnonzero((history.hired <= day) & (history.left > day))
        persons.append(active)
        days.append(np.full(len(active), day, dtype=np.int64))
    person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    day = np.concatenate(days) if days else np.zeros(0, dtype=np.int64)
    y = (history.left[person] <= day + HORIZON).astype(float)
    return Snapshots(person, day, features.matrix(history, person, day), y)


def _columns(names: tuple[str, ...]) -> list[int]:
    return [features.FEATURES.index(name) for name in names]


def train(history: History, first: int, last: int, *, l2: float = 1.0) -> Model:
    """The model on every snapshot from ``first`` whose outcome is known by ``last``."""
    rows = snapshots(history, first + LOOKBACK, last)
    return fit(rows.x, rows.y, features.FEATURES, l2=l2)


@dataclass(frozen=True)
class Scores:
    auc: float
    precision_top: float  # among the top tenth of scores
    recall_top: float
    precision_high: float  # at HIGH_RISK
    recall_high: float
    brier: float
    ece: float
    calibration: list[metrics.CalibrationBin]

    def as_dict(self) -> dict:
        return {
            "auc": self.auc,
            "precision_top": self.precision_top,
            "recall_top": self.recall_top,
            "precision_high": self.precision_high,
            "recall_high": self.recall_high,
            "brier": self.brier,
            "ece": self.ece,
            "calibration": [
                [b.low, b.high, b.rows, b.predicted, b.observed] for b in self.calibration
            ],
        }


def _scores(y: np.ndarray, p: np.ndarray) -> Scores:
    cut = np.quantile(p, 1 - TOP_SHARE)
    precision_top, recall_top = metrics.precision_recall(y, p, cut)
    precision_high, recall_high = metrics.precision_recall(y, p, HIGH_RISK)
    table = metrics.calibration(y, p)
    return Scores(
        metrics.auc(y, p),
        precision_top,
        recall_top,
        precision_high,
        recall_high,
        metrics.brier(y, p),
        metrics.expected_calibration_error(table),
        table,
    )


@dataclass(frozen=True)
class Report:
    cutoff: int
    train_rows: int
    test_rows: int
    test_leavers: int
    base_rate: float  # share of test rows who left within 90 days
    model: Scores
    baseline: Scores  # tenure only, same rows

    def as_dict(self) -> dict:
        return {
            "cutoff": self.cutoff,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "test_leavers": self.test_leavers,
            "base_rate": self.base_rate,
            "model": self.model.as_dict(),
            "baseline": self.baseline.as_dict(),
        }


def holdout(
    history: History, first: int, last: int, *, test_days: int = 182, l2: float = 1.0
) -> tuple[Model, Report]:
    """Train on snapshots known by the cut-off (``last - HORIZON - test_days``), test after it."""
    cutoff = last - HORIZON - test_days
    train_rows = snapshots(history, first + LOOKBACK, cutoff)
    test_first = first + LOOKBACK + ((cutoff - first - LOOKBACK + STEP - 1) // STEP) * STEP
    test_rows = snapshots(history, test_first, last)
    model = fit(train_rows.x, train_rows.y, features.FEATURES, l2=l2)
    tenure = _columns(features.TENURE_ONLY)
    baseline = fit(train_rows.x[:, tenure], train_rows.y, features.TENURE_ONLY, l2=l2)
    report = Report(
        cutoff,
        len(train_rows.y),
        len(test_rows.y),
        int(test_rows.y.sum()),
        float(test_rows.y.mean()),
        _scores(test_rows.y, model.predict(test_rows.x)),
        _scores(test_rows.y, baseline.predict(test_rows.x[:, tenure])),
    )
    return model, report


def level(probability: float) -> str:
    """``"high"``, ``"raised"`` or ``"low"``."""
    if probability >= HIGH_RISK:
        return "high"
    if probability >= RAISED_RISK:
        return "raised"
    return "low"
