"""Team life's rules on plain values: whose turn a monthly swap is, the swap's day, and fair
standings of a competition. No Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

SWAP_DAY = 15  # the day of the month a swap is planned on, unless the planner picks another


def whose_turn(candidates: Sequence[tuple[int, int, str]]) -> int | None:
    """(id, turns so far, order key) → the id with the fewest turns, then the first by key."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[1], c[2], c[0]))[0]


def swap_day(month: dt.date, day: int = SWAP_DAY) -> dt.date:
    """That day of the month (the month's last day if it is shorter)."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return min(first.replace(day=1) + dt.timedelta(days=day - 1), following - dt.timedelta(days=1))


VOLUME, RATE = "volume", "rate"


@dataclass(frozen=True)
class Entry:
    team_id: int
    hits: float  # the volume (volume metrics) or the successes (rates)
    base: float  # the volume the rule is checked on: contacts (volume) or the rate's base
    headcount: int


@dataclass(frozen=True)
class Standing:
    team_id: int
    score: float | None  # per capita (volume) or the rate (0..1)
    base: float
    eligible: bool  # at least the minimum volume
    rank: int | None  # 1, 1, 3 for ties; None when not eligible


def standings(entries: Sequence[Entry], kind: str, min_volume: float) -> list[Standing]:
    """Fair standings: a volume is divided by headcount (a big team does not win by size); a
    rate counts only with at least ``min_volume`` in its base (a team of three lucky contacts
    does not win). Ineligible teams are listed after the ranked ones, without a rank."""
    scored = []
    for e in entries:
        if kind == VOLUME:
            score = e.hits / e.headcount if e.headcount else None
        else:
            score = e.hits / e.base if e.base else None
        eligible = score is not None and e.base >= min_volume
        scored.append((e, score, eligible))
    ranked = sorted((s for s in scored if s[2]), key=lambda s: (-s[1], s[0].team_id))
    out: list[Standing] = []
    previous, rank = None, 0
    for position, (e, score, _) in enumerate(ranked, start=1):
        if score != previous:
            rank, previous = position, score
        out.append(Standing(e.team_id, score, e.base, True, rank))
    for e, score, eligible in scored:
        if not eligible:
            out.append(Standing(e.team_id, score, e.base, False, None))
    return out


# event photos: what an upload may be (checked on the bytes, not only the name)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
TOO_BIG, NOT_A_PHOTO = "too_big", "not_a_photo"


def photo_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an upload is refused (``TOO_BIG``, ``NOT_A_PHOTO``), or None: at most
    ``PHOTO_MAX_BYTES``, a JPEG, PNG or WebP name *and* the matching first bytes."""
    if size > PHOTO_MAX_BYTES:
        return TOO_BIG
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = PHOTO_TYPES.get(extension)
    magic = {
        "image/jpeg": head.startswith(b"\xff\xd8\xff"),
        "image/png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    }
    if size == 0 or kind is None or not magic[kind]:
        return NOT_A_PHOTO
    return None
