"""Promotion profiles: what an event family does to the days around its peak.

A 大促 is not one day. 双11 has an evening pre-sale launch ten days or so before,
a build-up, the peak day with a midnight launch, and an after-sales tail; 618,
双12, 年货节 and a shop's own sales each have their own version. The user lists
only each occurrence's peak day; this module learns the rest from the past
occurrences in the history, per **family** (the event's family, or its name).

Daily effect
    For every past occurrence ``j`` and every offset ``k`` (days from its peak) in
    the search range (``ForecastConfig.event_days_before`` … ``event_days_after``)
    the history gives ``r = log((y + ½) / (μ + ½))``: the day's volume against what
    the calendar model alone expects (weekday, holidays, trend, season). Each
    ``r`` is one noisy look at the true effect ``θ_k``, with two sources of noise:
    Poisson noise (variance ≈ 1/μ) and the occurrence's own deviation (this
    year's 双11 bigger or smaller than the family's), variance ``σ²``.

    Empirical Bayes, two levels deep:

    * ``σ²`` is estimated from names with two or more occurrences (the spread of
      ``r`` between occurrences of the same offset), combined with a prior
      (``event_occurrence_sd``, worth four degrees of freedom) so one past year
      does not make it zero;
    * the **family** mean ``F_k`` (precision-weighted over its occurrences, with
      variance ``s²_k``) is shrunk towards the calendar (no effect) by
      ``τ²_k / (τ²_k + s²_k)``, where the prior variance ``τ²_k`` is the method-of-
      moments estimate ``F² − s²`` averaged over the offset and its two
      neighbours (effects come in runs of days). A strong peak keeps nearly all
      of its effect after one occurrence; a day whose apparent effect is within
      the noise shrinks to nothing;
    * a **name** inside a family with several names (a shop's "anniversary sale"
      in family 大促) is shrunk towards its family's profile the same way, with
      the between-name variance estimated from the data (prior ``event_name_sd``).
      A name never seen before gets the family's profile.

    The family's **window** is the span of offsets, peak included, whose shrunk
    effect is at least ``event_min_effect`` (in log terms); days outside it are
    left to the calendar model.

Intraday shape
    For every offset in the window, each past occurrence's day is compared slot
    by slot with the calendar's profile for that day: ``O_s`` contacts observed,
    ``E_s`` expected from the day's total and the calendar's shape. The ratio
    ``ρ_s`` gets a Gamma(α, α) prior (mean 1: the calendar's shape) whose
    variance ``1/α`` is estimated by moments, ``Σ((O − E)² − O) / ΣE²``; the
    posterior mean is ``(O_s + α) / (E_s + α)``. A midnight launch (the first
    hour of 双11 several times its usual share) is far outside Poisson noise, so
    it is kept after one occurrence; an after-sales day shaped like any weekday
    shrinks back to the calendar's shape. The forecast's shape is the target
    day's calendar profile times ``ρ``, normalised.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .forecast_events import Event, profiled_events

# A prior of this many degrees of freedom holds the occurrence variance until the data say more.
_PRIOR_DF = 4.0


@dataclass(frozen=True)
class Occurrence:
    """One listed peak day of a profiled event."""

    name: str
    family: str
    peak: dt.date


def occurrences(events: Sequence[Event]) -> list[Occurrence]:
    """The profiled events' peaks, once each, in date order."""
    seen = {
        (e.name, e.peak_day): Occurrence(e.name, e.family_name, e.peak_day)
        for e in profiled_events(events)
    }
    return sorted(seen.values(), key=lambda o: (o.peak, o.name))


def nearest_occurrence(
    day: dt.date, occs: Sequence[Occurrence], windows: dict[str, tuple[int, int]]
) -> tuple[Occurrence, int] | None:
    """The occurrence whose window holds ``day`` with the nearest peak, and the offset."""
    best: tuple[Occurrence, int] | None = None
    for o in occs:
        window = windows.get(o.family)
        if window is None:
            continue
        k = (day - o.peak).days
        if window[0] <= k <= window[1] and (best is None or abs(k) < abs(best[1])):
            best = (o, k)
    return best


@dataclass(frozen=True)
class EffectSample:
    """One past day near a peak: its log volume ratio to the calendar, and Poisson variance."""

    occurrence: Occurrence
    offset: int
    log_ratio: float
    poisson_var: float


@dataclass(frozen=True)
class DayShape:
    """How a day near a peak spreads its volume over the day.

    ``excess`` is the shape of the contacts above what the calendar expects (the
    midnight rush), used when the day is well above the calendar; otherwise
    ``ratio`` multiplies the calendar's shape.
    """

    ratio: np.ndarray
    excess: np.ndarray | None

    def spread(self, calendar_shape: np.ndarray, calendar_total: float, total: float) -> np.ndarray:
        """The day's share per slot, given the calendar's shape and total and the day's total."""
        if self.excess is not None and total > calendar_total:
            vol = calendar_total * calendar_shape + (total - calendar_total) * self.excess
            return _normalise(np.maximum(vol, 0.0))
        return _normalise(calendar_shape * self.ratio)


def _normalise(v: np.ndarray) -> np.ndarray:
    total = float(v.sum())
    out: np.ndarray = v / total if total > 0 else np.full(v.shape, 1.0 / v.size)
    return out


@dataclass
class FamilyProfile:
    family: str
    occurrences: int  # past occurrences with data near the peak
    window: tuple[int, int]  # first and last offset with an effect
    effect: dict[int, float]  # log effect per offset in the window, after shrinkage
    raw: dict[int, float]  # the family's mean log ratio per searched offset, before
    kept: dict[int, float]  # the share of ``raw`` kept by the shrinkage (1 = none shrunk)
    shape: dict[int, DayShape] = field(default_factory=dict)  # intraday, per offset

    @property
    def peak_uplift(self) -> float:
        return math.exp(self.effect.get(0, 0.0))


@dataclass
class EventProfiles:
    families: dict[str, FamilyProfile]
    names: dict[str, dict[int, float]]  # name -> offset -> log effect (shrunk to its family)
    occurrence_sd: float  # between-occurrence sd of the log effect (the σ above)

    @property
    def windows(self) -> dict[str, tuple[int, int]]:
        return {f: p.window for f, p in self.families.items()}

    def log_effect(self, occ: Occurrence, offset: int) -> float:
        family = self.families.get(occ.family)
        if family is None or not family.window[0] <= offset <= family.window[1]:
            return 0.0
        own = self.names.get(occ.name)
        if own is not None and offset in own:
            return own[offset]
        return family.effect.get(offset, 0.0)

    def uplift(self, name: str, family: str) -> float | None:
        """The peak day's uplift of ``name`` (its family's when it has none of its own)."""
        profile = self.families.get(family)
        if profile is None:
            return None
        own = self.names.get(name, {})
        return math.exp(own.get(0, profile.effect.get(0, 0.0)))


def _pooled_variance(groups: dict[object, list[EffectSample]]) -> tuple[float, float]:
    """Between-occurrence variance from groups of two or more, and its degrees of freedom."""
    ss = df = pv = n = 0.0
    for xs in groups.values():
        if len(xs) < 2:
            continue
        r = np.array([x.log_ratio for x in xs])
        ss += float(((r - r.mean()) ** 2).sum())
        df += len(xs) - 1
        pv += sum(x.poisson_var for x in xs)
        n += len(xs)
    if df == 0:
        return 0.0, 0.0
    return max(ss / df - pv / n, 0.0), df


def _shrink_to_zero(means: dict[int, float], variances: dict[int, float]) -> dict[int, float]:
    """Share of each offset's mean kept: τ²/(τ² + s²), τ² by moments over neighbours."""
    excess = {k: means[k] ** 2 - variances[k] for k in means}
    kept = {}
    for k in means:
        near = [excess[j] for j in (k - 1, k, k + 1) if j in excess]
        tau2 = max(float(np.mean(near)), 0.0)
        kept[k] = tau2 / (tau2 + variances[k]) if tau2 > 0 else 0.0
    return kept


def learn_effects(
    samples: Sequence[EffectSample],
    *,
    occurrence_sd: float,
    name_sd: float,
    min_effect: float,
) -> EventProfiles:
    """Daily effects per family and name, shrunk as the module's docstring says."""
    by_name: dict[object, list[EffectSample]] = defaultdict(list)
    by_family: dict[str, dict[int, list[EffectSample]]] = defaultdict(lambda: defaultdict(list))
    for s in samples:
        by_name[(s.occurrence.name, s.offset)].append(s)
        by_family[s.occurrence.family][s.offset].append(s)
    s2, df = _pooled_variance(by_name)
    sigma2 = (df * s2 + _PRIOR_DF * occurrence_sd**2) / (df + _PRIOR_DF)

    def mean_var(xs: Sequence[EffectSample]) -> tuple[float, float]:
        w = np.array([1.0 / (sigma2 + x.poisson_var) for x in xs])
        r = np.array([x.log_ratio for x in xs])
        return float((w * r).sum() / w.sum()), float(1.0 / w.sum())

    families: dict[str, FamilyProfile] = {}
    name_stats: dict[tuple[str, int], tuple[str, float, float]] = {}
    for family, offsets in by_family.items():
        means, variances = {}, {}
        for k, xs in offsets.items():
            means[k], variances[k] = mean_var(xs)
        kept = _shrink_to_zero(means, variances)
        effect = {k: kept[k] * means[k] for k in means}
        strong = [k for k, v in effect.items() if abs(v) >= min_effect]
        window = (min([0, *strong]), max([0, *strong]))
        peaks = {x.occurrence.peak for xs in offsets.values() for x in xs}
        families[family] = FamilyProfile(
            family,
            len(peaks),
            window,
            {k: effect.get(k, 0.0) for k in range(window[0], window[1] + 1)},
            means,
            kept,
        )
        names = {x.occurrence.name for xs in offsets.values() for x in xs}
        if len(names) > 1:
            for name in names:
                for k, xs in offsets.items():
                    own = [x for x in xs if x.occurrence.name == name]
                    if own:
                        m, v = mean_var(own)
                        name_stats[(name, k)] = (family, m, v)
    # between-name variance inside families, by moments, with a prior
    num = [
        (m - families[f].effect.get(k, 0.0)) ** 2 - v for (_, k), (f, m, v) in name_stats.items()
    ]
    tau2 = (sum(num) + _PRIOR_DF * name_sd**2) / (len(num) + _PRIOR_DF)
    tau2 = max(tau2, 1e-6)
    names_out: dict[str, dict[int, float]] = defaultdict(dict)
    for (name, k), (f, m, v) in name_stats.items():
        profile = families[f]
        if profile.window[0] <= k <= profile.window[1]:
            base = profile.effect.get(k, 0.0)
            names_out[name][k] = base + tau2 / (tau2 + v) * (m - base)
    return EventProfiles(families, dict(names_out), math.sqrt(sigma2))


def shape_ratio(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Per-slot ratio of observed to expected contacts, shrunk toward 1 (Gamma–Poisson EB)."""
    den = float((expected**2).sum())
    if den <= 0:
        return np.ones_like(expected)
    tau2 = float(((observed - expected) ** 2 - observed).sum()) / den
    if tau2 <= 0:
        return np.ones_like(expected)
    alpha = 1.0 / tau2
    ratio: np.ndarray = (observed + alpha) / (expected + alpha)
    return ratio


@dataclass
class ShapeSums:
    """Sums over the past days at one offset from a family's peaks."""

    observed: np.ndarray  # contacts per slot
    expected: np.ndarray  # the day's total spread by the calendar's shape
    calendar: np.ndarray  # the calendar model's total spread by the calendar's shape
    total: float = 0.0  # contacts
    calendar_total: float = 0.0  # what the calendar model expected

    def add(self, volume: np.ndarray, shape: np.ndarray, calendar_total: float) -> None:
        total = float(volume.sum())
        self.observed += volume
        self.expected += total * shape
        self.calendar += calendar_total * shape
        self.total += total
        self.calendar_total += calendar_total


def _kernel(slots: int) -> np.ndarray:
    """A triangular kernel about half an hour either side (none on an hourly grid)."""
    half = max(round(slots / 48), 0)
    k = np.array([half + 1.0 - abs(i) for i in range(-half, half + 1)])
    out: np.ndarray = k / k.sum()
    return out


def smooth(v: np.ndarray) -> np.ndarray:
    """A light moving average over neighbouring slots, renormalised at the day's edges
    (a midnight launch stays at midnight)."""
    kernel = _kernel(v.size)
    num = np.convolve(v, kernel, mode="same")
    den = np.convolve(np.ones_like(v), kernel, mode="same")
    out: np.ndarray = num / den
    return out


def day_shape(sums: ShapeSums, min_excess: float) -> DayShape:
    """The shrunk ratio, and the excess's own shape when the days were ``min_excess`` above."""
    ratio = np.exp(smooth(np.log(shape_ratio(sums.observed, sums.expected))))
    x = sums.total - sums.calendar_total
    if x < min_excess * sums.total:
        return DayShape(ratio, None)
    # the extra contacts' share per slot, shrunk toward the calendar's shape of the same
    # days (Normal EB, in share units, Poisson variance O/x² per slot): where the calendar
    # expects almost nothing (a midnight launch) a ratio prior would shrink too hard
    raw = smooth((sums.observed - sums.calendar) / x)
    prior = smooth((sums.expected - sums.calendar) / x)
    noise = float((_kernel(raw.size) ** 2).sum()) * smooth(sums.observed) / x**2
    tau2 = max(float(np.mean((raw - prior) ** 2 - noise)), 0.0)
    kept = tau2 / (tau2 + np.maximum(noise, 1e-300)) if tau2 > 0 else np.zeros_like(raw)
    excess = np.maximum(prior + kept * (raw - prior), 0.0)
    return DayShape(ratio, _normalise(excess))
