"""The exact formulas against discrete-event simulation (SimPy), on small floors.

Seeds are fixed, so these are deterministic; each check asks that the exact
value lie inside the simulation's 99% confidence interval (independent
replications, Student t), which a wrong formula would leave.
"""

from __future__ import annotations

import pytest

from zhiren.workforce.engine.chat_concurrency import chat_metrics
from zhiren.workforce.engine.erlang_a import erlang_a_metrics
from zhiren.workforce.engine.erlang_c import (
    erlang_c_asa_s,
    erlang_c_service_level,
    erlang_c_wait_probability,
    occupancy,
)
from zhiren.workforce.engine.errors import EngineInputError
from zhiren.workforce.engine.simulation import simulate_chat, simulate_voice


def _inside(estimate, exact):
    assert estimate.contains(exact), (
        f"exact {exact:.5f} outside {estimate.mean:.5f} ± {estimate.half_width:.5f}"
    )


@pytest.mark.parametrize(("agents", "traffic", "answer_time"), [(4, 3.0, 20.0), (2, 1.2, 30.0)])
def test_erlang_c_against_simulation(agents, traffic, answer_time):
    aht = 300.0
    result = simulate_voice(
        agents,
        traffic / aht,
        aht,
        answer_time_target_s=answer_time,
        window_s=300_000.0,
        replications=20,
        seed=11,
        confidence=0.99,
    )
    _inside(
        result["service_level_offered"],
        float(erlang_c_service_level(agents, traffic, aht, answer_time)),
    )
    _inside(result["wait_probability"], float(erlang_c_wait_probability(agents, traffic)))
    _inside(result["asa_s"], float(erlang_c_asa_s(agents, traffic, aht)))
    _inside(result["occupancy"], float(occupancy(agents, traffic)))
    assert result["abandon_rate"].mean == 0.0


@pytest.mark.parametrize(
    ("agents", "traffic", "patience", "answer_time"),
    [(3, 3.0, 120.0, 20.0), (5, 6.5, 60.0, 15.0)],  # the second runs above its Erlangs
)
def test_erlang_a_against_simulation(agents, traffic, patience, answer_time):
    aht = 300.0
    exact = erlang_a_metrics(agents, traffic, aht, patience, answer_time)
    result = simulate_voice(
        agents,
        traffic / aht,
        aht,
        answer_time_target_s=answer_time,
        patience_s=patience,
        window_s=300_000.0,
        replications=20,
        seed=5,
        confidence=0.99,
    )
    _inside(result["service_level_offered"], float(exact.service_level_offered))
    _inside(result["service_level_answered"], float(exact.service_level_answered))
    _inside(result["abandon_rate"], float(exact.abandon_rate))
    _inside(result["wait_probability"], float(exact.wait_probability))
    _inside(result["asa_s"], float(exact.asa_s))
    _inside(result["occupancy"], float(exact.occupancy))


@pytest.mark.slow
def test_erlang_a_larger_floor_against_simulation():
    agents, traffic, aht, patience = 20, 21.0, 240.0, 90.0
    exact = erlang_a_metrics(agents, traffic, aht, patience, 20.0)
    result = simulate_voice(
        agents,
        traffic / aht,
        aht,
        answer_time_target_s=20.0,
        patience_s=patience,
        window_s=150_000.0,
        replications=20,
        seed=3,
        confidence=0.99,
    )
    _inside(result["service_level_offered"], float(exact.service_level_offered))
    _inside(result["abandon_rate"], float(exact.abandon_rate))


@pytest.mark.parametrize(
    ("agents", "chats_per_hour", "aht"),
    [
        (4, 85.0, [300.0, 360.0, 420.0]),
        (6, 120.0, [240.0, 300.0]),
        (3, 72.0, [300.0, 330.0, 390.0, 480.0]),
    ],
)
def test_chat_model_within_three_points_of_simulation(agents, chats_per_hour, aht):
    exact = chat_metrics(agents, chats_per_hour, 3600.0, aht, 30.0)
    assert 0.3 < float(exact.service_level[0]) < 0.97  # a case where the answer is not trivial
    result = simulate_chat(
        agents,
        chats_per_hour / 3600.0,
        aht,
        answer_time_target_s=30.0,
        window_s=800_000.0,
        replications=10,
        seed=2,
    )
    assert abs(result["service_level_offered"].mean - float(exact.service_level[0])) <= 0.03
    assert abs(result["occupancy"].mean - float(exact.occupancy[0])) <= 0.03


def test_simulation_rejects_bad_input():
    with pytest.raises(EngineInputError):
        simulate_voice(0, 0.01, 300.0, answer_time_target_s=20.0)
    with pytest.raises(EngineInputError):
        simulate_voice(2, 0.01, 300.0, answer_time_target_s=20.0, replications=1)
    with pytest.raises(EngineInputError):
        simulate_chat(2, 0.01, [300.0, 0.0], answer_time_target_s=20.0)
