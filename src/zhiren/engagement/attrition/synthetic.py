"""A generated history with planted causes of leaving, to test the engine against.

**The causes are this generator's assumptions, not findings about any real centre.** They
follow what the seeds say about why customer-service agents leave (the first months,
feeling unseen, a lead who never talks with them, schedules changed under them) and how it
shows (a falling mood, withdrawals from the emotional bank, absences, lateness, slipping
satisfaction and QA). A model scoring well here proves that the pipeline can find such
causes when they exist, not that a real floor works this way.

The floor: ``teams`` of agents, each team with a lead's talk cadence and a rate of schedule
changes. Week by week each agent may start to *drift* (disengage): more likely without
talks, under schedule churn and in the first months; drift grows, and may fade. Drift shows
in the signals with noise. The weekly chance of leaving rises with drift, the first six
months, nesting, recent schedule changes and a long time without a talk. A leaver's place
is taken by a new hire the next week (with a six-week nesting period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .history import NEVER, Events, History

# planted causes: weekly log-odds of leaving
BASE = -7.0
NEW_HIRE = 1.5  # the first six months
FIRST_YEAR = 0.4
NESTING = 0.4
DRIFT = 5.5  # times the drift, 0..1
SCHEDULE = 0.35  # per schedule change in the last four weeks
NO_TALK = 0.5  # no talk for more than eight weeks


@dataclass(frozen=True)
class Synthetic:
    history: History
    first: int  # ordinal of the first simulated day
    last: int  # ordinal of the last simulated day
    drift_weeks: np.ndarray  # per person: weeks spent drifting (the hidden state, for tests)


def generate(
    agents: int = 600,
    weeks: int = 104,
    *,
    seed: int = 7,
    start: dt.date = dt.date(2024, 1, 1),
    team_size: int = 12,
) -> Synthetic:
    rng = np.random.default_rng(seed)
    first = start.toordinal()
    slots = agents
    teams = max(1, slots // team_size)
    team = np.arange(slots) % teams
    cadence = rng.choice([2, 4, 6, 8, 12, 16], size=teams, p=[0.15, 0.3, 0.2, 0.15, 0.1, 0.1])
    churn = rng.gamma(1.2, 0.18, size=teams)  # schedule changes per agent-week

    # people: the initial floor with a spread of tenure, then new hires
    tenure0 = np.minimum(rng.exponential(420, size=slots), 2000).astype(np.int64)
    hired: list[int] = list(first - tenure0)
    left: list[int] = [NEVER] * slots
    person = np.arange(slots)  # person index in each slot
    drift = np.where(rng.random(slots) < 0.08, rng.random(slots), 0.0)
    last_talk = first - rng.integers(0, 60, size=slots)
    recent_changes = np.zeros((4, slots))
    drift_weeks = np.zeros(slots * 3)

    logs: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
        name: []
        for name in (
            "mood",
            "ledger",
            "talk",
            "praise",
            "kpi",
            "qa",
            "absence",
            "lateness",
            "schedule_change",
            "nesting",
        )
    }
    # nesting periods of the initial floor who were hired within six weeks of the start
    young = np.flatnonzero(tenure0 < 42)
    logs["nesting"].append((person[young], first - tenure0[young], np.full(len(young), 42.0)))

    def log(name: str, mask: np.ndarray, days: np.ndarray, values: np.ndarray | None = None):
        idx = np.flatnonzero(mask)
        if len(idx):
            vals = np.ones(len(idx)) if values is None else np.asarray(values)[idx]
            logs[name].append((person[idx], days[idx], vals))

    for week in range(weeks):
        monday = first + 7 * week
        day = monday + rng.integers(0, 7, size=slots)
        hired_arr = np.asarray(hired)[person]
        tenure = monday - hired_arr
        new = tenure < 183
        year = (tenure >= 183) & (tenure < 365)
        nesting = tenure < 42
        talk_gap = (monday - last_talk) / 7.0

        # drift: starts, grows, may fade
        start_p = (
            0.004
            + 0.006 * new
            + 0.008 * (talk_gap > 8)
            + 0.02 * np.minimum(recent_changes.sum(axis=0), 4) / 4
        )
        starting = (drift == 0) & (rng.random(slots) < start_p)
        drift = np.where(starting, 0.15, drift)
        growing = drift > 0
        drift = np.where(growing, np.minimum(1.0, drift + rng.uniform(0.01, 0.06, slots)), drift)
        fading = growing & (rng.random(slots) < 0.02)
        drift = np.where(fading, 0.0, drift)
        drift_weeks[person] += drift > 0.3

        # signals, noisy
        for _ in range(3):  # up to three check-ins a week
            mood = np.clip(np.round(rng.normal(3.9 - 1.7 * drift, 0.75)), 1, 5)
            log("mood", rng.random(slots) < 0.6, monday + rng.integers(0, 7, size=slots), mood)
        deposit = rng.random(slots) < 0.8 - 0.5 * drift
        log("ledger", rng.random(slots) < 0.35, day, np.where(deposit, 2.0, -2.0))
        talk = rng.random(slots) < 1.0 / cadence[team]
        log("talk", talk, day)
        last_talk = np.where(talk, day, last_talk)
        log("praise", rng.random(slots) < 0.12 * (1 - 0.6 * drift), day)
        log("kpi", np.ones(slots, dtype=bool), day, rng.normal(4.4 - 0.3 * drift, 0.2))
        log("qa", rng.random(slots) < 0.5, day, rng.normal(87 - 7 * drift, 6))
        log("absence", rng.random(slots) < 0.012 + 0.05 * drift, day)
        log("lateness", rng.random(slots) < 0.03 + 0.08 * drift, day, np.full(slots, 10.0))
        changes = rng.poisson(churn[team])
        log("schedule_change", changes > 0, day)
        recent_changes = np.roll(recent_changes, 1, axis=0)
        recent_changes[0] = changes

        # leaving
        logit = (
            BASE
            + NEW_HIRE * new
            + FIRST_YEAR * year
            + NESTING * nesting
            + DRIFT * drift
            + SCHEDULE * np.minimum(recent_changes.sum(axis=0), 6)
            + NO_TALK * (talk_gap > 8)
        )
        leaving = rng.random(slots) < 1 / (1 + np.exp(-logit))
        for slot in np.flatnonzero(leaving):
            left[person[slot]] = int(day[slot])
            # the replacement starts the next Monday
            hire_day = monday + 7
            person[slot] = len(hired)
            hired.append(hire_day)
            left.append(NEVER)
            logs["nesting"].append(
                (np.array([person[slot]]), np.array([hire_day]), np.array([42.0]))
            )
            last_talk[slot] = hire_day
            drift[slot] = 0.0
            recent_changes[:, slot] = 0
        if len(hired) > len(drift_weeks):
            drift_weeks = np.concatenate((drift_weeks, np.zeros(len(hired))))

    count = len(hired)
    history = History(
        np.arange(count, dtype=np.int64),
        np.asarray(hired, dtype=np.int64),
        np.asarray(left, dtype=np.int64),
    )
    last = first + 7 * weeks - 1
    for name, parts in logs.items():
        if parts:
            p = np.concatenate([a for a, _, _ in parts])
            d = np.concatenate([b for _, b, _ in parts])
            v = np.concatenate([c for _, _, c in parts])
        else:
            p = d = v = np.zeros(0)
        keep = d <= last  # events of a leaver after leaving were never logged (slot reused)
        history.add(name, Events.build(p[keep], d[keep], v[keep]))
    return Synthetic(history, first, last, drift_weeks[:count])
