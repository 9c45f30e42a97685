"""Log-space Poisson / gamma pieces against mpmath, including the far tails."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiren.workforce.engine.erlang_c import erlang_c_required_agents, erlang_c_service_level
from zhiren.workforce.engine.gamma_poisson import (
    log_lower_gamma_over_density,
    log_poisson_cdf,
    log_poisson_density,
)

mp.mp.dps = 50


@pytest.mark.parametrize(
    ("n", "m"),
    [
        (1, 0.001),
        (3, 0.5),
        (17, 17.3),
        (150, 150.0),
        (1400, 1500.0),
        (5, 1500.0),
        (2, 1e4),
        (1_000_100, 1e6),
        (900_000, 1e6),
    ],
)
def test_log_pmf_and_log_cdf(n, m):
    ref_pmf = n * mp.log(m) - m - mp.loggamma(n + 1)
    ref_cdf = mp.log(mp.gammainc(n + 1, m, mp.inf, regularized=True))
    got_pmf = float(log_poisson_density(np.array([n]), np.array([m]))[0])
    got_cdf = float(log_poisson_cdf(np.array([n]), np.array([m]))[0])
    scale = max(1.0, abs(float(ref_pmf)))
    assert abs(got_pmf - float(ref_pmf)) <= 1e-14 * scale
    assert abs(got_cdf - float(ref_cdf)) <= 1e-13 * max(1.0, abs(float(ref_cdf)))


@pytest.mark.parametrize(
    ("x", "y"), [(0.2, 0.0002), (3.5, 1.75), (100.0, 90.0), (1e4, 1.2e4), (1e6, 1e3), (1e6, 9e5)]
)
def test_garnett_a_function(x, y):
    ref = mp.log(mp.hyp1f1(1, x + 1, y, maxterms=10**7))
    got = float(log_lower_gamma_over_density(np.array([x]), np.array([y]))[0])
    assert abs(got - float(ref)) <= 1e-12 * max(1.0, abs(float(ref)))


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(min_value=0.001, max_value=5000.0),
    aht=st.floats(min_value=10.0, max_value=1800.0),
    level=st.floats(min_value=0.05, max_value=0.99),
    answer_time=st.floats(min_value=0.0, max_value=120.0),
)
def test_erlang_c_minimal_for_any_load(traffic, aht, level, answer_time):
    n = int(
        erlang_c_required_agents(
            traffic, aht, service_level_target=level, answer_time_target_s=answer_time
        )
    )
    assert n > traffic
    assert erlang_c_service_level(n, traffic, aht, answer_time) >= level
    if n - 1 > traffic:
        assert erlang_c_service_level(n - 1, traffic, aht, answer_time) < level
