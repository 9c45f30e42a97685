"""Erlang A (M/M/n+M): Erlang C plus exponentially distributed patience.

Model: Poisson arrivals of rate ``lambda``; exponential handle times of mean
``aht_s`` (rate ``mu``); ``n`` agents; one FIFO queue; each waiting contact
abandons when its own patience runs out, patience being exponential with mean
``patience_s`` (rate ``theta``) and independent of everything else.  The queue
is stable for every load, so ``n`` may be below the offered traffic
``A = lambda * aht_s``.

Exact formulas (Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn), with
``x = n mu / theta``, ``y = lambda / theta``, ``rho = y / x`` and
``A(x, y) = 1 + sum_{j>=1} y**j / prod_{k=1..j} (x + k) = P(x, y) / f(x; y)``
(``P`` the regularised lower incomplete gamma function, ``f`` the Poisson
"density" at real ``x``), ``B = B(n, A)`` the Erlang B formula:

* P(wait) -- an arrival finds every agent busy:
  ``A(x, y) B / (1 + (A(x, y) - 1) B)``.
* P(abandon | wait) ``= 1 - (1 - 1 / A(x, y)) / rho``; ``abandon_rate = P(wait) P(abandon | wait)``,
  the share of offered contacts that abandon.
* The *offered wait* ``V`` (time until an agent would take the contact, were it
  infinitely patient) satisfies ``P(V > t) = P(wait) P(x, y e^{-theta t}) / P(x, y)``;
  a contact is answered iff its patience exceeds ``V``.
* Answered within ``T`` and answered late: ``P(answered, V > T) =
  P(wait) P(x + 1, y e^{-theta T}) / (rho P(x, y))``.
* ``service_level_offered(T)`` = P(answered within T) -- answered within ``T``
  over **offered** contacts; abandoned contacts count as failures, whenever
  they abandon.
* ``service_level_answered(T)`` = P(answered within T | answered) -- answered
  within ``T`` over **answered** contacts; abandoned contacts are left out.
* ``asa_s``: mean wait of **answered** contacts, ``E[V; answered] / P(answered)``
  (what an ACD reports as ASA).  With ``a_k = y**k / prod_{i<=k}(x+i)``
  normalised to weights ``w_k`` (an arrival that waits finds ``k`` others
  waiting with probability ``w_k``), ``E[V e^{-theta V} | wait] =
  sum_k w_k x / (x+k+1) * sum_{j<=k} 1 / (theta (x+j+1))``; the sum is
  truncated where its terms fall below ``e**-40`` of the largest.
* ``mean_wait_all_s`` = ``abandon_rate * patience_s``: mean time in queue over
  all offered contacts, answered or not (Little's law on the queue).
* ``occupancy = A (1 - abandon_rate) / n``: agents only handle what is answered.

Everything is evaluated in log space with the incomplete gamma function; no
factorials, no overflowing powers; cost per interval does not grow with ``n``
(except ASA, whose sum has about ``10 sqrt(max(x, y))`` terms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from .agent_search import smallest_satisfying
from .erlang_c import _log_erlang_b, validate_targets
from .errors import EngineInputError
from .gamma_poisson import log_poisson_density, log_regularized_lower_gamma

SERVICE_LEVEL_BASES = ("offered", "answered")


@dataclass(frozen=True)
class ErlangAMetrics:
    """Erlang A measures per interval (arrays of the broadcast shape)."""

    wait_probability: np.ndarray
    abandon_rate: np.ndarray
    service_level_offered: np.ndarray
    service_level_answered: np.ndarray
    asa_s: np.ndarray
    mean_wait_all_s: np.ndarray
    occupancy: np.ndarray


_CoreMeasures = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]
"""``(wait, abandon, level offered, level answered, occupancy, x, y)`` of :func:`_core`."""


def _core(
    n: np.ndarray,
    traffic: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    answer_time: np.ndarray,
) -> _CoreMeasures:
    """Measures for ``n >= 1`` and ``traffic > 0`` (1-D arrays), without ASA."""
    x = n * patience / aht
    y = traffic * patience / aht
    log_b, log_1mb = _log_erlang_b(n, traffic)
    log_p = log_regularized_lower_gamma(x, y)
    log_big_a = log_p - log_poisson_density(x, y)  # log of GMR's A(x, y) = P(x, y) / f(x; y)
    z = log_b + log_big_a - log_1mb
    wait = special.expit(z)
    no_wait = special.expit(-z)
    served_given_wait = (x / y) * -np.expm1(-log_big_a)
    abandon_given_wait = np.clip(1.0 - served_given_wait, 0.0, 1.0)
    abandon = wait * abandon_given_wait
    q = np.exp(-answer_time / patience)
    log_late_ratio = log_regularized_lower_gamma(x + 1.0, y * q) - log_p
    late_given_wait = (x / y) * np.exp(log_late_ratio)
    within_given_wait = np.clip(served_given_wait - late_given_wait, 0.0, 1.0)
    level_offered = no_wait + wait * within_given_wait
    answered = 1.0 - abandon
    level_answered = np.minimum(level_offered / answered, 1.0)
    occ = np.minimum(traffic * answered / n, 1.0)
    return wait, abandon, level_offered, level_answered, occ, x, y


def _asa_given_wait_s(x: np.ndarray, y: np.ndarray, patience: np.ndarray) -> np.ndarray:
    """``E[V e^{-theta V} | wait]`` in seconds, by the truncated series (one interval at a time)."""
    out = np.empty(x.shape)
    for i in range(x.shape[0]):
        xi, yi = float(x[i]), float(y[i])
        peak = max(0, int(np.ceil(yi - xi)))
        span = int(np.ceil(10.0 * np.sqrt(max(xi, yi) + 1.0))) + 20
        k = np.arange(peak + span + 1, dtype=float)
        log_terms = np.concatenate(([0.0], np.cumsum(np.log(yi / (xi + k[1:])))))
        weights = np.exp(log_terms - log_terms.max())
        harmonic = np.cumsum(1.0 / (xi + k + 1.0))
        value = xi / (xi + k + 1.0) * harmonic
        out[i] = patience[i] * float(np.dot(weights, value) / weights.sum())
    return out


def _broadcast(*values: npt.ArrayLike) -> list[np.ndarray]:
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return [np.array(a, dtype=float) for a in arrays]


def _check_inputs(traffic: np.ndarray, aht: np.ndarray, patience: np.ndarray) -> None:
    if np.any(~np.isfinite(traffic)) or np.any(traffic < 0):
        raise EngineInputError("traffic must be finite and >= 0 Erlangs")
    if np.any(~(aht > 0)):
        raise EngineInputError("AHT must be > 0 seconds")
    if np.any(~(patience > 0)) or np.any(~np.isfinite(patience)):
        raise EngineInputError(
            "mean patience must be > 0 seconds (and finite; use Erlang C for none)"
        )


def erlang_a_metrics(
    agents: npt.ArrayLike,
    traffic_erlangs: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    patience_s: npt.ArrayLike,
    answer_time_target_s: npt.ArrayLike = 0.0,
) -> ErlangAMetrics:
    """All Erlang A measures for the given agents (arrays broadcast; see the module docstring)."""
    n, a, aht, pat, t = _broadcast(agents, traffic_erlangs, aht_s, patience_s, answer_time_target_s)
    shape = n.shape
    n, a, aht, pat, t = (v.ravel() for v in (n, a, aht, pat, t))
    _check_inputs(a, aht, pat)
    if np.any(n < 0) or np.any(n != np.floor(n)):
        raise EngineInputError("agents must be whole numbers >= 0")
    size = n.shape[0]
    wait = np.zeros(size)
    abandon = np.zeros(size)
    level_offered = np.ones(size)
    level_answered = np.ones(size)
    asa = np.zeros(size)
    occ = np.zeros(size)
    nobody = (n == 0) & (a > 0)
    wait[nobody] = 1.0
    abandon[nobody] = 1.0
    level_offered[nobody] = 0.0
    level_answered[nobody] = 0.0  # nothing is answered; reported as 0, not undefined
    asa[nobody] = np.inf
    live = np.nonzero((n > 0) & (a > 0))[0]
    if live.size:
        w, ab, lo, la, oc, x, y = _core(n[live], a[live], aht[live], pat[live], t[live])
        wait[live], abandon[live], level_offered[live], level_answered[live], occ[live] = (
            w,
            ab,
            lo,
            la,
            oc,
        )
        asa[live] = w * _asa_given_wait_s(x, y, pat[live]) / (1.0 - ab)
    return ErlangAMetrics(
        wait_probability=wait.reshape(shape),
        abandon_rate=abandon.reshape(shape),
        service_level_offered=level_offered.reshape(shape),
        service_level_answered=level_answered.reshape(shape),
        asa_s=asa.reshape(shape),
        mean_wait_all_s=(abandon * pat).reshape(shape),
        occupancy=occ.reshape(shape),
    )


def erlang_a_required_agents(
    traffic_erlangs: npt.ArrayLike,
    aht_s: npt.ArrayLike,
    patience_s: npt.ArrayLike,
    *,
    service_level_target: float | None = None,
    answer_time_target_s: float | None = None,
    service_level_basis: str = "offered",
    asa_target_s: float | None = None,
    max_occupancy: float | None = None,
    max_abandon_rate: float | None = None,
) -> np.ndarray:
    """Fewest agents (before shrinkage) meeting every given target under Erlang A.

    ``service_level_basis`` is ``"offered"`` (answered within T over offered) or
    ``"answered"`` (answered within T over answered).  ``asa_target_s`` bounds
    the mean wait of answered contacts; ``max_abandon_rate`` the share of offered
    contacts that abandon; ``max_occupancy`` the share of agent time busy.  The
    search starts at one agent, so it finds staffing below the offered load
    when abandonment allows it.  At least one agent is required for any traffic.
    Exact: ``n`` meets every target and ``n - 1`` misses one.
    """
    validate_targets(
        service_level_target=service_level_target,
        answer_time_target_s=answer_time_target_s,
        asa_target_s=asa_target_s,
        max_occupancy=max_occupancy,
    )
    if service_level_basis not in SERVICE_LEVEL_BASES:
        raise EngineInputError(
            f"service level basis must be one of {SERVICE_LEVEL_BASES}, got {service_level_basis!r}"
        )
    if max_abandon_rate is not None and not 0.0 < max_abandon_rate < 1.0:
        raise EngineInputError(
            f"max abandon rate must be between 0 and 1 (exclusive), got {max_abandon_rate}"
        )
    a, aht, pat = _broadcast(traffic_erlangs, aht_s, patience_s)
    shape = a.shape
    a, aht, pat = a.ravel(), aht.ravel(), pat.ravel()
    _check_inputs(a, aht, pat)
    result = np.zeros(a.shape, dtype=np.int64)
    live = np.nonzero(a > 0)[0]
    if live.size == 0:
        return result.reshape(shape)
    a, aht, pat = a[live], aht[live], pat[live]
    answer_time = 0.0 if answer_time_target_s is None else float(answer_time_target_s)
    guess = np.maximum(np.ceil(a).astype(np.int64), 1)
    lower = np.ones(a.shape, dtype=np.int64)

    def margin(n_real: np.ndarray) -> np.ndarray:
        """Smallest slack over the cheap targets, on the continuous extension in ``n``."""
        _w, abandon, lvl_off, lvl_ans, occ, _x, _y = _core(
            n_real, a, aht, pat, np.full(a.shape, answer_time)
        )
        slack = np.full(a.shape, np.inf)
        if service_level_target is not None:
            slack = np.minimum(
                slack,
                (lvl_off if service_level_basis == "offered" else lvl_ans) - service_level_target,
            )
        if max_abandon_rate is not None:
            slack = np.minimum(slack, max_abandon_rate - abandon)
        if max_occupancy is not None:
            slack = np.minimum(slack, max_occupancy - occ)
        return slack

    if (
        service_level_target is not None
        or max_abandon_rate is not None
        or max_occupancy is not None
    ):
        # false position (Illinois) on the smooth continuous extension, kept inside a
        # bracket, puts the guess within an agent of the answer, so the exact search is short
        guess = np.maximum(np.ceil(_continuous_root(margin, a)).astype(np.int64), 1)

    def meets(n: np.ndarray, index: np.ndarray) -> np.ndarray:
        ai, hi_, pi = a[index], aht[index], pat[index]
        nf = n.astype(float)
        wait, abandon, lvl_off, lvl_ans, occ, x, y = _core(
            nf, ai, hi_, pi, np.full(nf.shape, answer_time)
        )
        ok = np.ones(n.shape, dtype=bool)
        if service_level_target is not None:
            level = lvl_off if service_level_basis == "offered" else lvl_ans
            ok &= level >= service_level_target
        if max_abandon_rate is not None:
            ok &= abandon <= max_abandon_rate
        if max_occupancy is not None:
            ok &= occ <= max_occupancy
        if asa_target_s is not None and np.any(ok):
            check = np.nonzero(ok)[0]
            asa = (
                wait[check]
                * _asa_given_wait_s(x[check], y[check], pi[check])
                / (1.0 - abandon[check])
            )
            ok[check] = asa <= asa_target_s
        return ok

    result[live] = smallest_satisfying(meets, lower, np.maximum(guess, lower))
    return result.reshape(shape)


def _continuous_root(margin: Callable[[np.ndarray], np.ndarray], traffic: np.ndarray) -> np.ndarray:
    """Where ``margin`` (increasing in agents) crosses 0, to within about half an agent.

    Starts from the bracket ``[1, A]``, gallops up while ``A`` still misses, then
    takes Illinois false-position steps (the end kept twice has its value halved,
    so both ends move and convergence stays superlinear).
    """
    lo = np.ones(traffic.shape)
    f_lo = margin(lo)
    hi = np.maximum(traffic, 1.0)
    f_hi = margin(hi)
    for _ in range(60):  # gallop up while the top of the bracket still misses
        short = f_hi < 0
        if not short.any():
            break
        lo, f_lo = np.where(short, hi, lo), np.where(short, f_hi, f_lo)
        hi = np.where(short, hi + 2.0 * np.sqrt(hi) + 1.0, hi)
        f_hi = np.where(short, margin(hi), f_hi)
    met_at_one = f_lo >= 0
    kept = np.zeros(traffic.shape, dtype=np.int8)  # -1: low end kept last time, +1: high end
    for _ in range(30):
        if np.all(met_at_one | (hi - lo < 0.5)):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            probe = hi - f_hi * (hi - lo) / (f_hi - f_lo)
        probe = np.where(np.isfinite(probe) & (probe > lo) & (probe < hi), probe, 0.5 * (lo + hi))
        f_probe = margin(probe)
        up = f_probe >= 0  # the probe meets: it is the new high end
        f_lo = np.where(up & (kept == -1), 0.5 * f_lo, f_lo)
        f_hi = np.where(~up & (kept == 1), 0.5 * f_hi, f_hi)
        hi, f_hi = np.where(up, probe, hi), np.where(up, f_probe, f_hi)
        lo, f_lo = np.where(up, lo, probe), np.where(up, f_lo, f_probe)
        kept = np.where(up, -1, 1).astype(np.int8)
    return np.where(met_at_one, 1.0, hi)
