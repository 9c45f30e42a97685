"""Channel quality past the hire date (渠道质量): plain Python, no Django.

Per source channel: applicants, hires and the hire rate (hires ÷ applicants), offers and
their acceptance (accepted ÷ decided offers), retention at 30/90/180 days by Kaplan–Meier
(``survival``; recent hires censored), the mean QA score of the first 60 days after the
hire with its n, the nesting graduation rate, AHT 60 and 90 days in against the tenured
median, the cost per hire still here at 90 days, and interview time per hire. Correlations of a test score with 90-day retention and with that QA score
are shown only from ``MIN_N`` pairs up; below it the report says "not enough data".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .survival import Retention, curve, kaplan_meier, retention_at

MIN_N = 30
RETENTION_DAYS = (30, 90, 180)
TYPING_BANDS = (30, 50, 70)  # correct characters per minute
SHARE_BANDS = (50, 70, 85)  # per cent: situational judgement and listening


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
    sjt: float | None = None  # situational judgement, share of the best possible 0–1
    listening: float | None = None  # listening comprehension, share correct 0–1
    nesting: bool | None = None  # True graduated, False did not; None open or never in nesting
    aht60: float | None = None  # seconds, days 30–59 after the hire (None: window not over)
    aht90: float | None = None  # seconds, days 60–89 after the hire
    cost: float = 0.0  # this applicant's share of its channel's cost (yuan)
    interview_minutes: float = 0.0  # interviewer-minutes spent on the candidate


@dataclass(frozen=True)
class Prepared:
    """An applicant with what every grouping needs, computed once (not once per grouping)."""

    applicant: Applicant
    follow: tuple[int, bool] | None  # (days followed, left); None: not hired
    stayed90: bool | None  # still here 90 days after the hire; None: not hired or not known yet


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
    graduation: float | None = None  # nesting graduation rate
    graduation_n: int = 0  # hires whose nesting has ended (graduated or not)
    aht60: float | None = None  # mean of the hires' AHT at 60 days ÷ the tenured median
    aht60_n: int = 0
    aht90: float | None = None
    aht90_n: int = 0
    cost: float = 0.0
    retained90: int = 0  # hires still here 90 days after the hire
    cost_per_retained: float | None = None
    interview_minutes: float = 0.0
    minutes_per_hire: float | None = None


def _rate(a: int, b: int) -> float | None:
    return a / b if b else None


def follow_up(applicant: Applicant, today: date) -> tuple[int, bool] | None:
    """``(days followed, left)`` of a hire, or None for someone not hired (or hired in the future)."""
    if applicant.hired_on is None or applicant.hired_on > today:
        return None
    if applicant.left_on is not None and applicant.left_on <= today:
        return max(0, (applicant.left_on - applicant.hired_on).days), True
    return (today - applicant.hired_on).days, False


def stayed(follow: tuple[int, bool] | None, day: int = 90) -> bool | None:
    """Still here ``day`` days after the hire: False when they left within it, None when not
    known yet (hired less than ``day`` days ago and still here) or not hired."""
    if follow is None:
        return None
    days, left = follow
    if left and days <= day:
        return False
    return True if days >= day else None


class PreparedList(list):
    """Applicants already prepared (``prepare``'s result): grouping them again costs nothing."""


def prepare(applicants: Iterable[Applicant | Prepared], today: date) -> list[Prepared]:
    if isinstance(applicants, PreparedList):
        return applicants
    out = PreparedList()
    for a in applicants:
        if isinstance(a, Prepared):
            out.append(a)
        else:
            f = follow_up(a, today)
            out.append(Prepared(a, f, stayed(f)))
    return out


def channel_rows(
    applicants: Iterable[Applicant | Prepared], today: date, *, until: int = 180, **options
) -> list[ChannelRow]:
    """One row per source channel."""
    return group_rows(applicants, today, lambda a: (a.channel,), until=until, **options)


def band_label(value: float | None, bands: Sequence[int], unit: str = "") -> tuple[str, ...]:
    """The band of a value as a label ("< 30", "30–49", …, "≥ 70"); none without a value."""
    if value is None:
        return ()
    edges = list(bands)
    for n, edge in enumerate(edges):
        if value < edge:
            return (f"< {edge}{unit}",) if n == 0 else (f"{edges[n - 1]}–{edge - 1}{unit}",)
    return (f"≥ {edges[-1]}{unit}",)


def typing_band_label(applicant: Applicant, bands: Sequence[int] = TYPING_BANDS) -> tuple[str, ...]:
    """The typing band as a label ("< 30", "30–49", "50–69", "≥ 70"); none without a score."""
    return band_label(applicant.typing, bands)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def sjt_band_label(applicant: Applicant, bands: Sequence[int] = SHARE_BANDS) -> tuple[str, ...]:
    """The situational-judgement band on the share of the best possible, in per cent."""
    return band_label(_percent(applicant.sjt), bands, " %")


def listening_band_label(
    applicant: Applicant, bands: Sequence[int] = SHARE_BANDS
) -> tuple[str, ...]:
    """The listening-comprehension band on the share answered correctly, in per cent."""
    return band_label(_percent(applicant.listening), bands, " %")


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def group_rows(
    applicants: Iterable[Applicant | Prepared],
    today: date,
    key: Callable[[Applicant], Iterable[str]],
    *,
    until: int = 180,
    tenured_aht: float | None = None,
    curves: bool = True,
) -> list[ChannelRow]:
    """The same figures grouped by ``key`` (channel, recruiter, test band, interviewer): an
    applicant counts in every group ``key`` names (a candidate seen by two interviewers counts
    for both), and in none when it names none. ``channel`` of each row holds the group.

    Pass the applicants through ``prepare`` once when grouping them several ways. The AHT
    figures are ratios to ``tenured_aht`` (None without it). ``curves=False`` leaves out the
    step chart's points (the report draws the channels' curves only)."""
    by_group: dict[str, list[Prepared]] = defaultdict(list)
    for p in prepare(applicants, today):
        for label in key(p.applicant):
            by_group[label].append(p)
    rows = []
    for label, group in by_group.items():
        hires = [p.follow for p in group if p.follow is not None]
        decided = [
            p.applicant
            for p in group
            if p.applicant.offered and p.applicant.offer_accepted is not None
        ]
        accepted = sum(1 for a in decided if a.offer_accepted)
        qa = [p.applicant.qa60 for p in group if p.applicant.qa60 is not None]
        hired = [p.applicant for p in group if p.follow is not None]
        ended = [a.nesting for a in hired if a.nesting is not None]
        aht60 = [a.aht60 for a in hired if a.aht60 is not None]
        aht90 = [a.aht90 for a in hired if a.aht90 is not None]
        cost = sum(p.applicant.cost for p in group)
        retained = sum(1 for p in group if p.stayed90)
        minutes = sum(p.applicant.interview_minutes for p in group)
        mean60, mean90 = _mean(aht60), _mean(aht90)
        steps = kaplan_meier(hires) if hires else []
        rows.append(
            ChannelRow(
                label,
                len(group),
                len(hires),
                _rate(len(hires), len(group)),
                len(decided),
                accepted,
                _rate(accepted, len(decided)),
                tuple(retention_at(hires, RETENTION_DAYS, steps)) if hires else (),
                _mean(qa),
                len(qa),
                tuple(curve(hires, until, steps)) if hires and curves else (),
                graduation=_rate(sum(1 for e in ended if e), len(ended)),
                graduation_n=len(ended),
                aht60=mean60 / tenured_aht if mean60 is not None and tenured_aht else None,
                aht60_n=len(aht60),
                aht90=mean90 / tenured_aht if mean90 is not None and tenured_aht else None,
                aht90_n=len(aht90),
                cost=cost,
                retained90=retained,
                cost_per_retained=cost / retained if cost and retained else None,
                interview_minutes=minutes,
                minutes_per_hire=minutes / len(hires) if minutes and hires else None,
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


def score_vs_retention(
    applicants: Iterable[Applicant | Prepared], today: date, test: str = "typing"
) -> Correlation:
    """A test's score (``test``: the Applicant field) against staying 90 days (1/0), over hires
    followed that long or gone before."""
    pairs = []
    for p in prepare(applicants, today):
        score = getattr(p.applicant, test)
        if score is not None and p.stayed90 is not None:
            pairs.append((score, 1.0 if p.stayed90 else 0.0))
    return correlate(pairs)


def score_vs_qa(applicants: Iterable[Applicant | Prepared], test: str = "typing") -> Correlation:
    found = (p.applicant if isinstance(p, Prepared) else p for p in applicants)
    return correlate(
        (getattr(a, test), a.qa60)
        for a in found
        if getattr(a, test) is not None and a.qa60 is not None
    )


def typing_vs_retention(
    applicants: Iterable[Applicant | Prepared], today: date, day: int = 90
) -> Correlation:
    """Typing score against staying 90 days (1/0), over hires followed that long or gone before."""
    return score_vs_retention(applicants, today, "typing")


def typing_vs_qa(applicants: Iterable[Applicant | Prepared]) -> Correlation:
    return score_vs_qa(applicants, "typing")
