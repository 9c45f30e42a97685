"""The attrition engine (plain NumPy): windows, features, the model, metrics, the hold-out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zhiren.engagement.attrition import evaluation, features, metrics, synthetic
from zhiren.engagement.attrition.history import Events, History, UnknownSignal
from zhiren.engagement.attrition.model import fit, reasons

D0 = dt.date(2026, 1, 1).toordinal()


def test_windows_count_sum_mean_and_latest_by_hand():
    # person 0: values 2 on day 5, 4 on day 20, 6 on day 40; person 1: 10 on day 30
    events = Events.build(
        np.array([0, 1, 0, 0]), np.array([20, 30, 5, 40]), np.array([4.0, 10.0, 2.0, 6.0])
    )
    person, day = np.array([0, 0, 1, 1]), np.array([30, 40, 30, 29])
    assert events.count(person, day, 30).tolist() == [2, 2, 1, 0]  # (0,30], (10,40], …
    assert events.total(person, day, 30).tolist() == [6, 10, 10, 0]
    mean = events.mean(person, day, 30)
    assert mean[:3].tolist() == [3, 5, 10] and np.isnan(mean[3])
    days, values = events.latest(person, np.array([19, 40, 30, 29]))
    assert days[:3].tolist() == [5, 40, 30] and np.isnan(days[3])
    assert values[:3].tolist() == [2, 6, 10]


def test_survey_answers_are_not_a_signal_the_engine_takes():
    with pytest.raises(UnknownSignal):
        History.build([(1, D0, None)], {"survey": [(1, D0, 4.0)]})
    history = History.build([(1, D0, None)], {})
    for name in ("survey", "engagement", "enps", "comment"):
        with pytest.raises(UnknownSignal):
            history.signal(name)


def test_features_of_a_hand_made_history():
    day = D0 + 100
    history = History.build(
        [(7, D0, None)],
        {
            # mood 4 then 2 in the last 30 days: trend (2) - (4) = -2, level 2 - 3.5
            "mood": [(7, day - 60, 4.0), (7, day - 10, 2.0)],
            "ledger": [(7, day - 80, 2.0), (7, day - 5, -5.0), (7, day - 200, 9.0)],
            "talk": [(7, day - 14, 1.0)],
            "absence": [(7, day - 1, 1.0), (7, day - 89, 1.0), (7, day - 91, 1.0)],
            "nesting": [(7, D0, 42.0)],
            "qa": [(7, day - 50, 90.0), (7, day - 3, 70.0)],
        },
    )
    row = dict(
        zip(
            features.FEATURES,
            features.matrix(history, np.array([0]), np.array([day]))[0],
            strict=True,
        )
    )
    assert row["new_hire"] == 1 and row["first_year"] == 0
    assert row["nesting"] == 0  # ended on day 42
    assert row["mood_trend"] == -2 and row["mood_level"] == -1.5
    assert row["ledger"] == -3
    assert row["talk_gap"] == 2
    assert row["praise_gap"] == pytest.approx(100 / 7)  # none: since hiring
    assert row["absences"] == 2
    assert row["qa_trend"] == -2  # (70 - 90) / 10
    assert row["kpi_trend"] == 0  # no data: no evidence either way
    early = features.matrix(history, np.array([0]), np.array([D0 + 10]))[0]
    assert early[features.FEATURES.index("nesting")] == 1


def test_fit_finds_a_planted_cause_and_names_it_as_the_reason():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4000, 3))
    y = (rng.random(4000) < 1 / (1 + np.exp(-(-1.0 + 2.0 * x[:, 1])))).astype(float)
    model = fit(x, y, ("a", "b", "c"), l2=1.0)
    assert model.coef[1] == pytest.approx(2.0, abs=0.2)
    assert abs(model.coef[0]) < 0.15 and abs(model.coef[2]) < 0.15
    top = reasons(model, np.array([0.0, 2.5, 0.0]))
    assert [r.feature for r in top] == ["b"] and top[0].contribution > 4
    assert reasons(model, np.array([0.0, -2.0, 0.0])) == []  # nothing raises the risk


def test_auc_precision_recall_calibration_by_hand():
    y = np.array([1, 0, 1, 0, 0])
    score = np.array([0.9, 0.8, 0.5, 0.5, 0.1])
    # pairs (leaver, stayer): 0.9 beats all 3; 0.5 beats 0.1, ties 0.5, loses to 0.8 -> 4.5 / 6
    assert metrics.auc(y, score) == pytest.approx(4.5 / 6)
    assert metrics.precision_recall(y, score, 0.5) == (pytest.approx(2 / 4), 1.0)
    assert metrics.precision_recall(y, score, 0.95) == (0.0, 0.0)
    table = metrics.calibration(y, score, bins=2)
    assert [b.rows for b in table] == [3, 2]
    assert table[1].observed == 0.5 and table[1].predicted == pytest.approx(0.85)
    assert metrics.brier(np.array([1, 0]), np.array([0.5, 0.5])) == 0.25


@pytest.fixture(scope="module")
def small():
    return synthetic.generate(600, 104, seed=3)


def test_holdout_is_temporal_and_beats_tenure_alone(small):
    model, report = evaluation.holdout(small.history, small.first, small.last)
    train = evaluation.snapshots(small.history, small.first + evaluation.LOOKBACK, report.cutoff)
    assert (train.day + evaluation.HORIZON <= report.cutoff).all()  # outcomes known by then
    assert report.train_rows == len(train.y) and report.test_leavers > 100
    assert report.model.auc >= 0.75
    assert report.model.auc > report.baseline.auc + 0.1
    assert report.model.ece < 0.05  # calibrated within five points on the later period
    # the planted causes come out with the planted signs
    coef = dict(zip(model.features, model.coef, strict=True))
    assert coef["new_hire"] > 0 and coef["schedule_changes"] > 0
    assert coef["mood_level"] < 0 and coef["ledger"] < 0


def test_the_generator_plants_drift_in_leavers(small):
    history = small.history
    leavers = history.left < small.last
    assert 0.2 < leavers.mean() < 0.8
    assert small.drift_weeks[leavers].mean() > 2 * small.drift_weeks[~leavers].mean()
