"""An L2-regularised logistic regression, fitted by Newton's method, and its reasons.

Why this model: thirteen features, tens of thousands of rows, and a lead who must be able
to read why a score is high. The features are standardised with the training rows' mean
and spread; the coefficients then say how many log-odds one spread of a signal adds. A
person's *contribution* of a feature is ``coefficient * (value - mean) / spread``: how far
that signal moves their log-odds away from the average person's. The reasons shown are the
largest positive contributions. The penalty ``l2`` shrinks the coefficients towards zero
(not the intercept), which keeps a rare signal from getting a wild weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        return self.intercept + self._z(x) @ self.coef

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The probability of the outcome (leaving within 90 days) per row."""
        return sigmoid(self.log_odds(x))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per row and feature, the log-odds it adds against the average training row."""
        return self._z(x) * self.coef

    def _z(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=float) - self.mean) / self.scale

    def as_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        return cls(
            tuple(data["features"]),
            np.array(data["mean"], dtype=float),
            np.array(data["scale"], dtype=float),
            np.array(data["coef"], dtype=float),
            float(data["intercept"]),
        )


def fit(
    x: np.ndarray,
    y: np.ndarray,
    features: Sequence[str],
    *,
    l2: float = 1.0,
    iterations: int = 50,
    tolerance: float = 1e-8,
) -> Model:
    """Minimise the mean log-loss plus ``l2 / (2 n) * |coef|^2`` by Newton's method (IRLS)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n, k = x.shape
    if n == 0 or y.min() == y.max():
        raise ValueError("training needs rows of both outcomes")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    design = np.column_stack([np.ones(n), (x - mean) / scale])
    penalty = np.full(k + 1, l2)
    penalty[0] = 0.0
    base = y.mean()
    w = np.zeros(k + 1)
    w[0] = np.log(base / (1 - base))
    for _ in range(iterations):
        p = sigmoid(design @ w)
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < tolerance:
            break
    return Model(tuple(features), mean, scale, w[1:].copy(), float(w[0]))


@dataclass(frozen=True)
class Reason:
    feature: str
    value: float
    contribution: float  # log-odds added against the average person


def reasons(model: Model, row: np.ndarray, limit: int = 3, least: float = 0.1) -> list[Reason]:
    """The largest positive contributions of one row (at least ``least`` log-odds each)."""
    contrib = model.contributions(np.asarray(row, dtype=float)[None, :])[0]
    order = np.argsort(-contrib)
    return [
        Reason(model.features[j], float(row[j]), float(contrib[j]))
        for j in order[:limit]
        if contrib[j] >= least
    ]
