"""Channel quality past the hire date (渠道质量): plain Python, no Django.

Per source channel: applicants, hires and the hire rate (hires ÷ applicants), offers and
their acceptance (accepted ÷ decided offers), retention at 30/90/180 days by Kaplan–Meier
(``survival``; recent hires censored), and the mean QA score of the first 60 days after the
hire with its n. Correlations of a test score with 90-day retention and with that QA score
are shown only from ``MIN_N`` pairs up; below it the report says "not enough data".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .survival import Retention, curve, retention_at

MIN_N = 30
RETENTION_DAYS = (30, 90, 180)
TYPING_BANDS = (30, 50, 70)  # correct characters per minute


@dataclass(frozen=True)
class Applicant:
    channel: str
    offered: bool = False
    offer_accepted: bool | None = None  # None: no offer, or not decided yet
    hired_on: date | None = None
    left_on: date | None = None
    qa60: float | None = None  # mean QA score of the first 60 days after the hire
    typing: float | None = None  # net characters per minute of the typing test
    recruiter: str = ""
    interviewers: tuple[str, ...] = ()  # who submitted a scorecard on the candidate


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    applicants: int
    hires: int
    hire_rate: float | None
    offers_decided: int
    offers_accepted: int
    acceptance: float | None
    retention: tuple[Retention, ...]
    qa_mean: float | None
    qa_n: int
    curve: tuple[tuple[int, float], ...]


def _rate(a: int, b: int) -> float | None:
    return a / b if b else None


def follow_up(applicant: Applicant, today: date) -> tuple[int, bool] | None:
    """``(days followed, left)`` of a hire, or None for someone not hired (or hired in the future)."""
    if applicant.hired_on is None or applicant.hired_on > today:
        return None
    if applicant.left_on is not None and applicant.left_on <= today:
        return max(0, (applicant.left_on - applicant.hired_on).days), True
    return (today - applicant.hired_on).days, False


def channel_rows(
    applicants: Iterable[Applicant], today: date, *, until: int = 180
) -> list[ChannelRow]:
    """One row per source channel."""
    return group_rows(applicants, today, lambda a: (a.channel,), until=until)


def typing_band_label(applicant: Applicant, bands: Sequence[int] = TYPING_BANDS) -> tuple[str, ...]:
    """The typing band as a label ("< 30", "30–49", "50–69", "≥ 70"); none without a score."""
    if applicant.typing is None:
        return ()
    edges = list(bands)
    for n, edge in enumerate(edges):
        if applicant.typing < edge:
            return (f"< {edge}",) if n == 0 else (f"{edges[n - 1]}–{edge - 1}",)
    return (f"≥ {edges[-1]}",)


def group_rows(
    applicants: Iterable[Applicant],
    today: date,
    key: Callable[[Applicant], Iterable[str]],
    *,
    until: int = 180,
) -> list[ChannelRow]:
    """The same figures grouped by ``key`` (channel, recruiter, typing band, interviewer): an
    applicant counts in every group ``key`` names (a candidate seen by two interviewers counts
    for both), and in none when it names none. ``channel`` of each row holds the group."""
    by_channel: dict[str, list[Applicant]] = defaultdict(list)
    for a in applicants:
        for label in key(a):
            by_channel[label].append(a)
    rows = []
    for channel, group in by_channel.items():
        hires = [f for a in group if (f := follow_up(a, today)) is not None]
        decided = [a for a in group if a.offered and a.offer_accepted is not None]
        qa = [a.qa60 for a in group if a.qa60 is not None]
        rows.append(
            ChannelRow(
                channel,
                len(group),
                len(hires),
                _rate(len(hires), len(group)),
                len(decided),
                sum(1 for a in decided if a.offer_accepted),
                _rate(sum(1 for a in decided if a.offer_accepted), len(decided)),
                tuple(retention_at(hires, RETENTION_DAYS)) if hires else (),
                sum(qa) / len(qa) if qa else None,
                len(qa),
                tuple(curve(hires, until)) if hires else (),
            )
        )
    return rows


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


@dataclass(frozen=True)
class Correlation:
    n: int
    r: float | None  # None below MIN_N pairs ("not enough data") or without spread

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N


def correlate(pairs: Iterable[tuple[float, float]]) -> Correlation:
    pairs = list(pairs)
    if len(pairs) < MIN_N:
        return Correlation(len(pairs), None)
    return Correlation(len(pairs), pearson([p[0] for p in pairs], [p[1] for p in pairs]))


def typing_vs_retention(applicants: Iterable[Applicant], today: date, day: int = 90) -> Correlation:
    """Typing score against staying ``day`` days (1/0), over hires followed that long or gone before."""
    pairs = []
    for a in applicants:
        f = follow_up(a, today)
        if f is None or a.typing is None:
            continue
        days, left = f
        if left and days <= day:
            pairs.append((a.typing, 0.0))
        elif days >= day:
            pairs.append((a.typing, 1.0))
    return correlate(pairs)


def typing_vs_qa(applicants: Iterable[Applicant]) -> Correlation:
    return correlate(
        (a.typing, a.qa60) for a in applicants if a.typing is not None and a.qa60 is not None
    )
