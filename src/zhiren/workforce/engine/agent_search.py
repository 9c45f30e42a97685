"""Smallest agent count meeting a monotone target, for many intervals at once.

Every staffing target the models support (service level, ASA, abandonment,
occupancy) gets no worse when an agent is added, so for each interval the set of
acceptable agent counts is ``{n >= n*}``.  :func:`smallest_satisfying` finds
``n*`` exactly: it starts from a guess (square-root staffing, usually within
one or two of the answer), gallops away from it with doubling steps until the
answer is bracketed, then bisects.  Each step evaluates the model once, as a
NumPy call over all intervals still undecided.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Predicate = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``predicate(agents, index) -> bool array``: do ``agents`` meet the targets of intervals ``index``?"""

_MAX_STEPS = 200


def smallest_satisfying(predicate: Predicate, lower: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """For each interval, the smallest integer ``n >= lower`` with ``predicate(n)`` true.

    ``predicate`` must be monotone in ``n`` (false ... false, true ... true).
    ``lower`` counts as acceptable only if the predicate says so; ``lower - 1``
    is treated as failing.  Raises ``RuntimeError`` if some interval never becomes
    acceptable (an unreachable target), after about 2**60 agents.
    """
    lower = np.asarray(lower, dtype=np.int64)
    guess = np.maximum(np.asarray(guess, dtype=np.int64), lower)
    size = lower.shape[0]
    every = np.arange(size)
    ok = np.asarray(predicate(guess, every), dtype=bool)
    no_upper = np.iinfo(np.int64).max
    lo = np.where(ok, lower - 1, guess)  # largest count known (or taken) to fail
    hi = np.where(ok, guess, no_upper)  # smallest count known to succeed
    step = np.ones(size, dtype=np.int64)
    galloping_down = ok.copy()  # lo not yet established by a real probe
    for _ in range(_MAX_STEPS):
        active = np.nonzero(hi - lo > 1)[0]
        if active.size == 0:
            return hi
        a_lo, a_hi, a_step, a_down = lo[active], hi[active], step[active], galloping_down[active]
        probe = np.where(
            a_hi == no_upper,
            a_lo + a_step,
            np.where(a_down, np.maximum(a_hi - a_step, a_lo + 1), a_lo + (a_hi - a_lo) // 2),
        )
        passed = np.asarray(predicate(probe, active), dtype=bool)
        gallop_up = a_hi == no_upper
        hi[active] = np.where(passed, probe, a_hi)
        lo[active] = np.where(passed, a_lo, probe)
        step[active] = np.where((gallop_up & ~passed) | (a_down & passed), a_step * 2, a_step)
        galloping_down[active] = a_down & passed
    raise RuntimeError("staffing search did not converge: is a target unreachable?")
