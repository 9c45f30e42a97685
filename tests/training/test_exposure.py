"""Graduated exposure: which queues a nesting agent may take in which week."""

from datetime import date

import pytest

from zhiren.training import exposure

STAGES = [
    {"key": "simple", "weeks": 2, "queues": ["faq"]},
    {"key": "moderate", "weeks": 2, "queues": ["faq", "orders"]},
]
START = date(2026, 3, 2)


def test_weeks_count_from_the_start():
    assert exposure.nesting_week(START, date(2026, 3, 1)) == 0
    assert exposure.nesting_week(START, START) == 1
    assert exposure.nesting_week(START, date(2026, 3, 8)) == 1
    assert exposure.nesting_week(START, date(2026, 3, 9)) == 2


@pytest.mark.parametrize(
    ("week", "allowed"),
    [
        (1, {"faq"}),
        (2, {"faq"}),
        (3, {"faq", "orders"}),
        (4, {"faq", "orders"}),
        (5, None),
        (12, None),
    ],
)
def test_stages_then_full_mix(week, allowed):
    result = exposure.allowed_queues(STAGES, week)
    assert (result if result is None else set(result)) == allowed


def test_a_period_keeps_to_the_narrowest_week():
    # weeks 2 and 3: only what both allow
    assert exposure.allowed_between(STAGES, START, date(2026, 3, 9), date(2026, 3, 22)) == {"faq"}
    assert exposure.allowed_between(STAGES, START, date(2026, 3, 16), date(2026, 3, 29)) == {
        "faq",
        "orders",
    }
    assert exposure.allowed_between(STAGES, START, date(2026, 3, 30), date(2026, 4, 12)) is None
    assert (
        exposure.allowed_between(STAGES, START, date(2026, 3, 2), date(2026, 3, 8), graduated=True)
        is None
    )
    # a roster starting before the cohort: the first stage
    assert exposure.allowed_between(STAGES, START, date(2026, 2, 23), date(2026, 3, 1)) == {"faq"}


def test_validate():
    assert exposure.validate([{"weeks": 1, "queues": ["a"]}]) == [
        {"key": "1", "weeks": 1, "queues": ["a"]}
    ]
    for bad in ({}, [{"weeks": 0}], [{"weeks": 1, "queues": "a"}], ["x"]):
        with pytest.raises(ValueError):
            exposure.validate(bad)
