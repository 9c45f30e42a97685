"""Graduated queue exposure in nesting (哺育期分级接线): plain Python, no Django.

A cohort's exposure is a list of stages, each ``{"weeks": n, "queues": [queue codes]}``
taken in order from the cohort's start; after the last stage comes the full mix (every
queue the agent is skilled for). The default: weeks 1–2 simple contact types, weeks 3–4
moderate ones, then the full mix — which queues are simple or moderate is the site's
choice, set per cohort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

FULL_MIX = None  # allowed queues: no restriction

DEFAULT_STAGES: tuple[dict, ...] = (
    {"key": "simple", "weeks": 2, "queues": []},
    {"key": "moderate", "weeks": 2, "queues": []},
)


def validate(stages: object) -> list[dict]:
    """The stages as stored, or ``ValueError`` with what is wrong."""
    if not isinstance(stages, list):
        raise ValueError("exposure must be a list of stages")
    out = []
    for n, stage in enumerate(stages, 1):
        if not isinstance(stage, Mapping):
            raise ValueError(f"stage {n} is not an object")
        weeks = stage.get("weeks")
        queues = stage.get("queues", [])
        if not isinstance(weeks, int) or weeks < 1:
            raise ValueError(f"stage {n}: weeks must be a whole number of at least 1")
        if not isinstance(queues, list) or not all(isinstance(q, str) for q in queues):
            raise ValueError(f"stage {n}: queues must be a list of queue codes")
        out.append({"key": str(stage.get("key", n)), "weeks": weeks, "queues": list(queues)})
    return out


def nesting_week(start: date, day: date) -> int:
    """1 for the first seven days from ``start``, 2 for the next…; 0 before the start."""
    if day < start:
        return 0
    return (day - start).days // 7 + 1


def stage_of(stages: Sequence[Mapping], week: int) -> int | None:
    """Index of the stage holding ``week`` (1-based), or None: the full mix (or not started)."""
    if week < 1:
        return None
    last = 0
    for index, stage in enumerate(stages):
        last += int(stage["weeks"])
        if week <= last:
            return index
    return None


def allowed_queues(stages: Sequence[Mapping], week: int) -> frozenset[str] | None:
    """Queue codes allowed in ``week`` of nesting; None: the full mix. Before the start: none."""
    if week < 1:
        return frozenset()
    index = stage_of(stages, week)
    return FULL_MIX if index is None else frozenset(stages[index].get("queues", ()))


def allowed_between(
    stages: Sequence[Mapping], start: date, first: date, last: date, graduated: bool = False
) -> frozenset[str] | None:
    """Queues allowed on *every* day from ``first`` to ``last``: the intersection over the weeks
    touched (a roster for several weeks keeps to the narrowest). A graduate: the full mix."""
    if graduated:
        return FULL_MIX
    result: frozenset[str] | None = FULL_MIX
    for week in range(max(1, nesting_week(start, first)), nesting_week(start, last) + 1):
        allowed = allowed_queues(stages, week)
        if allowed is not None:
            result = allowed if result is None else result & allowed
    if (
        nesting_week(start, first) == 0
    ):  # starts before nesting: nothing certain yet, keep the first stage
        first_stage = allowed_queues(stages, 1)
        if first_stage is not None:
            result = first_stage if result is None else result & first_stage
    return result
