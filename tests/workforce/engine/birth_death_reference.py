"""Independent reference for Erlang A: a truncated birth-death chain plus a tagged-contact chain.

Deliberately naive (explicit state spaces, dense linear algebra) so that it
shares nothing with the incomplete-gamma formulas under test.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg


def erlang_a_reference(agents: int, traffic: float, aht: float, patience: float, answer_time: float):
    lam, mu, theta = traffic / aht, 1.0 / aht, 1.0 / patience
    n = agents
    # stationary law of the number in system, truncated far in the tail
    size = n + 4000
    log_pi = np.zeros(size)
    for j in range(1, size):
        death = min(j, n) * mu + max(j - n, 0) * theta
        log_pi[j] = log_pi[j - 1] + np.log(lam / death)
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()
    wait = pi[n:].sum()
    # tagged contact that finds k waiting ahead: states k..0 transient, then served / abandoned
    queue = np.arange(size - n)
    kmax = int(np.nonzero(pi[n:] > 1e-18 * pi[n:].max())[0].max()) + 1
    m = kmax + 1
    gen = np.zeros((m + 2, m + 2))  # index k = customers ahead; m = served; m + 1 = abandoned
    for k in range(m):
        advance = n * mu + k * theta
        if k == 0:
            gen[k, m] = n * mu
        else:
            gen[k, k - 1] = advance
        gen[k, m + 1] = theta
        gen[k, k] = -(advance + theta)
    probs = pi[n : n + m] / pi[n : n + m].sum()
    trans = linalg.expm(gen * answer_time)
    within_given_wait = float(probs @ trans[:m, m])
    # P(served) and E[wait; served] via the fundamental matrix of the transient part
    q = gen[:m, :m]
    to_served = np.zeros(m)
    to_served[0] = n * mu
    absorb_served = linalg.solve(-q, to_served)  # P(served | start k)
    # E[T 1{served}] = (-Q)^{-1} P(served | .)
    time_served = linalg.solve(-q, absorb_served)
    served_given_wait = float(probs @ absorb_served)
    abandon = wait * (1.0 - served_given_wait)
    level_offered = (1.0 - wait) + wait * within_given_wait
    answered = 1.0 - abandon
    asa = wait * float(probs @ time_served) / answered
    del queue
    return {
        "wait_probability": wait,
        "abandon_rate": abandon,
        "service_level_offered": level_offered,
        "service_level_answered": level_offered / answered,
        "asa_s": asa,
        "occupancy": traffic * answered / n,
    }
