"""The signals at a date, one row per (person, date): what the model reads.

Every feature looks back from the date only (never forward), over fixed windows:

=====================  ==================================================================
``new_hire``           1 in the first six months (0-183 days), the riskiest window
``first_year``         1 from six months to a year
``nesting``            1 while a nesting period (哺育期) runs
``mood_trend``         mean mood of the last 30 days minus that of the 60 days before
``mood_level``         mean mood of the last 30 days minus 3.5 (0 without check-ins)
``ledger``             emotional-bank balance with the lead over the last 90 days
``talk_gap``           weeks since the last talk (since hiring if none), at most 26
``praise_gap``         weeks since the last praise (since hiring if none), at most 26
``kpi_trend``          satisfaction (1-5) of the last 30 days minus that of the 60 before
``qa_trend``           QA score of the last 30 days minus that of the 60 before, in tens
``absences``           unexcused absences in the last 90 days
``lateness``           late arrivals in the last 90 days
``schedule_changes``   published shifts changed in the last 90 days
=====================  ==================================================================

A trend without data on either side is 0 (no evidence either way).
"""

from __future__ import annotations

import numpy as np

from .history import History

FEATURES: tuple[str, ...] = (
    "new_hire",
    "first_year",
    "nesting",
    "mood_trend",
    "mood_level",
    "ledger",
    "talk_gap",
    "praise_gap",
    "kpi_trend",
    "qa_trend",
    "absences",
    "lateness",
    "schedule_changes",
)
TENURE_ONLY: tuple[str, ...] = ("new_hire", "first_year")

NEW_DAYS = 183
YEAR_DAYS = 365
GAP_CAP_WEEKS = 26.0


def _trend(history: History, signal: str, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    events = history.signal(signal)
    recent = events.mean(person, day, 30)
    before = events.mean(person, day, 90, 30)
    trend = recent - before
    return np.where(np.isnan(trend), 0.0, trend)


def _gap(history: History, signal: str, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    last, _ = history.signal(signal).latest(person, day)
    since = np.where(np.isnan(last), history.hired[person], last)
    return np.minimum((day - since) / 7.0, GAP_CAP_WEEKS)


def matrix(history: History, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Features (columns in ``FEATURES`` order) for each (person index, day ordinal) pair."""
    person = np.asarray(person, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    tenure = day - history.hired[person]
    nest_day, nest_len = history.signal("nesting").latest(person, day)
    nesting = (~np.isnan(nest_day)) & (day < np.nan_to_num(nest_day) + np.nan_to_num(nest_len))
    mood = history.signal("mood").mean(person, day, 30)
    columns = {
        "new_hire": (tenure < NEW_DAYS).astype(float),
        "first_year": ((tenure >= NEW_DAYS) & (tenure < YEAR_DAYS)).astype(float),
        "nesting": nesting.astype(float),
        "mood_trend": _trend(history, "mood", person, day),
        "mood_level": np.where(np.isnan(mood), 0.0, mood - 3.5),
        "ledger": history.signal("ledger").total(person, day, 90),
        "talk_gap": _gap(history, "talk", person, day),
        "praise_gap": _gap(history, "praise", person, day),
        "kpi_trend": _trend(history, "kpi", person, day),
        "qa_trend": _trend(history, "qa", person, day) / 10.0,
        "absences": history.signal("absence").count(person, day, 90),
        "lateness": history.signal("lateness").count(person, day, 90),
        "schedule_changes": history.signal("schedule_change").count(person, day, 90),
    }
    return (
        np.column_stack([columns[name] for name in FEATURES])
        if len(person)
        else np.zeros((0, len(FEATURES)))
    )
