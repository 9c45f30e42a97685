"""The pure state classification: boundaries, missing data (unknown, never guessed), ability inputs."""

from __future__ import annotations

import pytest

from zhiren.coaching.situational import (
    AbilityInput,
    State,
    Thresholds,
    ability_score,
    classify,
    delegation_modes,
    kpi_attainment,
    rating_score,
    willingness_score,
)

T = Thresholds(ability_high=70, willingness_high=3.5)


@pytest.mark.parametrize(
    ("ability", "willingness", "state"),
    [
        (69.9, 3.49, State.DIRECTING),
        (69.9, 3.5, State.COACHING),  # equal to the threshold is high
        (70.0, 3.49, State.MOTIVATING),
        (70.0, 3.5, State.DELEGATING),
        (0, 1, State.DIRECTING),
        (100, 5, State.DELEGATING),
    ],
)
def test_quadrants_at_the_boundaries(ability, willingness, state):
    assert classify(ability, willingness, T) is state


@pytest.mark.parametrize(("ability", "willingness"), [(None, 4.0), (80.0, None), (None, None)])
def test_missing_axis_is_unknown(ability, willingness):
    assert classify(ability, willingness, T) is State.UNKNOWN


def test_thresholds_come_from_settings_mapping():
    strict = Thresholds.from_mapping({"ability_high": 90, "willingness_high": 4})
    assert classify(85, 4.5, strict) is State.COACHING
    assert classify(85, 4.5, T) is State.DELEGATING
    assert Thresholds.from_mapping(None) == Thresholds()
    with pytest.raises(ValueError, match="unknown coaching threshold"):
        Thresholds.from_mapping({"ability_hi": 1})


def test_willingness_needs_all_three_elements():
    assert willingness_score(4, 3, 5) == 4.0
    assert willingness_score(4, None, 5) is None
    assert willingness_score(None, None, None) is None
    with pytest.raises(ValueError):
        willingness_score(6, 3, 3)


def test_kpi_attainment():
    assert kpi_attainment(85, 85, True) == 100
    assert kpi_attainment(90, 85, True) == 100  # capped
    assert kpi_attainment(68, 85, True) == 80
    assert kpi_attainment(450, 360, False) == 80  # AHT above target
    assert kpi_attainment(300, 360, False) == 100
    assert kpi_attainment(None, 85, True) is None
    assert kpi_attainment(80, None, True) is None
    assert rating_score(1) == 0 and rating_score(3) == 50 and rating_score(5) == 100
    assert rating_score(None) is None


def test_ability_leaves_missing_groups_out_and_shows_every_input():
    inputs = [
        AbilityInput("kpi", "CSAT", 100, "90% / 85%"),
        AbilityInput("kpi", "FCR", 80, "60% / 75%"),
        AbilityInput("kpi", "AHT", None, "—"),  # no data: left out of the KPI group
        AbilityInput("skills", "产品知识", 50, "3/5"),
    ]
    result = ability_score(inputs, T)
    # KPI group 50 (one of the two KPIs with data on target; weight .4), skills 50 (weight .2);
    # QA and the lead's rating missing.
    assert result.score == pytest.approx((50 * 0.4 + 50 * 0.2) / 0.6, abs=0.1)
    assert result.coverage == pytest.approx(0.6)
    parts = {p.source: p for p in result.parts}
    assert parts["qa"].score is None and parts["lead"].score is None
    assert len(parts["kpi"].inputs) == 3  # the missing AHT is still shown as an input


def test_kpis_count_by_the_share_on_target_so_a_miss_is_not_averaged_away():
    """Two of four KPIs below target is not high ability, though their mean attainment (91) would be."""
    half = [AbilityInput("kpi", k, s) for k, s in (("CSAT", 100), ("FCR", 100), ("AHT", 90), ("SL", 74))]
    assert ability_score(half, T).score == 50 and classify(50, 4, T) is State.COACHING
    most = [AbilityInput("kpi", k, s) for k, s in (("CSAT", 100), ("FCR", 100), ("AHT", 100), ("SL", 74))]
    assert ability_score(most, T).score == 75


def test_the_leads_rating_decides_and_the_evidence_is_kept_beside_it():
    evidence = [AbilityInput("kpi", "CSAT", 100), AbilityInput("skills", "产品", 100)]
    rated_low = ability_score([*evidence, AbilityInput("lead", "lead", 25)], T)
    assert (rated_low.score, rated_low.evidence, rated_low.set_by_lead) == (25, 100, True)
    assert rated_low.evidence_disagrees
    only_lead = ability_score([AbilityInput("lead", "lead", 75)], T)  # the lead's word needs no coverage
    assert (only_lead.score, only_lead.evidence, only_lead.evidence_disagrees) == (75, None, False)
    unrated = ability_score(evidence, T)
    assert (unrated.score, unrated.set_by_lead) == (100, False)


def test_ability_is_unknown_below_the_coverage_threshold_never_guessed():
    assert ability_score([AbilityInput("qa", "QA", 90)], T).score is None  # weight .2 < .4
    assert ability_score([], T).score is None
    assert ability_score([AbilityInput("kpi", "CSAT", None)], T).score is None
    # Exactly at the coverage threshold is enough.
    assert ability_score([AbilityInput("kpi", "CSAT", 100)], T).score == 100
    with pytest.raises(ValueError):
        ability_score([AbilityInput("gut", "feeling", 99)], T)


def test_delegation_questions_adapt_to_the_state():
    directing = dict(delegation_modes(State.DIRECTING))
    delegating = dict(delegation_modes(State.DELEGATING))
    coaching = dict(delegation_modes("coaching"))
    assert list(directing) == ["what", "why", "good", "resources", "obstacles", "check"]
    assert set(directing.values()) == {"tell"}
    assert set(delegating.values()) == {"ask"}
    assert coaching["why"] == "tell" and coaching["obstacles"] == "ask"
