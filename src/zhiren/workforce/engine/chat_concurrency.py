"""Chat staffing: agents who carry several conversations at once.

Model (an exact birth-death chain; the assumptions are the model):

* Chats arrive as a Poisson process of rate ``lambda`` (``volume / interval``).
* ``n`` agents each carry at most ``k`` chats (``concurrency``).  A new chat goes
  to an agent with a free slot; chats are spread evenly, so with ``j <= n k``
  chats in service, ``j mod n`` agents carry ``q + 1`` chats and the others
  ``q = j // n`` (routing to the least-loaded agent keeps this balance on
  arrival; the model assumes it also holds after completions).
* ``aht_by_concurrency_s[c - 1]`` is the mean duration of a chat while its agent
  carries ``c`` chats (handle time grows with concurrency).  An agent with ``c``
  chats finishes one at rate ``c / aht(c)``; durations are exponential, so the
  rate simply changes when the agent's load changes (memoryless).
* When all ``n k`` slots are busy, chats wait in one FIFO queue; nobody
  abandons.  The queue then drains at the full rate ``r_max = n k / aht(k)``; it
  is stable only when ``lambda < r_max``.

Measures (``N`` = chats in the system, by PASTA what an arrival sees):

* ``wait_probability`` = P(N >= n k): the chat finds every slot taken.
* ``service_level`` (within ``T``) = ``1 - P(wait) exp(-(r_max - lambda) T)``:
  the share of chats that get an agent within ``T`` seconds (exact here, since
  the queue behind full slots is an M/M/1 queue with rate ``r_max``).
* ``asa_s`` = ``P(wait) / (r_max - lambda)``: mean wait over all chats.
* ``occupancy`` = ``E[min(N, n k)] / (n k)``: the share of chat slots in use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .agent_search import smallest_satisfying
from .erlang_c import validate_targets
from .errors import EngineInputError


@dataclass(frozen=True)
class ChatMetrics:
    """Chat measures per interval (1-D arrays)."""

    wait_probability: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray


def check_aht_by_concurrency(aht_by_concurrency_s: npt.ArrayLike) -> np.ndarray:
    """Validate the per-concurrency AHT list (seconds, one per level 1..k)."""
    aht = np.asarray(aht_by_concurrency_s, dtype=float).ravel()
    if aht.size == 0:
        raise EngineInputError("the AHT-by-concurrency list is empty")
    if np.any(~np.isfinite(aht)) or np.any(aht <= 0):
        raise EngineInputError("every AHT by concurrency must be a positive number of seconds")
    return aht


def _completion_rates(agents: int, aht: np.ndarray) -> np.ndarray:
    """Total completion rate ``r(j)`` for ``j = 1..n k`` chats in service, evenly spread."""
    k = aht.size
    per_agent = np.concatenate(([0.0], np.arange(1, k + 1) / aht))  # c / aht(c), c = 0..k
    j = np.arange(1, agents * k + 1)
    q, m = np.divmod(j, agents)
    upper = np.minimum(q + 1, k)
    rates: np.ndarray = (agents - m) * per_agent[q] + m * per_agent[upper]
    return rates


def _one_interval(agents: int, rate: float, aht: np.ndarray, answer_time_s: float) -> tuple[float, float, float, float]:
    """(P(wait), service level, ASA, occupancy) for one interval."""
    k = aht.size
    if rate <= 0:
        return 0.0, 1.0, 0.0, 0.0
    full_rate = float(agents * k / aht[-1])
    if agents == 0 or rate >= full_rate:
        return 1.0, 0.0, np.inf, 1.0
    rates = _completion_rates(agents, aht)
    log_p = np.concatenate(([0.0], np.cumsum(np.log(rate / rates))))  # states 0..n k
    top = log_p.max()
    p = np.exp(log_p - top)
    rho = rate / full_rate
    mass_full = p[-1] / (1.0 - rho)  # states >= n k (geometric tail)
    total = p[:-1].sum() + mass_full
    wait = mass_full / total
    level = 1.0 - wait * np.exp(-(full_rate - rate) * answer_time_s)
    asa = wait / (full_rate - rate)
    slots = agents * k
    busy = (np.dot(np.arange(slots), p[:-1]) + slots * mass_full) / total
    return float(wait), float(level), float(asa), float(busy / slots)


def chat_metrics(
    agents: npt.ArrayLike,
    volume: npt.ArrayLike,
    interval_s: float,
    aht_by_concurrency_s: npt.ArrayLike,
    answer_time_target_s: float = 0.0,
) -> ChatMetrics:
    """Measures for ``agents`` per interval; ``volume`` chats arrive per ``interval_s`` seconds.

    ``aht_by_concurrency_s`` is one list for all intervals, or a 2-D array with one
    row per interval.
    """
    n = np.atleast_1d(np.asarray(agents, dtype=np.int64))
    vol = np.atleast_1d(np.asarray(volume, dtype=float))
    n, vol = np.broadcast_arrays(n, vol)
    ahts = _aht_rows(aht_by_concurrency_s, vol.size)
    out = np.array(
        [
            _one_interval(int(n[i]), vol[i] / interval_s, ahts[i], float(answer_time_target_s))
            for i in range(vol.size)
        ]
    ).reshape(vol.size, 4)
    return ChatMetrics(out[:, 0], out[:, 1], out[:, 2], out[:, 3])


def _aht_rows(aht_by_concurrency_s: npt.ArrayLike, count: int) -> np.ndarray:
    table = np.asarray(aht_by_concurrency_s, dtype=float)
    if table.ndim == 1:
        check_aht_by_concurrency(table)
        return np.broadcast_to(table, (count, table.size))
    if table.shape[0] != count:
        raise EngineInputError("one AHT-by-concurrency row is needed per interval")
    for row in table:
        check_aht_by_concurrency(row)
    return table


def chat_required_agents(
    volume: npt.ArrayLike,
    interval_s: float,
    aht_by_concurrency_s: npt.ArrayLike,
    *,
    service_level_target: float | None = None,
    answer_time_target_s: float | None = None,
    asa_target_s: float | None = None,
    max_occupancy: float | None = None,
) -> np.ndarray:
    """Fewest chat agents (before shrinkage) meeting every given target, per interval.

    ``max_occupancy`` caps the share of chat *slots* in use.  A stable queue
    (``lambda < n k / aht(k)``) is always required.  Exact: ``n`` meets every
    target, ``n - 1`` misses one.
    """
    validate_targets(
        service_level_target=service_level_target,
        answer_time_target_s=answer_time_target_s,
        asa_target_s=asa_target_s,
        max_occupancy=max_occupancy,
    )
    if not interval_s > 0:
        raise EngineInputError("interval length must be > 0 seconds")
    vol = np.atleast_1d(np.asarray(volume, dtype=float))
    if np.any(~np.isfinite(vol)) or np.any(vol < 0):
        raise EngineInputError("volume must be finite and >= 0")
    ahts = _aht_rows(aht_by_concurrency_s, vol.size)
    k = ahts.shape[1]
    rate = vol / interval_s
    result = np.zeros(vol.size, dtype=np.int64)
    live = np.nonzero(rate > 0)[0]
    if live.size == 0:
        return result
    # stability: n k / aht(k) > lambda
    lower = np.floor(rate[live] * ahts[live, -1] / k).astype(np.int64) + 1
    answer_time = 0.0 if answer_time_target_s is None else float(answer_time_target_s)

    def meets(n: np.ndarray, index: np.ndarray) -> np.ndarray:
        ok = np.empty(n.size, dtype=bool)
        for pos, (agents, i) in enumerate(zip(n, index, strict=True)):
            row = live[i]
            wait, level, asa, occ = _one_interval(int(agents), rate[row], ahts[row], answer_time)
            good = wait < 1.0
            if service_level_target is not None:
                good = good and level >= service_level_target
            if asa_target_s is not None:
                good = good and asa <= asa_target_s
            if max_occupancy is not None:
                good = good and occ <= max_occupancy
            ok[pos] = good
        return ok

    # guess: the slots as an Erlang-C-like pool run a little hotter than the stability floor
    guess = lower + np.ceil(np.sqrt(lower)).astype(np.int64)
    result[live] = smallest_satisfying(meets, lower, guess)
    return result
