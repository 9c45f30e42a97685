"""Chat concurrency model: reduces to Erlang C, matches a brute-force chain, minimal staffing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg

from zhiren.workforce.engine.chat_concurrency import chat_metrics, chat_required_agents
from zhiren.workforce.engine.erlang_c import (
    erlang_c_asa_s,
    erlang_c_required_agents,
    erlang_c_service_level,
)
from zhiren.workforce.engine.errors import EngineInputError


def _brute_force_chain(agents, rate, aht, answer_time, extra=600):
    """Generator matrix of the truncated chain solved by dense linear algebra."""
    k = len(aht)
    slots = agents * k

    def death(j):
        if j == 0:
            return 0.0
        if j >= slots:
            return agents * k / aht[k - 1]
        total = 0.0
        for agent in range(agents):  # deal j chats out one by one, round robin
            c = j // agents + (1 if agent < j % agents else 0)
            total += c / aht[c - 1] if c else 0.0
        return total

    size = slots + extra
    q = np.zeros((size, size))
    for j in range(size):
        if j + 1 < size:
            q[j, j + 1] = rate
        if j:
            q[j, j - 1] = death(j)
        q[j, j] = -q[j].sum()
    a = np.vstack([q.T, np.ones(size)])
    b = np.zeros(size + 1)
    b[-1] = 1.0
    pi = linalg.lstsq(a, b)[0]
    wait = pi[slots:].sum()
    r = agents * k / aht[-1]
    # waiting time for an arrival finding slots + i chats: Erlang(i + 1, r)
    from scipy import stats

    tail = sum(pi[slots + i] * stats.gamma.sf(answer_time, i + 1, scale=1 / r) for i in range(extra))
    busy = sum(min(j, slots) * pi[j] for j in range(size)) / slots
    return wait, 1 - tail, busy


@pytest.mark.parametrize(
    ("agents", "volume", "aht"),
    [(3, 60.0, [300.0, 360.0, 420.0]), (2, 40.0, [240.0, 300.0]), (4, 100.0, [300.0, 330.0, 390.0, 480.0])],
)
def test_matches_brute_force_chain(agents, volume, aht):
    interval = 3600.0
    wait, level, busy = _brute_force_chain(agents, volume / interval, aht, 30.0)
    got = chat_metrics(agents, volume, interval, aht, 30.0)
    assert float(got.wait_probability[0]) == pytest.approx(wait, rel=1e-7)
    assert float(got.service_level[0]) == pytest.approx(level, rel=1e-7)
    assert float(got.occupancy[0]) == pytest.approx(busy, rel=1e-7)


def test_single_chat_is_erlang_c():
    volume = np.array([30.0, 200.0, 1500.0])
    traffic = volume * 300.0 / 900.0
    n = np.array([12, 70, 520])
    got = chat_metrics(n, volume, 900.0, [300.0], 20.0)
    assert np.allclose(got.service_level, erlang_c_service_level(n, traffic, 300.0, 20.0), rtol=1e-10)
    assert np.allclose(got.asa_s, erlang_c_asa_s(n, traffic, 300.0), rtol=1e-9)
    need = chat_required_agents(volume, 900.0, [300.0], service_level_target=0.8, answer_time_target_s=20.0)
    assert list(need) == list(erlang_c_required_agents(traffic, 300.0, service_level_target=0.8, answer_time_target_s=20.0))


def test_concurrency_with_slower_chats_still_saves_agents():
    one = chat_required_agents([300.0], 900.0, [300.0], service_level_target=0.8, answer_time_target_s=30.0)
    three = chat_required_agents([300.0], 900.0, [300.0, 390.0, 480.0], service_level_target=0.8, answer_time_target_s=30.0)
    assert three[0] < one[0]


@pytest.mark.parametrize(
    "targets",
    [
        {"service_level_target": 0.8, "answer_time_target_s": 30.0},
        {"asa_target_s": 10.0},
        {"max_occupancy": 0.8},
        {"service_level_target": 0.9, "answer_time_target_s": 15.0, "max_occupancy": 0.85},
    ],
)
def test_required_agents_is_the_true_minimum(targets):
    volume = np.array([0.0, 3.0, 25.0, 80.0, 240.0, 600.0])
    aht = [300.0, 360.0, 450.0]
    got = chat_required_agents(volume, 900.0, aht, **targets)
    for i, v in enumerate(volume):
        if v == 0:
            assert got[i] == 0
            continue

        def meets(n, v=v):
            m = chat_metrics(n, v, 900.0, aht, targets.get("answer_time_target_s", 0.0))
            ok = m.wait_probability[0] < 1
            if "service_level_target" in targets:
                ok &= m.service_level[0] >= targets["service_level_target"]
            if "asa_target_s" in targets:
                ok &= m.asa_s[0] <= targets["asa_target_s"]
            if "max_occupancy" in targets:
                ok &= m.occupancy[0] <= targets["max_occupancy"]
            return bool(ok)

        n = 1
        while not meets(n):
            n += 1
        assert got[i] == n


def test_bad_inputs():
    with pytest.raises(EngineInputError):
        chat_required_agents([10.0], 900.0, [], service_level_target=0.8, answer_time_target_s=20)
    with pytest.raises(EngineInputError):
        chat_required_agents([10.0], 900.0, [300.0, -1.0], service_level_target=0.8, answer_time_target_s=20)
    with pytest.raises(EngineInputError):
        chat_required_agents([-5.0], 900.0, [300.0], service_level_target=0.8, answer_time_target_s=20)
