"""Erlang A: exact measures against an independent birth-death computation, staffing minimality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiren.workforce.engine.erlang_a import erlang_a_metrics, erlang_a_required_agents
from zhiren.workforce.engine.erlang_c import (
    erlang_c_asa_s,
    erlang_c_service_level,
    erlang_c_wait_probability,
)
from zhiren.workforce.engine.errors import EngineInputError

from .birth_death_reference import erlang_a_reference

CASES = [
    # agents, traffic (Erlangs), aht, patience, answer time
    (1, 0.5, 300.0, 60.0, 20.0),
    (3, 2.5, 180.0, 120.0, 20.0),
    (5, 6.0, 300.0, 90.0, 30.0),  # fewer agents than Erlangs
    (10, 12.0, 240.0, 300.0, 20.0),
    (20, 15.0, 200.0, 1000.0, 15.0),
    (8, 3.0, 300.0, 20.0, 10.0),
    (30, 45.0, 300.0, 45.0, 20.0),  # heavily overloaded
    (12, 9.0, 300.0, 600.0, 0.0),
]


@pytest.mark.parametrize(("agents", "traffic", "aht", "patience", "answer_time"), CASES)
def test_measures_match_birth_death_reference(agents, traffic, aht, patience, answer_time):
    expected = erlang_a_reference(agents, traffic, aht, patience, answer_time)
    got = erlang_a_metrics(agents, traffic, aht, patience, answer_time)
    for name, value in expected.items():
        assert float(getattr(got, name)) == pytest.approx(value, rel=1e-8, abs=1e-12), name


def test_long_patience_tends_to_erlang_c():
    got = erlang_a_metrics(12, 10.0, 300.0, 1e9, 20.0)
    assert float(got.wait_probability) == pytest.approx(
        float(erlang_c_wait_probability(12, 10.0)), rel=1e-5
    )
    assert float(got.service_level_offered) == pytest.approx(
        float(erlang_c_service_level(12, 10.0, 300, 20)), rel=1e-5
    )
    assert float(got.asa_s) == pytest.approx(float(erlang_c_asa_s(12, 10.0, 300)), rel=1e-4)
    assert float(got.abandon_rate) < 1e-5


def test_definitions_relate_as_documented():
    got = erlang_a_metrics(np.arange(1, 40), 25.0, 300.0, 120.0, 20.0)
    # answered within T over answered >= over offered; equal only without abandonment
    assert np.all(got.service_level_answered >= got.service_level_offered)
    assert np.allclose(
        got.service_level_answered * (1 - got.abandon_rate), got.service_level_offered
    )
    assert np.allclose(got.mean_wait_all_s, got.abandon_rate * 120.0)
    assert np.allclose(got.occupancy, 25.0 * (1 - got.abandon_rate) / np.arange(1, 40))
    for series in (got.service_level_offered, got.service_level_answered):
        assert np.all(np.diff(series) >= -1e-15)
    assert np.all(np.diff(got.abandon_rate) <= 1e-15)
    assert np.all(np.diff(got.asa_s) <= 1e-12)


def test_large_load_is_finite_and_sane():
    got = erlang_a_metrics([900, 1000, 1100], 1000.0, 300.0, 120.0, 20.0)
    for name in ("wait_probability", "abandon_rate", "service_level_offered", "occupancy"):
        values = getattr(got, name)
        assert np.all(np.isfinite(values)) and np.all((values >= 0) & (values <= 1)), name
    assert got.abandon_rate[0] > got.abandon_rate[1] > got.abandon_rate[2]


def _meets(
    n, traffic, aht, patience, *, sl=None, t=0.0, basis="offered", asa=None, occ=None, abandon=None
):
    m = erlang_a_metrics(n, traffic, aht, patience, t)
    ok = True
    if sl is not None:
        level = m.service_level_offered if basis == "offered" else m.service_level_answered
        ok &= bool(level >= sl)
    if asa is not None:
        ok &= bool(m.asa_s <= asa)
    if occ is not None:
        ok &= bool(m.occupancy <= occ)
    if abandon is not None:
        ok &= bool(m.abandon_rate <= abandon)
    return ok


TARGETS = [
    {"sl": 0.8, "t": 20.0},
    {"sl": 0.8, "t": 20.0, "basis": "answered"},
    {"sl": 0.5, "t": 60.0},
    {"asa": 20.0},
    {"abandon": 0.05},
    {"occ": 0.85},
    {"sl": 0.7, "t": 30.0, "abandon": 0.03, "occ": 0.9, "asa": 25.0},
]


@pytest.mark.parametrize("target", TARGETS)
def test_required_agents_is_the_true_minimum(target):
    traffic = np.array([0.05, 0.9, 3.0, 8.5, 20.0, 47.0, 120.0])
    patience = np.array([60.0, 120.0, 30.0, 200.0, 90.0, 45.0, 180.0])
    got = erlang_a_required_agents(
        traffic,
        300.0,
        patience,
        service_level_target=target.get("sl"),
        answer_time_target_s=target.get("t"),
        service_level_basis=target.get("basis", "offered"),
        asa_target_s=target.get("asa"),
        max_occupancy=target.get("occ"),
        max_abandon_rate=target.get("abandon"),
    )
    for i, (a, p) in enumerate(zip(traffic, patience, strict=True)):
        n = 1
        while not _meets(n, a, 300.0, p, **target):
            n += 1
        assert got[i] == n, (a, p, target)


def test_abandonment_allows_fewer_agents_than_erlangs():
    n = int(
        erlang_a_required_agents(
            1000.0, 300.0, 120.0, service_level_target=0.8, answer_time_target_s=20.0
        )
    )
    assert n < 1000
    assert _meets(n, 1000.0, 300.0, 120.0, sl=0.8, t=20.0)
    assert not _meets(n - 1, 1000.0, 300.0, 120.0, sl=0.8, t=20.0)


def test_zero_traffic_needs_nobody():
    got = erlang_a_required_agents([0.0, 2.0], 300.0, 60.0, max_abandon_rate=0.1)
    assert got[0] == 0
    assert got[1] == erlang_a_required_agents(2.0, 300.0, 60.0, max_abandon_rate=0.1) > 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"service_level_target": 0.8, "answer_time_target_s": 20, "service_level_basis": "handled"},
        {"max_abandon_rate": 0.0},
        {"max_abandon_rate": 1.0},
    ],
)
def test_bad_targets_are_rejected(kwargs):
    with pytest.raises(EngineInputError):
        erlang_a_required_agents(10.0, 300.0, 60.0, **kwargs)


def test_bad_patience_is_rejected():
    with pytest.raises(EngineInputError):
        erlang_a_metrics(3, 2.0, 300.0, 0.0)
    with pytest.raises(EngineInputError):
        erlang_a_required_agents(2.0, 300.0, np.inf, max_abandon_rate=0.1)


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.floats(min_value=0.01, max_value=400.0),
    patience=st.floats(min_value=5.0, max_value=3000.0),
    level=st.floats(min_value=0.05, max_value=0.95),
    answer_time=st.floats(min_value=0.0, max_value=90.0),
    basis=st.sampled_from(["offered", "answered"]),
)
def test_erlang_a_minimal_for_any_load(traffic, patience, level, answer_time, basis):
    n = int(
        erlang_a_required_agents(
            traffic,
            300.0,
            patience,
            service_level_target=level,
            answer_time_target_s=answer_time,
            service_level_basis=basis,
        )
    )
    assert _meets(n, traffic, 300.0, patience, sl=level, t=answer_time, basis=basis)
    if n > 1:
        assert not _meets(n - 1, traffic, 300.0, patience, sl=level, t=answer_time, basis=basis)
