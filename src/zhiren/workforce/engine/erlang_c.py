"""Erlang B and Erlang C (M/M/n, infinite patience), vectorised and exact.

Model (Erlang C): contacts arrive as a Poisson process of rate ``lambda``;
handle times are exponential with mean ``aht_s``; ``n`` identical agents; one
FIFO queue; nobody abandons.  ``traffic_erlangs = A = lambda * aht_s``.

Definitions (all for a stable queue, ``n > A``; for ``n <= A`` the queue grows
without bound: P(wait) = 1, service level 0, ASA infinite):

* Erlang B ``B(n, A) = (A**n / n!) / sum_{k<=n} A**k / k!``.
* P(wait) ``C(n, A) = n B / (n - A + A B)``: share of contacts that queue at all.
* service level within ``T``: ``P(W <= T) = 1 - C exp(-(n - A) T / aht)``,
  the share of all contacts answered within ``T`` seconds (everyone is answered).
* ASA: ``E[W] = C aht / (n - A)``, mean wait over all (= answered) contacts.
* occupancy: ``A / n``, the share of agent time spent handling.

Numerics: ``B = pmf(n; A) / cdf(n; A)`` of a Poisson(A) law, with the pmf from
the saddle-point form and the cdf from the regularised incomplete gamma
function, both in log space (see :mod:`.gamma_poisson`): no factorials, no
powers, and full double precision from 0.001 to 1,000,000 Erlangs and beyond.
``1 - C`` and the service level are assembled from terms of one sign, so even a
service level near 0 or near 1 keeps its relative precision.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

from .agent_search import smallest_satisfying
from .errors import EngineInputError
from .gamma_poisson import log_poisson_cdf, log_poisson_density


def _as_arrays(*values: npt.ArrayLike) -> list[np.ndarray]:
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return [np.array(a, dtype=float) for a in arrays]


def _log_erlang_b(agents: np.ndarray, traffic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(log B, log(1 - B))`` for ``agents >= 1`` and ``traffic > 0``."""
    log_cdf_n = log_poisson_cdf(agents, traffic)
    log_b = log_poisson_density(agents, traffic) - log_cdf_n
    log_one_minus_b = np.empty_like(log_b)
    small = log_b < -0.7  # B < 0.5: 1 - B has no cancellation
    log_one_minus_b[small] = np.log1p(-np.exp(log_b[small]))
    big = ~small
    if np.any(big):
        # 1 - B = cdf(n - 1) / cdf(n)
        log_one_minus_b[big] = log_poisson_cdf(agents[big] - 1.0, traffic[big]) - log_cdf_n[big]
    return log_b, log_one_minus_b


def erlang_b(agents: npt.ArrayLike, traffic_erlangs: npt.ArrayLike) -> np.ndarray:
    """Blocking probability of the loss system M/M/n/n (arrays broadcast)."""
    n, a = _as_arrays(agents, traffic_erlangs)
    out = np.where(n == 0, 1.0, 0.0)
    live = (n > 0) & (a > 0)
    if np.any(live):
        out[live] = np.exp(_log_erlang_b(n[live], a[live])[0])
    return out


def _erlang_c_parts(n: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For ``n > a > 0``: (C, 1 - C, n - A + A B) computed without cancellation."""
    log_b, log_1mb = _log_erlang_b(n, a)
    b = np.exp(log_b)
    spare = n - a
    denom = spare + a * b
    wait = n * b / denom
    no_wait = spare * np.exp(log_1mb) / denom
    return wait, no_wait, denom, b


def erlang_c_wait_probability(agents: npt.ArrayLike, traffic_erlangs: npt.ArrayLike) -> np.ndarray:
    """P(wait) = Erlang C ``C(n, A)``; 1 when ``n <= A`` (unstable), 0 when ``A == 0``."""
    n, a = _as_arrays(agents, traffic_erlangs)
    out = np.where(a > 0, 1.0, 0.0)
    stable = (n > a) & (a > 0)
    if np.any(stable):
        out[stable] = _erlang_c_parts(n[stable], a[stable])[0]
    return out


def erlang_c_service_level(
    agents: npt.ArrayLike,
    traffic_erlangs: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    answer_time_target_s: npt.ArrayLike,
) -> np.ndarray:
    """Share of contacts answered within ``answer_time_target_s`` seconds: ``1 - C e^{-(n-A)T/aht}``."""
    n, a, aht, t = _as_arrays(agents, traffic_erlangs, aht_s, answer_time_target_s)
    out = np.where(a > 0, 0.0, 1.0)
    stable = (n > a) & (a > 0)
    if np.any(stable):
        ns, as_ = n[stable], a[stable]
        log_b, log_1mb = _log_erlang_b(ns, as_)
        b = np.exp(log_b)
        spare = ns - as_
        decay = -np.expm1(-spare * t[stable] / aht[stable])
        out[stable] = (spare * np.exp(log_1mb) + ns * b * decay) / (spare + as_ * b)
    return out


def erlang_c_asa_s(agents: npt.ArrayLike, traffic_erlangs: npt.ArrayLike, aht_s: npt.ArrayLike) -> np.ndarray:
    """Average speed of answer in seconds, ``C aht / (n - A)`` (infinite when ``n <= A``)."""
    n, a, aht = _as_arrays(agents, traffic_erlangs, aht_s)
    out = np.where(a > 0, np.inf, 0.0)
    stable = (n > a) & (a > 0)
    if np.any(stable):
        wait = _erlang_c_parts(n[stable], a[stable])[0]
        out[stable] = wait * aht[stable] / (n[stable] - a[stable])
    return out


def occupancy(agents: npt.ArrayLike, traffic_erlangs: npt.ArrayLike) -> np.ndarray:
    """Share of agent time busy, ``A / n`` capped at 1 (0 with no agents and no traffic)."""
    n, a = _as_arrays(agents, traffic_erlangs)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(n > 0, np.minimum(a / np.where(n > 0, n, 1.0), 1.0), np.where(a > 0, 1.0, 0.0))
    return out


def validate_targets(
    *,
    service_level_target: float | None,
    answer_time_target_s: float | None,
    asa_target_s: float | None,
    max_occupancy: float | None,
) -> None:
    """Raise :class:`EngineInputError` for targets outside their meaningful range."""
    if (service_level_target is None) != (answer_time_target_s is None):
        raise EngineInputError(
            "a service-level target needs both the share (e.g. 0.8) and the answer time target in seconds"
        )
    if service_level_target is not None and not 0.0 < service_level_target < 1.0:
        raise EngineInputError(f"service level target must be between 0 and 1 (exclusive), got {service_level_target}")
    if answer_time_target_s is not None and not answer_time_target_s >= 0.0:
        raise EngineInputError(f"answer time target must be >= 0 seconds, got {answer_time_target_s}")
    if asa_target_s is not None and not asa_target_s > 0.0:
        raise EngineInputError(f"ASA target must be > 0 seconds, got {asa_target_s}")
    if max_occupancy is not None and not 0.0 < max_occupancy <= 1.0:
        raise EngineInputError(f"max occupancy must be in (0, 1], got {max_occupancy}")


def occupancy_floor(traffic: np.ndarray, max_occupancy: float | None) -> np.ndarray:
    """Smallest ``n`` with ``A / n <= max_occupancy`` (0 when there is no cap)."""
    if max_occupancy is None:
        return np.zeros(traffic.shape, dtype=np.int64)
    n = np.ceil(traffic / max_occupancy).astype(np.int64)
    # guard against floating rounding: step back while n - 1 already satisfies the cap
    too_many = (n >= 1) & (traffic / np.maximum(n - 1, 1) <= max_occupancy) & (n - 1 >= 1)
    floor: np.ndarray = np.where(too_many, n - 1, n)
    return floor


def _halfin_whitt_beta(
    traffic: np.ndarray,
    aht: np.ndarray,
    *,
    service_level_target: float | None,
    answer_time_target_s: float | None,
    asa_target_s: float | None,
) -> np.ndarray:
    """Square-root staffing coefficient ``beta`` (n ~ A + beta sqrt(A)) for the targets."""
    root = np.sqrt(traffic)
    lo = np.zeros_like(traffic)
    hi = np.full_like(traffic, 8.0)

    def misses(beta: np.ndarray) -> np.ndarray:
        # log of Halfin-Whitt's P(wait), alpha(beta) = 1 / (1 + beta Phi(beta) / phi(beta))
        log_alpha = -np.log1p(beta * np.exp(special.log_ndtr(beta) + 0.5 * beta * beta) * np.sqrt(2 * np.pi))
        miss = np.zeros(beta.shape, dtype=bool)
        if service_level_target is not None:
            miss |= log_alpha - beta * root * answer_time_target_s / aht > np.log1p(-service_level_target)
        if asa_target_s is not None:
            miss |= log_alpha + np.log(aht) - np.log(np.maximum(beta * root, 1e-300)) > np.log(asa_target_s)
        return miss

    for _ in range(14):
        mid = 0.5 * (lo + hi)
        m = misses(mid)
        lo = np.where(m, mid, lo)
        hi = np.where(m, hi, mid)
    return hi


def erlang_c_required_agents(
    traffic_erlangs: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    *,
    service_level_target: float | None = None,
    answer_time_target_s: float | None = None,
    asa_target_s: float | None = None,
    max_occupancy: float | None = None,
) -> np.ndarray:
    """Fewest agents (before shrinkage) meeting every given target, per interval.

    Targets: service level ``service_level_target`` within ``answer_time_target_s``
    (e.g. 0.8 and 20 for 80/20), ``asa_target_s`` (mean wait), ``max_occupancy``
    (``A / n`` at most this).  Any combination; at least a stable queue
    (``n > A``) is always required when there is traffic.  Zero traffic needs 0
    agents.  Returns an int64 array shaped like the broadcast inputs.

    The result is exact: ``n`` meets every target and ``n - 1`` misses one.
    """
    validate_targets(
        service_level_target=service_level_target,
        answer_time_target_s=answer_time_target_s,
        asa_target_s=asa_target_s,
        max_occupancy=max_occupancy,
    )
    traffic, aht = _as_arrays(traffic_erlangs, aht_s)
    shape = traffic.shape
    traffic, aht = traffic.ravel(), aht.ravel()
    if np.any(~np.isfinite(traffic)) or np.any(traffic < 0):
        raise EngineInputError("traffic must be finite and >= 0 Erlangs")
    if np.any(~(aht > 0)):
        raise EngineInputError("AHT must be > 0 seconds")
    result = np.zeros(traffic.shape, dtype=np.int64)
    live = np.nonzero(traffic > 0)[0]
    if live.size == 0:
        return result.reshape(shape)
    a, h = traffic[live], aht[live]
    lower = np.maximum(np.floor(a).astype(np.int64) + 1, occupancy_floor(a, max_occupancy))
    if service_level_target is not None or asa_target_s is not None:
        beta = _halfin_whitt_beta(
            a,
            h,
            service_level_target=service_level_target,
            answer_time_target_s=answer_time_target_s,
            asa_target_s=asa_target_s,
        )
        guess = np.ceil(a + beta * np.sqrt(a)).astype(np.int64)
    else:
        guess = lower

    def meets(n: np.ndarray, index: np.ndarray) -> np.ndarray:
        nf = n.astype(float)
        ai, hi_ = a[index], h[index]
        ok: np.ndarray = nf > ai
        if max_occupancy is not None:
            ok &= ai <= max_occupancy * nf
        if service_level_target is None and asa_target_s is None:
            return ok
        # unstable counts (already failing) are evaluated at a stand-in stable count
        wait, no_wait, _denom, _b = _erlang_c_parts(np.where(nf > ai, nf, ai + 1.0), ai)
        spare = nf - ai
        if service_level_target is not None:
            decay = -np.expm1(-spare * answer_time_target_s / hi_)
            level = no_wait + wait * decay
            ok &= level >= service_level_target
        if asa_target_s is not None:
            ok &= wait * hi_ <= asa_target_s * spare
        return ok

    result[live] = smallest_satisfying(meets, lower, np.maximum(guess, lower))
    return result.reshape(shape)


def agents_with_shrinkage(agents_required: npt.ArrayLike, shrinkage: npt.ArrayLike) -> np.ndarray:
    """Scheduled agents so that ``agents_required`` remain after shrinkage: ``ceil(n / (1 - s))``.

    Exact for decimal inputs: the quotient is rounded up only when it exceeds an
    integer by more than floating-point noise (so 8 / (1 - 0.2) gives 10, not 11).
    """
    n, s = _as_arrays(agents_required, shrinkage)
    if np.any(~((s >= 0) & (s < 1))):
        raise EngineInputError("shrinkage must be in [0, 1)")
    raw = n / (1.0 - s)
    nearest = np.round(raw)
    close = np.abs(raw - nearest) <= 1e-9 * np.maximum(raw, 1.0)
    scheduled: np.ndarray = np.where(close, nearest, np.ceil(raw)).astype(np.int64)
    return scheduled
