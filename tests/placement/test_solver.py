"""The assignment solver against brute force on small instances; capacities; forbidden pairs."""

from __future__ import annotations

import itertools
import random

import pytest

from zhiren.placement import solver


def brute_force(fit, capacity) -> float:
    """Best total over every way to give each agent a position or none."""
    n, m = len(fit), len(capacity)
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = [0] * m
        total = 0.0
        ok = True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if fit[i][j] is None or fit[i][j] <= 0:
                ok = False
                break
            used[j] += 1
            total += round(fit[i][j] * solver.SCALE) / solver.SCALE
        if ok and all(u <= c for u, c in zip(used, capacity, strict=True)):
            best = max(best, total)
    return best


def random_instance(rng, n, m):
    fit = [[None if rng.random() < 0.2 else round(rng.uniform(0, 100), 1) for _ in range(m)] for _ in range(n)]
    capacity = [rng.randint(0, 3) for _ in range(m)]
    return fit, capacity


def valid(result, fit, capacity) -> bool:
    used = [0] * len(capacity)
    for i, j in result.seats.items():
        assert fit[i][j] is not None
        used[j] += 1
    return all(u <= c for u, c in zip(used, capacity, strict=True))


@pytest.mark.parametrize("seed", range(40))
def test_min_cost_flow_matches_brute_force(seed):
    rng = random.Random(seed)
    fit, capacity = random_instance(rng, rng.randint(1, 6), rng.randint(1, 3))
    result = solver.solve(fit, capacity)
    assert result.proven_optimal and result.gap == 0
    assert valid(result, fit, capacity)
    assert result.total == pytest.approx(brute_force(fit, capacity), abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_cp_sat_agrees_and_proves_it(seed):
    rng = random.Random(1000 + seed)
    fit, capacity = random_instance(rng, 6, 3)
    result = solver.solve_cp_sat(fit, capacity, workers=1)
    assert result.proven_optimal and result.gap == pytest.approx(0)
    assert valid(result, fit, capacity)
    assert result.total == pytest.approx(brute_force(fit, capacity), abs=1e-6)


def test_maximum_weight_not_maximum_size():
    # A alone in r1 (10) beats A→r2 + B→r1 (1 + 1): the flow must not just fill seats.
    fit = [[10, 1], [1, None]]
    result = solver.solve(fit, [1, 1])
    assert result.seats == {0: 0} and result.total == 10


def test_capacities_are_respected():
    fit = [[90, 10]] * 5
    result = solver.solve(fit, [2, 1])
    assert sorted(result.seats.values()).count(0) == 2
    assert sorted(result.seats.values()).count(1) == 1
    assert len(result.seats) == 3


def test_forbidden_pairs_are_never_used():
    fit = [[None, 50], [80, None]]
    assert solver.solve(fit, [5, 5]).seats == {0: 1, 1: 0}


def test_greedy_can_be_worse():
    fit = [[100, 90], [95, 10]]
    greedy = solver.greedy(fit, [1, 1])
    best = solver.solve(fit, [1, 1])
    assert greedy.total == 110 and best.total == 185


def test_empty_and_bad_input():
    assert solver.solve([], [1]).total == 0
    assert solver.solve([[None]], [0]).seats == {}
    with pytest.raises(ValueError):
        solver.solve([[1, 2]], [1])
    with pytest.raises(ValueError):
        solver.solve([[1]], [-1])
