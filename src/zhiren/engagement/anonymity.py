"""The anonymity guard: every survey aggregate shown anywhere passes through ``guard``.

Plain Python, no Django. A *cell* is a group of answers about to be shown as a number
(a team, a site, a team filtered by tenure or channel, one point of a trend line, a row of
an export or of the API). The guard decides, cell by cell, whether it may be shown:

1. a cell with fewer answers than the minimum is refused (``BELOW_MINIMUM``);
2. a cell whose responders differ from the same group's in the previous wave by fewer
   than the minimum (one joiner or one leaver in a weekly pulse) is refused
   (``CONSECUTIVE_WAVES``): last week's number and this week's would give away the
   newcomer's (or the leaver's) answer;
3. a cell that, together with the cells already shown on the same page, would let
   someone work out the answers of a smaller group by adding and subtracting is refused:
   ``REMAINDER`` (siblings' remainder, parent minus children: the next-smallest group is
   suppressed too) or ``FILTER_REMAINDER`` (a filter whose complement in its group is too
   small: overall minus the filter);
4. the same test, counting also the cells this viewer was shown before for the same wave
   (``history``, the per-viewer query log): ``RECENT_QUERIES`` (asking again after one
   more answer came in, or slicing the same people another way).

How "could work out" is decided (3, 4): the cells shown split the answers into *blocks*
(answers that belong to exactly the same shown cells). Any number derived by arithmetic
from the shown sums is a combination of block sums, and the sum of a set of blocks can be
derived exactly when its indicator vector lies in the span of the shown cells' vectors.
The guard refuses a cell when, with it, the sum of any group of fewer than ``minimum``
answers made of whole blocks becomes derivable: every union of one to four small blocks
(all the groups below the default minimum of 5), larger unions up to ``EXHAUSTIVE_LIMIT``
of them. Sums cover means, counts of each answer and percentages, which are all sums of per-answer values.

Members may stand for several answers at once (``weights``: member -> how many answers):
the results page passes *segments* of atoms (answers of one team, tenure band and channel,
which no view can tell apart) instead of one key per answer, so a view of 10,000 answers
is decided on a few thousand keys. A block's size is then the sum of its members' weights;
the decision is the same as for the answers one by one, since answers inside one member
always fall in the same block.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

FLOOR = 3  # no survey may launch with a minimum below this
DEFAULT_SCORES = 5  # answers a cell needs before its scores are shown
DEFAULT_COMMENTS = 10  # comments a cell needs before its comments are shown
EXHAUSTIVE_LIMIT = 20_000  # unions of five or more small blocks tried one by one, at most


class AnonymityError(ValueError):
    """Minimums that would not protect anyone (below ``FLOOR``)."""


class Reason(enum.StrEnum):
    BELOW_MINIMUM = "below_minimum"
    CONSECUTIVE_WAVES = "consecutive_waves"
    REMAINDER = "remainder"
    FILTER_REMAINDER = "filter_remainder"
    RECENT_QUERIES = "recent_queries"


@dataclass(frozen=True)
class Minimums:
    scores: int = DEFAULT_SCORES
    comments: int = DEFAULT_COMMENTS

    def __post_init__(self) -> None:
        for value in (self.scores, self.comments):
            if not isinstance(value, int) or value < FLOOR:
                raise AnonymityError(
                    f"a minimum must be a whole number of at least {FLOOR}, not {value!r}"
                )


@dataclass(frozen=True)
class Cell:
    """A group of answers about to be shown. ``members`` are opaque answer keys.

    ``kind`` is "group" (a team, a site: processed first, largest first) or "filter" (a
    group narrowed by tenure, channel…). ``joined`` / ``left``: how many responders this
    group has that it did not have in the previous wave, and the reverse (0 when unknown
    or not a repeated survey).
    """

    key: Hashable
    members: frozenset[Hashable]
    kind: str = "group"
    joined: int = 0
    left: int = 0


@dataclass(frozen=True)
class Verdict:
    key: Hashable
    count: int
    shown: bool
    reason: Reason | None = None


@dataclass
class _Span:
    """Row-reduced basis (exact fractions) of the shown cells' vectors over blocks."""

    rows: dict[int, dict[int, Fraction]] = field(default_factory=dict)  # pivot block -> row

    def reduce(self, vector: dict[int, Fraction]) -> dict[int, Fraction]:
        v = dict(vector)
        for pivot in [p for p in v if p in self.rows]:
            factor = v.get(pivot)
            if not factor:
                continue
            for block, value in self.rows[pivot].items():
                new = v.get(block, Fraction(0)) - factor * value
                if new:
                    v[block] = new
                else:
                    v.pop(block, None)
        return v

    def add(self, vector: dict[int, Fraction]) -> None:
        v = self.reduce(vector)
        if not v:
            return
        pivot = min(v)
        scale = v[pivot]
        row = {b: x / scale for b, x in v.items()}
        for other in self.rows.values():
            factor = other.get(pivot)
            if factor:
                for block, value in row.items():
                    new = other.get(block, Fraction(0)) - factor * value
                    if new:
                        other[block] = new
                    else:
                        other.pop(block, None)
        self.rows[pivot] = row

    def contains(self, vector: dict[int, Fraction]) -> bool:
        return not self.reduce(vector)


class _Tracker:
    """A span and the residues of the small blocks against it, grown one vector at a time.

    With ``r`` the residue of a block and ``v`` a new vector reduced by the span, pivot
    ``p``, the residue against the grown span is ``r - r[p] / v[p] * v``: trying a vector
    costs one reduction and one update per small block, and a refused one costs nothing.
    """

    def __init__(self, sizes: dict[int, int]) -> None:
        self.span = _Span()
        self.residue: dict[int, dict[int, Fraction]] = {b: {b: Fraction(1)} for b in sizes}

    def trial(
        self, vector: dict[int, Fraction]
    ) -> tuple[dict[int, Fraction], dict[int, dict[int, Fraction]]]:
        reduced = self.span.reduce(vector)
        if not reduced:
            return reduced, self.residue
        pivot = min(reduced)
        residue = {}
        for block, r in self.residue.items():
            factor = r.get(pivot)
            if not factor:
                residue[block] = r
                continue
            new = dict(r)
            for key, value in reduced.items():
                x = new.get(key, Fraction(0)) - factor * value / reduced[pivot]
                if x:
                    new[key] = x
                else:
                    new.pop(key, None)
            residue[block] = new
        return reduced, residue

    def commit(self, trial: tuple[dict[int, Fraction], dict[int, dict[int, Fraction]]]) -> None:
        reduced, residue = trial
        if reduced:
            self.span.add(reduced)
        self.residue = residue


def _sizes(
    blocks: list[list[Hashable]], minimum: int, weights: Mapping[Hashable, int] | None
) -> dict[int, int]:
    """Blocks smaller than ``minimum`` (in answers) and their sizes."""
    out = {}
    for b, members in enumerate(blocks):
        size = len(members) if weights is None else sum(weights.get(m, 1) for m in members)
        if size < minimum:
            out[b] = size
    return out


def _blocks(
    sets: Sequence[frozenset[Hashable]],
) -> tuple[list[list[Hashable]], list[dict[int, Fraction]]]:
    """The blocks the sets split their members into, and each set as a 0/1 vector over blocks."""
    signature: dict[Hashable, list[int]] = {}
    for index, members in enumerate(sets):
        for member in members:
            signature.setdefault(member, []).append(index)
    by_signature: dict[tuple[int, ...], list[Hashable]] = {}
    for member, where in signature.items():
        by_signature.setdefault(tuple(where), []).append(member)
    blocks = list(by_signature.values())
    vectors: list[dict[int, Fraction]] = [{} for _ in sets]
    for b, sig in enumerate(by_signature):
        for index in sig:
            vectors[index][b] = Fraction(1)
    return blocks, vectors


def exposed_group(
    sets: Sequence[frozenset[Hashable]],
    minimum: int,
    weights: Mapping[Hashable, int] | None = None,
) -> frozenset[Hashable] | None:
    """A group of 1 to ``minimum - 1`` answers whose sum follows from the sums of ``sets``, or None."""
    blocks, vectors = _blocks(sets)
    span = _Span()
    for vector in vectors:
        span.add(vector)
    sizes = _sizes(blocks, minimum, weights)
    union = _derivable_union({b: span.reduce({b: Fraction(1)}) for b in sizes}, sizes, minimum)
    return None if union is None else frozenset(m for b in union for m in blocks[b])


Vector = tuple[tuple[int, Fraction], ...]


def _vector(parts: Iterable[dict[int, Fraction]]) -> Vector:
    total: dict[int, Fraction] = {}
    for part in parts:
        for k, x in part.items():
            total[k] = total.get(k, Fraction(0)) + x
    return tuple(sorted((k, x) for k, x in total.items() if x))


def _cancellable(residue: dict[int, dict[int, Fraction]], small: list[int]) -> list[int]:
    """The small blocks that can be in a union whose residues add up to zero.

    A block whose residue is non-zero on a coordinate no other remaining block's residue
    touches cannot be cancelled, so it is in no such union; dropping it may strand others,
    hence the repetition. (Exact: it only removes blocks that cannot take part.)
    """
    alive = set(small)
    while True:
        holders: dict[int, int] = {}
        for b in alive:
            for k in residue[b]:
                holders[k] = holders.get(k, 0) + 1
        stranded = {b for b in alive if any(holders[k] == 1 for k in residue[b])}
        if not stranded:
            return sorted(alive)
        alive -= stranded


def _components(residue: dict[int, dict[int, Fraction]], small: list[int]) -> list[list[int]]:
    """The small blocks grouped so that no two groups' residues share a coordinate.

    Residues of different groups cannot cancel each other, so a union whose residues add
    up to zero is, group by group, such a union too: searching each group alone is exact
    (and a view's groups are small — the blocks of one team, typically)."""
    parent = {b: b for b in small}

    def root(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    owner: dict[int, int] = {}
    for b in small:
        for k in residue[b]:
            if k in owner:
                parent[root(b)] = root(owner[k])
            else:
                owner[k] = b
    groups: dict[int, list[int]] = {}
    for b in small:
        groups.setdefault(root(b), []).append(b)
    return list(groups.values())


def _derivable_union(
    residue: dict[int, dict[int, Fraction]],
    sizes: dict[int, int],
    minimum: int,
    changed: set[int] | None = None,
) -> tuple[int, ...] | None:
    """Small blocks whose union (fewer than ``minimum`` members) has a derivable sum, or None.

    ``1_U`` lies in the span exactly when the residues of its blocks add up to zero (the
    residue of a block: its unit vector reduced by the basis, on the free blocks). Blocks
    that cannot cancel are dropped (``_cancellable``) and the rest searched group by group
    (``_components``): unions of one to four blocks exhaustively by hashing residues; larger
    unions (only possible when ``minimum`` > 5) one by one, up to ``EXHAUSTIVE_LIMIT`` of
    them in all.

    ``changed``: when the span *before* the last vector let no small union be derived, only
    the blocks whose residue that vector changed can be in a newly derivable union (a union
    of unchanged blocks has the same residue sum as before, which was not zero), so groups
    without such a block are skipped and every union tried holds one. None: search all.
    """
    most = minimum - 1
    alive = _cancellable(residue, sorted(sizes))
    budget = [EXHAUSTIVE_LIMIT]
    for group in _components(residue, alive):
        if changed is not None and not changed.intersection(group):
            continue
        found = _search(residue, sizes, group, most, budget, changed)
        if found is not None:
            return found
    return None


def _with_one_of(moved: list[int], still: list[int], r: int) -> Iterable[tuple[int, ...]]:
    """Every ``r``-subset of ``moved + still`` holding at least one of ``moved``, once each."""
    for i, first in enumerate(moved):
        for rest in combinations(still + moved[i + 1 :], r - 1):
            yield (first, *rest)


def _search(
    residue: dict[int, dict[int, Fraction]],
    sizes: dict[int, int],
    small: list[int],
    most: int,
    budget: list[int],
    changed: set[int] | None = None,
) -> tuple[int, ...] | None:
    key = {b: _vector([residue[b]]) for b in small}
    negative = {b: tuple((k, -x) for k, x in key[b]) for b in small}
    by_key: dict[Vector, list[int]] = {}
    for b in small:
        if not key[b]:
            return (b,)
        by_key.setdefault(key[b], []).append(b)
    pairs: dict[Vector, list[tuple[int, int]]] = {}
    for a, b in combinations(small, 2):
        if sizes[a] + sizes[b] > most:
            continue
        if key[a] == negative[b]:
            return (a, b)
        pairs.setdefault(_vector([residue[a], residue[b]]), []).append((a, b))
    for a, b in (p for group in pairs.values() for p in group):
        wanted = tuple((k, -x) for k, x in _vector([residue[a], residue[b]]))
        for c in by_key.get(wanted, []):
            if c not in (a, b) and sizes[a] + sizes[b] + sizes[c] <= most:
                return (a, b, c)
        for c, d in pairs.get(wanted, []):
            if not {c, d} & {a, b} and sizes[a] + sizes[b] + sizes[c] + sizes[d] <= most:
                return (a, b, c, d)
    moved = [b for b in small if changed is None or b in changed]
    still = [b for b in small if changed is not None and b not in changed]
    for r in range(5, min(most, len(small)) + 1):
        for union in _with_one_of(moved, still, r):
            budget[0] -= 1
            if budget[0] < 0:
                return None
            if sum(sizes[b] for b in union) <= most and not _vector([residue[b] for b in union]):
                return union
    return None


def guard(
    cells: Iterable[Cell],
    minimum: int,
    history: Iterable[frozenset[Hashable]] = (),
    weights: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, Verdict]:
    """Decide every cell of one view; groups first (largest first), then filters.

    ``history``: member sets this viewer was shown before for the same wave. Cells shown
    here should be added to it by the caller (``shown_sets``).

    One split into blocks serves the whole view (every cell and the history): it refines
    the split of any subset, and a union of fewer than ``minimum`` members of the coarse
    split is one of at most ``minimum - 1`` fine blocks, so the test is the same; the two
    spans (this view; this view and the history) then grow one accepted cell at a time.
    """
    if minimum < FLOOR:
        raise AnonymityError(f"a minimum below {FLOOR} protects no one")
    ordered = sorted(cells, key=lambda c: (c.kind != "group", -len(c.members)))
    past = [s for s in history if s]
    blocks, vectors = _blocks([*past, *(c.members for c in ordered)])
    sizes = _sizes(blocks, minimum, weights)
    in_view, with_past = _Tracker(sizes), _Tracker(sizes)
    for vector in vectors[: len(past)]:
        with_past.commit(with_past.trial(vector))
    # an empty span derives nothing; the history's span normally derives nothing either
    # (its cells passed this guard), but say so only after checking (see ``_derivable_union``)
    past_clean = _derivable_union(with_past.residue, sizes, minimum) is None
    verdicts: dict[Hashable, Verdict] = {}
    for cell, vector in zip(ordered, vectors[len(past) :], strict=True):
        count = (
            len(cell.members) if weights is None else sum(weights.get(m, 1) for m in cell.members)
        )
        reason: Reason | None = None
        if count < minimum:
            reason = Reason.BELOW_MINIMUM
        elif 0 < cell.joined < minimum or 0 < cell.left < minimum:
            reason = Reason.CONSECUTIVE_WAVES
        else:
            trial = in_view.trial(vector)
            if _derivable_union(trial[1], sizes, minimum, _moved(in_view, trial)) is not None:
                reason = Reason.FILTER_REMAINDER if cell.kind == "filter" else Reason.REMAINDER
            else:
                trial_past = with_past.trial(vector)
                moved = _moved(with_past, trial_past) if past_clean else None
                if _derivable_union(trial_past[1], sizes, minimum, moved) is not None:
                    reason = Reason.RECENT_QUERIES
                else:
                    in_view.commit(trial)
                    with_past.commit(trial_past)
        verdicts[cell.key] = Verdict(cell.key, count, reason is None, reason)
    return verdicts


def _moved(
    tracker: _Tracker,
    trial: tuple[dict[int, Fraction], dict[int, dict[int, Fraction]]],
) -> set[int]:
    """The small blocks whose residue the trial vector changes (``_Tracker.trial`` keeps the
    very same residue object for the others)."""
    return {b for b, r in trial[1].items() if r is not tracker.residue[b]}


def shown_sets(
    cells: Iterable[Cell], verdicts: dict[Hashable, Verdict]
) -> list[frozenset[Hashable]]:
    """The member sets of the cells the guard let through (for the viewer's query log)."""
    return [c.members for c in cells if verdicts[c.key].shown]


def waves_change(before: Iterable[Hashable], now: Iterable[Hashable]) -> tuple[int, int]:
    """(joined, left) between two waves' responders of one group."""
    a, b = set(before), set(now)
    return len(b - a), len(a - b)
