"""Personal and team emotion cycles (情绪周期), on plain arrays. No Django.

A *cycle* is a calendar condition under which a person's mood is reliably
different from their other days: a weekday (Monday mornings are hard), the
month-end assessment period, the days after a big promotion (大促), or the
last working days before a public holiday (节前, when many look forward to it).

Each candidate condition is tested against the person's *other* days with a
two-sided Mann–Whitney U test (normal approximation with tie correction,
which is accurate for the group sizes we require). All candidate tests of one
person form one family, and Holm's step-down procedure keeps the chance of
reporting *any* false pattern for that person at or below ``alpha``. A
pattern must also be large enough to matter (``min_effect`` points on the
1–5 scale). With too few observations the answer is "not enough data", never
a guess.

Because every one-vs-rest test of one person uses the same pooled sample, the
ranks and the tie correction are computed once per person; each test then
costs one sum. ``naive_detect`` does the same with one ``scipy`` call per test
and is kept as the baseline for the benchmark and as a cross-check in tests.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

WEEKDAY = "weekday"
MONTH_END = "month_end"
AFTER_PROMOTION = "after_promotion"
BEFORE_HOLIDAY = "before_holiday"

# Big e-commerce promotion peaks (month, day): 618, Double 11, Double 12.
# A workforce calendar can pass its own dates instead.
DEFAULT_PROMOTIONS = ((6, 18), (11, 11), (12, 12))


@dataclass(frozen=True)
class CycleSettings:
    min_total: int = 20  # fewer observations in all: not enough data
    min_group: int = 8  # each side of a test needs at least this many days
    alpha: float = 0.05  # family-wise error rate per person (Holm)
    min_effect: float = 0.5  # smallest mean difference (points on 1–5) worth reporting
    month_end_days: int = 7  # the last N calendar days of a month (assessment week)
    after_promotion_days: int = 7  # the N days after a promotion peak
    before_holiday_days: int = 3  # the N calendar days before a public holiday begins


DEFAULTS = CycleSettings()


@dataclass(frozen=True)
class Pattern:
    """One tested condition: its evidence, whether it passed, and how strong it is."""

    kind: str  # WEEKDAY, MONTH_END, AFTER_PROMOTION, BEFORE_HOLIDAY
    key: int  # weekday 0–6 (Monday = 0); 0 for the others
    n_in: int
    n_out: int
    mean_in: float
    mean_out: float
    effect: float  # mean_in - mean_out; negative: lower mood under the condition
    rank_biserial: float  # effect size from U, in [-1, 1]
    p_value: float
    p_adjusted: float  # Holm-adjusted within the person's family of tests
    significant: bool = False

    @property
    def strength(self) -> str:
        """'strong', 'moderate' or '' (not reported)."""
        if not self.significant:
            return ""
        if self.p_adjusted < 0.001 and abs(self.effect) >= 1.0:
            return "strong"
        return "moderate"

    @property
    def is_low(self) -> bool:
        return self.effect < 0


@dataclass(frozen=True)
class CycleReport:
    """The result for one person (or one team's daily means)."""

    n: int
    enough_data: bool
    patterns: tuple[Pattern, ...] = ()  # significant ones, most extreme first
    tested: tuple[Pattern, ...] = field(default=(), repr=False)  # every test performed

    @property
    def needed(self) -> int:
        return DEFAULTS.min_total


def days_to_month_end(ordinals: np.ndarray) -> np.ndarray:
    """Calendar days left in the month (0 on the last day) for each day ordinal."""
    out = np.empty(len(ordinals), dtype=np.int64)
    cache: dict[int, int] = {}
    for i, o in enumerate(ordinals.tolist()):
        d = date.fromordinal(o)
        month_key = d.year * 12 + d.month
        last = cache.get(month_key)
        if last is None:
            last = date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]).toordinal()
            cache[month_key] = last
        out[i] = last - o
    return out


def promotion_peaks(start: date, end: date, peaks=DEFAULT_PROMOTIONS) -> list[date]:
    """Promotion peak days between ``start - 1 year`` and ``end``."""
    return [
        date(year, month, day)
        for year in range(start.year - 1, end.year + 1)
        for month, day in peaks
        if date(year, month, day) <= end
    ]


def _after_event_mask(ordinals: np.ndarray, events: Iterable[date], span: int) -> np.ndarray:
    mask = np.zeros(len(ordinals), dtype=bool)
    for event in events:
        e = event.toordinal()
        mask |= (ordinals > e) & (ordinals <= e + span)
    return mask


def before_holiday_mask(ordinals: np.ndarray, holidays: Iterable[date], span: int) -> np.ndarray:
    """True for the ``span`` calendar days before each run of consecutive holidays begins.

    ``holidays`` are the days off of public holidays (a run such as 1–7 October is one
    holiday); the holidays themselves are never "before" one, so a day between two close
    holidays counts only if it is not off.
    """
    off = np.fromiter((d.toordinal() for d in holidays), dtype=np.int64)
    mask = np.zeros(len(ordinals), dtype=bool)
    if not len(off):
        return mask
    off_set = set(off.tolist())
    for first in sorted(o for o in off_set if o - 1 not in off_set):
        mask |= (ordinals >= first - span) & (ordinals < first)
    return mask & ~np.isin(ordinals, off)


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _ranks(values: np.ndarray) -> tuple[np.ndarray, float]:
    """Mid-ranks of ``values`` and the tie term sum(t^3 - t)."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    n = len(values)
    # Boundaries of runs of equal values.
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, n))
    mid = starts + (counts + 1) / 2.0  # 1-based mid-rank of each run
    ranks = np.empty(n, dtype=float)
    ranks[order] = np.repeat(mid, counts)
    tie_term = float(np.sum(counts.astype(float) ** 3 - counts))
    return ranks, tie_term


def _mann_whitney(
    ranks: np.ndarray, tie_term: float, mask: np.ndarray, n: int
) -> tuple[float, float]:
    """Two-sided asymptotic Mann–Whitney U p-value (continuity-corrected) and rank-biserial r."""
    n1 = int(mask.sum())
    n2 = n - n1
    u1 = float(ranks[mask].sum()) - n1 * (n1 + 1) / 2.0
    mu = n1 * n2 / 2.0
    var = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)))
    r = 2.0 * u1 / (n1 * n2) - 1.0
    if var <= 0:
        return 1.0, r
    z = (abs(u1 - mu) - 0.5) / math.sqrt(var)
    return min(1.0, 2.0 * _norm_sf(max(z, 0.0))), r


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values (monotone, capped at 1)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _conditions(
    ordinals: np.ndarray,
    settings: CycleSettings,
    promotions: Sequence[date] | None,
    holidays: Sequence[date] = (),
) -> list[tuple[str, int, np.ndarray]]:
    weekdays = (ordinals + 6) % 7  # date.fromordinal(o).weekday() == (o + 6) % 7
    conditions = [(WEEKDAY, w, weekdays == w) for w in range(7)]
    conditions.append((MONTH_END, 0, days_to_month_end(ordinals) < settings.month_end_days))
    if promotions is None:
        first, last = date.fromordinal(int(ordinals.min())), date.fromordinal(int(ordinals.max()))
        promotions = promotion_peaks(first, last)
    if promotions:
        conditions.append(
            (AFTER_PROMOTION, 0, _after_event_mask(ordinals, promotions, settings.after_promotion_days))
        )
    if holidays:
        conditions.append(
            (BEFORE_HOLIDAY, 0, before_holiday_mask(ordinals, holidays, settings.before_holiday_days))
        )
    return conditions


def _finish(tested: list[Pattern], raw: list[float], settings: CycleSettings, n: int) -> CycleReport:
    adjusted = holm(raw)
    final = []
    for pattern, p_adj in zip(tested, adjusted, strict=True):
        significant = p_adj < settings.alpha and abs(pattern.effect) >= settings.min_effect
        final.append(
            Pattern(**{**pattern.__dict__, "p_adjusted": p_adj, "significant": significant})
        )
    found = sorted((p for p in final if p.significant), key=lambda p: (p.p_adjusted, -abs(p.effect)))
    return CycleReport(n=n, enough_data=True, patterns=tuple(found), tested=tuple(final))


def detect(
    days: Sequence[date] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    settings: CycleSettings = DEFAULTS,
    promotions: Sequence[date] | None = None,
    holidays: Sequence[date] = (),
) -> CycleReport:
    """Find a person's emotion cycles from one score per day.

    ``days`` are dates (or day ordinals), ``scores`` the mood on each (1–5).
    ``holidays`` are the public holidays' days off (the caller's calendar); without
    them the days before a holiday are not tested. Conditions with fewer than
    ``min_group`` days on either side are not tested, and so do not count in the
    multiple-comparison family.
    """
    ordinals = _as_ordinals(days)
    values = np.asarray(scores, dtype=float)
    n = len(values)
    if n < settings.min_total:
        return CycleReport(n=n, enough_data=False)
    ranks, tie_term = _ranks(values)
    tested: list[Pattern] = []
    raw: list[float] = []
    total = float(values.sum())
    for kind, key, mask in _conditions(ordinals, settings, promotions, holidays):
        n_in = int(mask.sum())
        n_out = n - n_in
        if n_in < settings.min_group or n_out < settings.min_group:
            continue
        p, r = _mann_whitney(ranks, tie_term, mask, n)
        sum_in = float(values[mask].sum())
        mean_in, mean_out = sum_in / n_in, (total - sum_in) / n_out
        tested.append(
            Pattern(kind, key, n_in, n_out, mean_in, mean_out, mean_in - mean_out, r, p, p)
        )
        raw.append(p)
    if not tested:
        return CycleReport(n=n, enough_data=False)
    return _finish(tested, raw, settings, n)


def naive_detect(
    days: Sequence[date] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    settings: CycleSettings = DEFAULTS,
    promotions: Sequence[date] | None = None,
    holidays: Sequence[date] = (),
) -> CycleReport:
    """The same analysis with one ``scipy.stats.mannwhitneyu`` call per test (baseline)."""
    from scipy.stats import mannwhitneyu

    ordinals = _as_ordinals(days)
    values = np.asarray(scores, dtype=float)
    n = len(values)
    if n < settings.min_total:
        return CycleReport(n=n, enough_data=False)
    tested, raw = [], []
    for kind, key, mask in _conditions(ordinals, settings, promotions, holidays):
        inside, outside = values[mask], values[~mask]
        if len(inside) < settings.min_group or len(outside) < settings.min_group:
            continue
        result = mannwhitneyu(inside, outside, alternative="two-sided", method="asymptotic")
        r = 2.0 * float(result.statistic) / (len(inside) * len(outside)) - 1.0
        p = float(result.pvalue)
        tested.append(
            Pattern(kind, key, len(inside), len(outside), float(inside.mean()),
                    float(outside.mean()), float(inside.mean() - outside.mean()), r, p, p)
        )
        raw.append(p)
    if not tested:
        return CycleReport(n=n, enough_data=False)
    return _finish(tested, raw, settings, n)


def _as_ordinals(days) -> np.ndarray:
    if isinstance(days, np.ndarray) and days.dtype.kind in "iu":
        return days.astype(np.int64)
    return np.fromiter(
        (d if isinstance(d, int) else d.toordinal() for d in days), dtype=np.int64
    )


def team_daily_means(
    rows: Iterable[tuple[date, float]], min_per_day: int = 5
) -> tuple[list[date], list[float]]:
    """Average the scores of each day; days with fewer than ``min_per_day`` scores are dropped."""
    sums: dict[date, list[float]] = {}
    for day, score in rows:
        sums.setdefault(day, []).append(score)
    days = sorted(d for d, v in sums.items() if len(v) >= min_per_day)
    return days, [sum(sums[d]) / len(sums[d]) for d in days]


def date_range(start: date, end: date) -> list[date]:
    """Every calendar day from ``start`` to ``end`` inclusive, weekends and holidays included.

    Customer-service teams work every day of the week; which of these days a team
    or a person actually works is for their schedule to say, not the calendar.
    """
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
