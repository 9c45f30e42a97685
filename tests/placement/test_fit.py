"""Fit scoring on plain data: weights, reasons, and missing inputs shown as missing (never guessed)."""

from __future__ import annotations

import pytest

from zhiren.placement import fit
from zhiren.placement.fit import AgentInputs, RoleSpec

PRESALES = RoleSpec("presales", traits=("curious", "lively"), skills=("product", "selling"))


def codes(result):
    return {r.code: r for r in result.reasons}


def test_every_input_known():
    agent = AgentInputs(
        1, ability=80, ability_source="kpi:csat", skills={"product": 90, "selling": 40},
        traits=frozenset({"curious"}), wishes={"presales": fit.WANTS}, current_role="aftersales",
    )
    result = fit.score_fit(agent, PRESALES)
    # 0.35·0.8 + 0.25·0.65 + 0.2·0.5 + 0.2·1.0 = 0.7425
    assert result.score == pytest.approx(74.2, abs=0.1)
    assert result.coverage == 1.0
    assert result.missing == ()
    reasons = codes(result)
    assert reasons["ability_high"].params["value"] == 80
    assert reasons["skills_strong"].params["skills"] == ["product"]
    assert reasons["skills_weak"].params["skills"] == ["selling"]
    assert reasons["traits_match"].params["traits"] == ["curious"]
    assert reasons["traits_lacking"].params["traits"] == ["lively"]
    assert "wants_role" in reasons and result.wants and not result.unwilling


def test_missing_inputs_are_left_out_and_named():
    agent = AgentInputs(2, ability=60)
    result = fit.score_fit(agent, PRESALES)
    assert result.score == 60.0  # only ability known: not dragged to zero, not lifted to an average
    assert result.coverage == pytest.approx(0.35)
    assert set(result.missing) == {fit.KNOWLEDGE, fit.TRAITS, fit.WILLINGNESS}
    reasons = codes(result)
    assert reasons["skills_missing"].polarity == fit.MISSING
    assert reasons["traits_missing"].params["traits"] == ["curious", "lively"]
    assert "wishes_missing" in reasons


def test_nothing_known_gives_no_score():
    result = fit.score_fit(AgentInputs(3), PRESALES)
    assert result.score is None and result.coverage == 0.0
    assert {r.polarity for r in result.reasons} == {fit.MISSING}


def test_partly_assessed_skills_use_the_known_ones():
    result = fit.score_fit(AgentInputs(4, skills={"product": 100}), PRESALES)
    assert result.components[fit.KNOWLEDGE] == 1.0
    assert codes(result)["skills_missing"].params["skills"] == ["selling"]


def test_recorded_empty_traits_are_known_not_missing():
    result = fit.score_fit(AgentInputs(5, traits=frozenset()), PRESALES)
    assert result.components[fit.TRAITS] == 0.0
    assert "traits_missing" not in codes(result)


def test_willingness_stances():
    unwilling = fit.score_fit(AgentInputs(6, wishes={"presales": fit.UNWILLING}), PRESALES)
    assert unwilling.unwilling and unwilling.components[fit.WILLINGNESS] == 0.0
    other = fit.score_fit(AgentInputs(6, wishes={"qa": fit.WANTS}), PRESALES)
    assert other.components[fit.WILLINGNESS] == 0.5
    assert codes(other)["wants_other"].params["roles"] == ["qa"]
    asked = fit.score_fit(AgentInputs(6, wishes={}), PRESALES)
    assert "no_stated_wish" in codes(asked)


def test_weights_and_roles_without_skills():
    role = RoleSpec("ops", traits=("analytical",), skills=(), weights={fit.ABILITY: 1, fit.TRAITS: 1})
    result = fit.score_fit(AgentInputs(7, ability=50, traits=frozenset({"analytical"})), role)
    assert result.score == 75.0  # knowledge not asked by the role, willingness weight 0
    assert result.coverage == 1.0


def test_low_ability_is_a_weakness_and_current_role_is_noted():
    result = fit.score_fit(AgentInputs(8, ability=30, current_role="presales"), PRESALES)
    reasons = codes(result)
    assert reasons["ability_low"].polarity == fit.MINUS
    assert "current_role" in reasons and result.current


def test_rank_of():
    fits = [fit.score_fit(AgentInputs(i, ability=a), PRESALES) for i, a in ((1, 90), (2, 70), (3, 70), (4, None))]
    assert fit.rank_of(1, fits).rank == 1
    assert fit.rank_of(3, fits).rank == 2  # ties share the better rank
    assert fit.rank_of(4, fits, top_n=2) == fit.Ranking(rank=4, of=4, top=(1, 2))


def test_fit_matrix_covers_every_pair():
    roles = [PRESALES, RoleSpec("qa", traits=("rigorous",))]
    matrix = fit.fit_matrix([AgentInputs(1, ability=70), AgentInputs(2)], roles)
    assert set(matrix) == {1, 2} and set(matrix[1]) == {"presales", "qa"}
