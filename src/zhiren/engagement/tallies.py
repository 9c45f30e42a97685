"""The per-atom running sums of a wave's answers (``Tally``): kept, checked, rebuilt.

``record_sheet`` adds a sheet to its atom's tally in the transaction that stores it;
``atoms`` returns a wave's tallies, rebuilding them from the answers once if their counts
disagree with the stored sheets and comments (data planted by an import or the demo, a
sheet deleted under the privacy rules). The results page reads only these.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from . import tally
from .items import factors_of
from .models import Comment, Response, Tally, Wave


def layout(wave: Wave) -> tally.Layout:
    return tally.Layout.of(list(wave.items), factors_of(wave.items))


@dataclass(frozen=True)
class Atom:
    team_id: int | None
    tenure_band: str
    channel: str
    sums: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.team_id or ''}|{self.tenure_band}|{self.channel}"

    @property
    def sheets(self) -> int:
        return self.sums[tally.SHEETS]

    @property
    def comments(self) -> int:
        return self.sums[tally.COMMENTS]


def record_sheet(
    wave: Wave,
    *,
    team_id: int | None,
    tenure_band: str,
    channel: str,
    answers: dict,
    enps: int | None,
    comments: int,
) -> None:
    """Add one sheet to its atom's tally (call inside the transaction that stores the sheet)."""
    shape = layout(wave)
    sheet = tally.of_sheet(shape, answers, enps, comments)
    with transaction.atomic():
        row = (
            Tally.objects.select_for_update()
            .filter(wave=wave, team_id=team_id, tenure_band=tenure_band, channel=channel)
            .first()
        )
        if row is None:
            Tally.objects.create(
                wave=wave, team_id=team_id, tenure_band=tenure_band, channel=channel, sums=sheet
            )
        elif len(row.sums) == len(sheet):
            row.sums = tally.add(row.sums, sheet)
            row.save(update_fields=["sums"])


@transaction.atomic
def rebuild(wave: Wave) -> None:
    """Recompute the wave's tallies from its answers and comments (one read of each)."""
    shape = layout(wave)
    sums: dict[tuple, list[int]] = {}
    for team_id, band, channel, answers, enps in Response.objects.filter(wave=wave).values_list(
        "team_id", "tenure_band", "channel", "answers", "enps"
    ):
        key = (team_id, band, channel)
        sums[key] = tally.add(
            sums.get(key) or tally.empty(shape), tally.of_sheet(shape, answers, enps)
        )
    comments = Counter(
        Comment.objects.filter(wave=wave).values_list("team_id", "tenure_band", "channel")
    )
    for key, n in comments.items():
        sums.setdefault(key, tally.empty(shape))[tally.COMMENTS] += n
    Tally.objects.filter(wave=wave).delete()
    Tally.objects.bulk_create(
        [
            Tally(wave=wave, team_id=t, tenure_band=b, channel=c, sums=v)
            for (t, b, c), v in sums.items()
        ]
    )


def atoms(wave: Wave) -> list[Atom]:
    """The wave's tallies, one per atom, rebuilt first if they disagree with the answers."""
    for attempt in range(2):
        rows = list(
            Tally.objects.filter(wave=wave).values_list("team_id", "tenure_band", "channel", "sums")
        )
        merged: dict[tuple, list[int]] = {}
        size = layout(wave).size
        fresh = all(len(v) == size for *_k, v in rows)
        for team_id, band, channel, sums in rows:
            key = (team_id, band, channel)
            merged[key] = tally.add(merged[key], sums) if key in merged else list(sums)
        sheets = sum(v[tally.SHEETS] for v in merged.values()) if fresh else -1
        said = sum(v[tally.COMMENTS] for v in merged.values()) if fresh else -1
        if attempt or (
            sheets == Response.objects.filter(wave=wave).count()
            and said == Comment.objects.filter(wave=wave).count()
        ):
            return [Atom(t, b, c, tuple(v)) for (t, b, c), v in sorted(merged.items(), key=str)]
        rebuild(wave)
    return []  # pragma: no cover - the loop always returns
