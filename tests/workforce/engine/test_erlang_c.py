"""Erlang B/C: exactness against mpmath, true-minimum staffing, validation."""

from __future__ import annotations

import itertools

import mpmath as mp
import numpy as np
import pytest

from zhiren.workforce.engine.erlang_c import (
    agents_with_shrinkage,
    erlang_b,
    erlang_c_asa_s,
    erlang_c_required_agents,
    erlang_c_service_level,
    erlang_c_wait_probability,
    occupancy,
)
from zhiren.workforce.engine.errors import EngineInputError

mp.mp.dps = 60


def reference(agents: int, traffic: float, aht: float, answer_time: float):
    """(B, C, SL) with 60 significant digits, straight from the definitions."""
    a = mp.mpf(traffic)
    n = agents
    log_pmf = n * mp.log(a) - a - mp.loggamma(n + 1)
    cdf = mp.gammainc(n + 1, a, mp.inf, regularized=True)
    b = mp.e**log_pmf / cdf
    c = n * b / (n - a + a * b)
    sl = 1 - c * mp.e ** (-(n - a) * mp.mpf(answer_time) / aht)
    return b, c, sl


LOADS = [0.001, 0.02, 0.7, 3.3, 17.25, 99.9, 150.0, 1234.5, 9876.5, 123456.7, 1_000_000.0]


def _agent_counts(traffic: float) -> list[int]:
    root = np.sqrt(traffic)
    base = int(np.floor(traffic))
    picks = {
        base + 1,
        base + 2,
        int(traffic + root) + 1,
        int(traffic + 3 * root) + 1,
        int(traffic + 6 * root) + 2,
    }
    return sorted(picks)


@pytest.mark.parametrize("traffic", LOADS)
def test_wait_probability_and_service_level_match_high_precision(traffic):
    for n in _agent_counts(traffic):
        b_ref, c_ref, sl_ref = reference(n, traffic, 300.0, 20.0)
        if c_ref < mp.mpf("1e-280"):
            continue  # below double range; checked separately
        b = float(erlang_b(n, traffic))
        c = float(erlang_c_wait_probability(n, traffic))
        sl = float(erlang_c_service_level(n, traffic, 300.0, 20.0))
        assert abs(b / float(b_ref) - 1) <= 1e-10, (traffic, n)
        assert abs(c / float(c_ref) - 1) <= 1e-10, (traffic, n)
        assert abs(sl / float(sl_ref) - 1) <= 1e-10, (traffic, n)


def test_service_level_near_zero_keeps_relative_precision():
    # one agent above the load, a zero answer-time target: SL = 1 - C is tiny
    traffic, n = 999.9, 1000
    _, c_ref, sl_ref = reference(n, traffic, 300.0, 0.0)
    sl = float(erlang_c_service_level(n, traffic, 300.0, 0.0))
    assert float(sl_ref) < 0.05
    assert abs(sl / float(sl_ref) - 1) <= 1e-10


def test_tiny_probabilities_underflow_to_zero_not_nan():
    c = erlang_c_wait_probability(400, 0.001)
    assert c == 0.0
    assert erlang_c_service_level(400, 0.001, 300, 20) == 1.0


def test_vectorised_matches_scalar_calls():
    traffic = np.array([0.5, 12.0, 150.0, 1500.0])
    agents = np.array([2, 15, 165, 1530])
    vec = erlang_c_service_level(agents, traffic, 240.0, 15.0)
    one = [
        float(erlang_c_service_level(n, a, 240.0, 15.0))
        for n, a in zip(agents, traffic, strict=True)
    ]
    assert np.allclose(vec, one, rtol=0, atol=0)


def test_unstable_queue_and_no_traffic():
    assert erlang_c_wait_probability(10, 10.0) == 1.0
    assert erlang_c_service_level(10, 12.0, 300, 20) == 0.0
    assert np.isinf(erlang_c_asa_s(10, 10.0, 300))
    assert erlang_c_wait_probability(3, 0.0) == 0.0
    assert erlang_c_service_level(3, 0.0, 300, 20) == 1.0
    assert occupancy(0, 0.0) == 0.0


def test_asa_matches_definition():
    for traffic, n in [(2.5, 4), (150.0, 160), (1500.0, 1530)]:
        _, c_ref, _ = reference(n, traffic, 300.0, 0.0)
        expected = float(c_ref) * 300.0 / (n - traffic)
        assert abs(float(erlang_c_asa_s(n, traffic, 300.0)) / expected - 1) <= 1e-10


# ------------------------------------------------------------------ staffing


def _meets(n, traffic, aht, sl, t, asa, occ):
    if n <= traffic:
        return False
    ok = True
    if sl is not None:
        ok &= bool(erlang_c_service_level(n, traffic, aht, t) >= sl)
    if asa is not None:
        ok &= bool(erlang_c_asa_s(n, traffic, aht) <= asa)
    if occ is not None:
        ok &= traffic <= occ * n
    return ok


def _brute_force(traffic, aht, sl, t, asa, occ):
    n = 1
    while not _meets(n, traffic, aht, sl, t, asa, occ):
        n += 1
    return n


TARGET_SETS = [
    (0.8, 20.0, None, None),
    (0.9, 10.0, None, None),
    (0.5, 60.0, None, None),
    (0.95, 0.0, None, None),
    (None, None, 15.0, None),
    (None, None, 2.0, None),
    (None, None, None, 0.85),
    (0.8, 20.0, 30.0, 0.9),
    (0.7, 30.0, 5.0, 0.8),
]


@pytest.mark.parametrize(("sl", "t", "asa", "occ"), TARGET_SETS)
def test_required_agents_is_the_true_minimum(sl, t, asa, occ):
    traffic = np.array([0.001, 0.3, 1.0, 2.0, 4.7, 9.99, 10.0, 23.4, 57.0, 88.8, 150.0, 311.1])
    aht = np.array(
        [300.0, 180.0, 240.0, 300.0, 420.0, 300.0, 200.0, 600.0, 300.0, 60.0, 300.0, 250.0]
    )
    got = erlang_c_required_agents(
        traffic,
        aht,
        service_level_target=sl,
        answer_time_target_s=t,
        asa_target_s=asa,
        max_occupancy=occ,
    )
    for i, (a, h) in enumerate(zip(traffic, aht, strict=True)):
        assert got[i] == _brute_force(a, h, sl, t, asa, occ), (a, h)


@pytest.mark.parametrize("traffic", [150.0, 1500.0, 12_345.6, 1_000_000.0])
def test_required_agents_minimal_at_high_load(traffic):
    n = int(
        erlang_c_required_agents(
            traffic, 300.0, service_level_target=0.8, answer_time_target_s=20.0
        )
    )
    assert _meets(n, traffic, 300.0, 0.8, 20.0, None, None)
    assert not _meets(n - 1, traffic, 300.0, 0.8, 20.0, None, None)


def test_required_agents_over_a_week_shape():
    rng = np.random.default_rng(7)
    traffic = rng.uniform(0.0, 2000.0, 672)
    traffic[::50] = 0.0
    n = erlang_c_required_agents(
        traffic, 300.0, service_level_target=0.8, answer_time_target_s=20.0
    )
    live = traffic > 0
    assert np.all(n[~live] == 0)
    assert np.all(erlang_c_service_level(n[live], traffic[live], 300.0, 20.0) >= 0.8)
    assert np.all(erlang_c_service_level(n[live] - 1, traffic[live], 300.0, 20.0) < 0.8)


def test_occupancy_cap_exact_at_integer_boundary():
    # 8.5 / 0.85 = 10 exactly in decimal, but not in binary: must not give 11
    assert erlang_c_required_agents(8.5, 300.0, max_occupancy=0.85) == 10
    # and a stable queue is still required when the cap allows n == A
    assert erlang_c_required_agents(10.0, 300.0, max_occupancy=1.0) == 11


def test_shrinkage_rounds_up_without_float_noise():
    assert list(agents_with_shrinkage([8, 7, 0, 10], 0.2)) == [10, 9, 0, 13]
    assert list(agents_with_shrinkage([70, 1], [0.3, 0.0])) == [100, 1]
    with pytest.raises(EngineInputError):
        agents_with_shrinkage([5], 1.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"service_level_target": 0.8},
        {"service_level_target": 1.2, "answer_time_target_s": 20},
        {"service_level_target": 0.8, "answer_time_target_s": -1},
        {"asa_target_s": 0},
        {"max_occupancy": 1.5},
    ],
)
def test_bad_targets_are_rejected(kwargs):
    with pytest.raises(EngineInputError):
        erlang_c_required_agents(10.0, 300.0, **kwargs)


def test_bad_traffic_is_rejected():
    with pytest.raises(EngineInputError):
        erlang_c_required_agents([-1.0], 300.0, service_level_target=0.8, answer_time_target_s=20)
    with pytest.raises(EngineInputError):
        erlang_c_required_agents([np.nan], 300.0, service_level_target=0.8, answer_time_target_s=20)
    with pytest.raises(EngineInputError):
        erlang_c_required_agents([3.0], 0.0, service_level_target=0.8, answer_time_target_s=20)


def test_monotone_in_agents_across_grid():
    for traffic, aht in itertools.product([0.5, 7.0, 80.0, 900.0], [60.0, 300.0]):
        n = np.arange(int(traffic) + 1, int(traffic) + 60)
        sl = erlang_c_service_level(n, traffic, aht, 20.0)
        assert np.all(np.diff(sl) >= -4e-16)  # non-decreasing up to rounding next to 1.0


def test_minimum_just_above_a_fractional_load():
    # n - A = 0.25: the first stable count must be judged at n itself (found by Hypothesis)
    n = int(
        erlang_c_required_agents(21.75, 10.0, service_level_target=0.0625, answer_time_target_s=0.0)
    )
    assert n == _brute_force(21.75, 10.0, 0.0625, 0.0, None, None) == 23
