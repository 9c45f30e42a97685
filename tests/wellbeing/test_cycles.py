"""Emotion-cycle detection on synthetic series (pure; no database)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from zhiren.wellbeing import cycles


def weekday_series(seed: int, weeks: int = 12, monday: float = 0.0, month_end: float = 0.0):
    rng = np.random.default_rng(seed)
    days, scores = [], []
    day = date(2025, 1, 6)
    while len(days) < weeks * 5:
        if day.weekday() < 5:
            mean = 3.6
            if day.weekday() == 0:
                mean += monday
            if cycles.days_to_month_end(np.array([day.toordinal()]))[0] < 7:
                mean += month_end
            days.append(day)
            scores.append(int(np.clip(round(rng.normal(mean, 0.8)), 1, 5)))
        day += timedelta(days=1)
    return days, scores


@pytest.mark.parametrize("seed", range(10))
def test_finds_a_planted_monday_effect(seed):
    report = cycles.detect(*weekday_series(seed, monday=-1.5))
    assert report.enough_data
    monday = [p for p in report.patterns if p.kind == cycles.WEEKDAY and p.key == 0]
    assert monday, report.tested
    p = monday[0]
    assert p.is_low and p.effect < -0.8 and p.p_adjusted < 0.05 and p.n_in >= 8
    assert p.strength in {"moderate", "strong"}


def test_finds_a_planted_month_end_effect():
    found = 0
    for seed in range(10):
        report = cycles.detect(*weekday_series(seed, weeks=26, month_end=-1.5))
        found += any(p.kind == cycles.MONTH_END and p.is_low for p in report.patterns)
    assert found >= 9


def test_false_positive_rate_on_noise_is_bounded():
    """Holm at alpha 0.05 per person: at most ~5% of pure-noise people get any pattern."""
    runs = 400
    flagged = sum(bool(cycles.detect(*weekday_series(1000 + s)).patterns) for s in range(runs))
    assert flagged / runs <= 0.05


@pytest.mark.parametrize("seed", range(5))
def test_reports_nothing_on_noise_for_long_histories(seed):
    report = cycles.detect(*weekday_series(seed, weeks=52))
    assert report.enough_data and not report.patterns


def test_not_enough_data_is_said_not_guessed():
    days, scores = weekday_series(1, weeks=3, monday=-3)
    report = cycles.detect(days, scores)
    assert not report.enough_data and not report.patterns
    assert report.n == 15


def test_small_groups_are_not_tested():
    days, scores = weekday_series(2, weeks=6)  # 6 Mondays < min_group 8
    report = cycles.detect(days, scores)
    assert not report.enough_data or all(p.n_in >= 8 for p in report.tested)


def test_fast_test_agrees_with_scipy():
    days, scores = weekday_series(3, monday=-1.0, weeks=20)
    fast, naive = cycles.detect(days, scores), cycles.naive_detect(days, scores)
    assert len(fast.tested) == len(naive.tested)
    for a, b in zip(fast.tested, naive.tested, strict=True):
        assert (a.kind, a.key, a.n_in) == (b.kind, b.key, b.n_in)
        assert a.p_value == pytest.approx(b.p_value, rel=1e-9, abs=1e-12)
        assert a.rank_biserial == pytest.approx(b.rank_biserial)
        assert a.p_adjusted == pytest.approx(b.p_adjusted, rel=1e-9, abs=1e-12)


def test_constant_scores_have_no_pattern():
    days, _ = weekday_series(0)
    report = cycles.detect(days, [4] * len(days))
    assert not report.patterns
    assert all(p.p_value == 1.0 for p in report.tested)


def test_holm_adjustment():
    assert cycles.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert cycles.holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_after_promotion_uses_given_peaks():
    days = cycles.date_range(date(2025, 1, 1), date(2025, 12, 31))
    rng = np.random.default_rng(5)
    peaks = [date(2025, m, 10) for m in range(1, 13)]
    after = {d for p in peaks for d in (p + timedelta(days=i) for i in range(1, 8))}
    scores = [int(np.clip(round(rng.normal(2.2 if d in after else 3.8, 0.7)), 1, 5)) for d in days]
    report = cycles.detect(days, scores, promotions=peaks)
    assert any(p.kind == cycles.AFTER_PROMOTION and p.is_low for p in report.patterns)


def test_team_daily_means_drop_thin_days():
    rows = [(date(2025, 3, 3), 4)] * 5 + [(date(2025, 3, 4), 2)] * 4
    days, means = cycles.team_daily_means(rows, min_per_day=5)
    assert days == [date(2025, 3, 3)] and means == [4.0]
