"""The graduation gate at its boundaries; missing evidence never passes."""

import pytest

from zhiren.training.gate import FAIL, MISSING, PASS, GateEvidence, GateRules, evaluate

RULES = GateRules(min_evaluations=5, min_qa_score=80, aht_tolerance_pct=20, quiz_pass_mark=80)
GOOD = GateEvidence(
    qa_count=5,
    qa_average=80.0,
    critical_fails=0,
    aht=360.0,
    tenured_median_aht=300.0,
    quiz_score=80.0,
)


def with_(**changes):
    return GateEvidence(**{**GOOD.__dict__, **changes})


def test_exactly_at_every_minimum_passes():
    result = evaluate(RULES, GOOD)  # 5 evaluations, 80.0, AHT 360 = 300 × 1.2, quiz 80
    assert result.passed
    assert {c.key: c.status for c in result.checks} == dict.fromkeys(
        ("evaluations", "qa_score", "critical", "aht", "quiz"), PASS
    )
    assert result.check("aht").required == pytest.approx(360)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"qa_count": 4}, "evaluations"),
        ({"qa_average": 79.99}, "qa_score"),
        ({"critical_fails": 1}, "critical"),
        ({"aht": 360.5}, "aht"),
        ({"quiz_score": 79.9}, "quiz"),
    ],
)
def test_just_below_a_minimum_fails(change, key):
    result = evaluate(RULES, with_(**change))
    assert not result.passed
    assert result.check(key).status == FAIL


@pytest.mark.parametrize(
    ("change", "keys"),
    [
        ({"qa_count": 0, "qa_average": None}, {"evaluations", "qa_score", "critical"}),
        ({"aht": None}, {"aht"}),
        ({"tenured_median_aht": None}, {"aht"}),
        ({"quiz_score": None}, {"quiz"}),
    ],
)
def test_missing_evidence_is_missing_and_never_passes(change, keys):
    result = evaluate(RULES, with_(**change))
    assert not result.passed
    assert set(result.missing) == keys
    for key in keys:
        assert result.check(key).value is None or key == "aht"


def test_zero_evaluations_is_missing_not_a_zero_score():
    result = evaluate(RULES, with_(qa_count=0, qa_average=None))
    assert result.check("qa_score").value is None
    assert result.check("qa_score").status == MISSING
