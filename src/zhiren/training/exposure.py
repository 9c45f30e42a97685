"""Graduated queue exposure in nesting (哺育期分级接线): plain Python, no Django.

A cohort's exposure is a list of stages, each ``{"weeks": n, "queues": [queue codes]}``
taken in order from the cohort's start; after the last stage comes the full mix (every
queue the agent is skilled for). The default: weeks 1–2 simple contact types, weeks 3–4
moderate ones, then the full mix — which queues are simple or moderate is the site's
choice, set per cohort.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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


def first_live_day(stages: Sequence[Mapping], start: date) -> date:
    """The first day a nesting agent takes live contacts: the start of the first stage that
    allows a queue, else of the full mix (a stage with no queues keeps them in the classroom)."""
    weeks = 0
    for stage in stages:
        if stage.get("queues"):
            break
        weeks += int(stage["weeks"])
    return start + timedelta(weeks=weeks)


MAX_STAGE_WEEKS = 26
SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class LineError:
    """A bad line of the stages text: ``row`` (1-based, blank lines counted), what is wrong
    (``"weeks"``: not a whole number of weeks from 1 to ``MAX_STAGE_WEEKS``; ``"queue"``: a
    queue code the site does not have) and the offending text."""

    row: int
    problem: str
    text: str


def as_lines(stages: Sequence[Mapping]) -> str:
    """The stages as the editing page shows them: one line per stage, ``weeks: queue, queue``."""
    return "\n".join(f"{s['weeks']}: {', '.join(s.get('queues', []))}".rstrip() for s in stages)


def _default_key(n: int) -> str:
    return DEFAULT_STAGES[n]["key"] if n < len(DEFAULT_STAGES) else f"stage{n + 1}"


def parse_lines(
    text: str, known_queues: Iterable[str], previous: Sequence[Mapping] = ()
) -> tuple[list[dict], list[LineError]]:
    """Stages from the editing page's text, one per line: the weeks, then the queue codes
    allowed (``2: faq, orders``; a colon, commas or spaces separate them; no queue keeps the
    agent in the classroom). Keys of ``previous`` stages are kept by position. Every bad line
    is reported, not only the first; the stages are only meaningful without errors."""
    known = set(known_queues)
    stages: list[dict] = []
    errors: list[LineError] = []
    for row, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        head, _colon, rest = line.partition(":") if ":" in line else line.partition("：")
        if not _colon:
            head, _space, rest = line.partition(" ")
        head = head.strip()
        weeks = int(head) if head.isdigit() else 0
        if not 1 <= weeks <= MAX_STAGE_WEEKS:
            errors.append(LineError(row, "weeks", head))
        queues = [q for q in SEPARATORS.split(rest.strip()) if q]
        errors.extend(LineError(row, "queue", q) for q in queues if q not in known)
        n = len(stages)
        key = str(previous[n]["key"]) if n < len(previous) and "key" in previous[n] else ""
        stages.append(
            {
                "key": key or _default_key(n),
                "weeks": weeks,
                "queues": list(dict.fromkeys(queues)),
            }
        )
    return stages, errors
