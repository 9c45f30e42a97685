"""Numerically stable Poisson / gamma building blocks shared by the queueing models.

Everything here works on NumPy arrays (broadcasting) and on *real* counts, so the
same code serves Erlang B/C (integer agents) and Erlang A (where the count
``x = n * patience / aht`` is real).

The Poisson "density" at a real point, ``f(x; m) = m**x * exp(-m) / Gamma(x + 1)``,
is evaluated in log space with the saddle-point form (Loader, 2000)::

    log f(x; m) = -stirlerr(x) - bd0(x, m) - 0.5 * log(2 * pi * x)

where ``stirlerr`` is the error of Stirling's formula and ``bd0(x, m) =
x log(x/m) + m - x`` is computed without cancellation.  The naive form
``x log m - m - lgamma(x + 1)`` loses about ``log10(x log m)`` digits (seven at
a million Erlangs); this one keeps full double precision.
"""

from __future__ import annotations

import numpy as np
from scipy import special

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_STIRLING_SWITCH = 15.0


def stirling_error(x: np.ndarray) -> np.ndarray:
    """``lgamma(x + 1) - (x + 1/2) log x + x - log sqrt(2 pi)`` for ``x > 0``."""
    x = np.asarray(x, dtype=float)
    small = x <= _STIRLING_SWITCH
    if not small.any():  # the usual case: no masking, a few array operations
        return _stirling_series(x)
    out = np.empty_like(x)
    xs = x[small]
    out[small] = special.gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _LOG_SQRT_2PI
    big = ~small
    out[big] = _stirling_series(x[big])
    return out


def _stirling_series(x: np.ndarray) -> np.ndarray:
    inv2 = 1.0 / (x * x)
    series: np.ndarray = (
        1.0 / 12.0
        - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - inv2 / 1188.0) * inv2) * inv2) * inv2
    ) / x
    return series


def deviance_term(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``bd0(x, m) = x log(x / m) + m - x`` (>= 0), accurate when ``x`` is close to ``m``."""
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        near = np.abs(x - m) < 0.1 * (x + m)
        if near.all():  # the usual case in a staffing search: no masking
            return _deviance_near(x, m)
        out = np.empty(x.shape)
        far = ~near
        xf, mf = x[far], m[far]
        # special.xlogy gives 0 * log 0 = 0 for x == 0
        out[far] = special.xlogy(xf, xf / mf) + mf - xf
        if near.any():
            out[near] = _deviance_near(x[near], m[near])
    return out


def _deviance_near(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``bd0`` by its series in ``v = (x - m) / (x + m)``, for ``|v| < 0.1``."""
    v = (x - m) / (x + m)
    total: np.ndarray = (x - m) * v
    term = 2.0 * x * v
    v2 = v * v
    for j in range(1, 9):  # |v| < 0.1: the 9th term is below 1e-18 of the first
        term = term * v2
        total = total + term / (2 * j + 1)
    return total


def log_poisson_density(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``log(m**x e**-m / Gamma(x + 1))`` for real ``x >= 0``, ``m > 0`` (full precision)."""
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    zero = x == 0
    if not zero.any():
        whole: np.ndarray = (
            -stirling_error(x) - deviance_term(x, m) - _LOG_SQRT_2PI - 0.5 * np.log(x)
        )
        return whole
    out = np.empty(x.shape)
    out[zero] = -m[zero]
    pos = ~zero
    xp, mp = x[pos], m[pos]
    out[pos] = -stirling_error(xp) - deviance_term(xp, mp) - _LOG_SQRT_2PI - 0.5 * np.log(xp)
    return out


def log_poisson_cdf(n: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``log P(Poisson(m) <= n)`` = ``log Q(n + 1, m)`` (regularised upper incomplete gamma).

    In the far lower tail, where ``Q`` underflows (``n`` many standard deviations
    below ``m``), uses ``log f(n; m) + log(cdf / pmf)`` with the ratio from
    Legendre's continued fraction for the upper incomplete gamma function, which
    converges in a few terms there.
    """
    n, m = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(m, dtype=float))
    q = special.gammaincc(n + 1.0, m)
    with np.errstate(divide="ignore"):
        out = np.log(q)
    tail = q < 1e-290
    if np.any(tail):
        nt, mt = n[tail], m[tail]
        out[tail] = log_poisson_density(nt, mt) + np.log(mt * _upper_gamma_fraction(nt + 1.0, mt))
    return out


def _upper_gamma_fraction(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``Gamma(a, x) * e**x / x**a`` by the modified Lentz method (for ``x > a``)."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = np.full(x.shape, 1.0 / tiny)
    d = 1.0 / b
    h: np.ndarray = d.copy()
    for i in range(1, 400):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return h


def _lower_gamma_series(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sum_{k>=0} y**k / prod_{i=1..k} (x + i)`` for ``y < x + 1`` (terms shrink geometrically)."""
    term = np.ones(x.shape)
    total = np.ones(x.shape)
    for k in range(1, 200_000):
        term = term * (y / (x + k))
        total = total + term
        if np.all(term < 1e-17 * total):
            break
    return total


def log_regularized_lower_gamma(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log P(x, y)``, the regularised lower incomplete gamma, valid where ``P`` underflows.

    Where ``P`` underflows (``y`` far below ``x``) it is ``log f(x; y)`` plus the log of
    Garnett–Mandelbaum–Reiman's series ``A(x, y)`` (see below), whose terms then
    shrink geometrically.
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    p = special.gammainc(x, y)
    with np.errstate(divide="ignore"):
        out: np.ndarray = np.log(p)
    tail = p < 1e-290
    if np.any(tail):
        xt, yt = x[tail], y[tail]
        out[tail] = np.log(_lower_gamma_series(xt, yt)) + log_poisson_density(xt, yt)
    return out


def log_lower_gamma_over_density(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log( P(x, y) / f(x; y) )`` where ``P`` is the regularised lower incomplete gamma.

    This is ``log`` of Garnett–Mandelbaum–Reiman's ``A(x, y) = 1 + sum_{j>=1}
    y**j / prod_{k=1..j} (x + k)``.  When ``P`` underflows (``y`` far below
    ``x``), the series itself is summed (its terms then shrink geometrically).
    """
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    p = special.gammainc(x, y)
    with np.errstate(divide="ignore"):
        out: np.ndarray = np.log(p) - log_poisson_density(x, y)
    tail = p < 1e-290
    if np.any(tail):
        xt, yt = x[tail], y[tail]
        out[tail] = np.log(_lower_gamma_series(xt, yt))
    return out
