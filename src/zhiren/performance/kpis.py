"""KPI definitions: each KPI is a formula over additive sums (a rollup row, or a sum of rows).

Pure Python: no database. ``docs/performance-kpis.md`` states the same
definitions for people. A KPI whose denominator is zero is ``None`` — *missing*,
never zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from statistics import median

from django.utils.translation import gettext_lazy as _

# Service-level thresholds by channel (seconds to answer / to first response).
SL_THRESHOLDS = {"voice": 20, "chat": 30, "email": 24 * 3600, "ticket": 24 * 3600}
SHORT_ABANDON_SECONDS = 5  # callers who hang up within this are left out of SL and abandon rate
REPEAT_WINDOW_DAYS = 7  # FCR window: same customer again within this many days → not resolved first time

SUM_FIELDS = (
    "offered",
    "short_abandoned",
    "abandoned",
    "answered",
    "answered_in_sl",
    "wait_sum",
    "handle_sum",
    "talk_sum",
    "hold_sum",
    "acw_sum",
    "frt_count",
    "frt_sum",
    "resolution_known",
    "resolved",
    "fcr_base",
    "fcr_hits",
    "transferred",
    "csat_count",
    "csat_top2",
    "csat_sum",
    "nps_count",
    "nps_promoters",
    "nps_detractors",
)

Sums = Mapping[str, float | int | None]


def _ratio(num: float, den: float, scale: float = 1.0) -> float | None:
    return None if not den else scale * num / den


def _get(s: Sums, key: str) -> float:
    return s.get(key) or 0


@dataclass(frozen=True)
class Kpi:
    code: str
    label: object
    unit: str  # "count", "seconds", "percent", "score"
    higher_is_better: bool
    formula: Callable[[Sums], float | None]
    default_target: float | None = None
    # The denominator of a rate or an average (None for a count): the volume a value is
    # "per", so that values of parts combine weighted by it.
    base: Callable[[Sums], float] | None = None

    def value(self, sums: Sums) -> float | None:
        return self.formula(sums)

    def weight(self, sums: Sums) -> float:
        """The volume behind the value (its denominator); 0 for a count KPI."""
        return max(0.0, float(self.base(sums))) if self.base else 0.0

    def meets(self, value: float | None, target: float | None) -> bool | None:
        if value is None or target is None:
            return None
        return value >= target if self.higher_is_better else value <= target

    def gap(self, value: float | None, target: float | None) -> float | None:
        """How far below target (positive = short of it), in the KPI's unit."""
        if value is None or target is None:
            return None
        return target - value if self.higher_is_better else value - target


def _sl_base(s: Sums) -> float:
    return _get(s, "offered") - _get(s, "short_abandoned")


def _sl(s: Sums) -> float | None:
    return _ratio(_get(s, "answered_in_sl"), _sl_base(s), 100)


def _abandon(s: Sums) -> float | None:
    return _ratio(_get(s, "abandoned") - _get(s, "short_abandoned"), _sl_base(s), 100)


def _field(name: str) -> Callable[[Sums], float]:
    return lambda s: _get(s, name)


def _nps(s: Sums) -> float | None:
    return _ratio(_get(s, "nps_promoters") - _get(s, "nps_detractors"), _get(s, "nps_count"), 100)


KPIS: dict[str, Kpi] = {
    k.code: k
    for k in (
        Kpi("volume", _("Contacts handled"), "count", True, lambda s: _get(s, "answered")),
        Kpi("offered", _("Contacts offered"), "count", True, lambda s: _get(s, "offered")),
        Kpi("aht", _("Average handle time"), "seconds", False,
            lambda s: _ratio(_get(s, "handle_sum"), _get(s, "answered")), 360, _field("answered")),
        Kpi("asa", _("Average speed of answer"), "seconds", False,
            lambda s: _ratio(_get(s, "wait_sum"), _get(s, "answered")), 20, _field("answered")),
        Kpi("service_level", _("Service level"), "percent", True, _sl, 80, _sl_base),
        Kpi("abandon_rate", _("Abandon rate"), "percent", False, _abandon, 5, _sl_base),
        Kpi("frt", _("First response time"), "seconds", False,
            lambda s: _ratio(_get(s, "frt_sum"), _get(s, "frt_count")), 30, _field("frt_count")),
        Kpi("resolution_rate", _("Resolution rate"), "percent", True,
            lambda s: _ratio(_get(s, "resolved"), _get(s, "resolution_known"), 100), 85,
            _field("resolution_known")),
        Kpi("fcr", _("First contact resolution"), "percent", True,
            lambda s: _ratio(_get(s, "fcr_hits"), _get(s, "fcr_base"), 100), 75, _field("fcr_base")),
        Kpi("csat", _("Customer satisfaction"), "percent", True,
            lambda s: _ratio(_get(s, "csat_top2"), _get(s, "csat_count"), 100), 85, _field("csat_count")),
        Kpi("csat_avg", _("Average satisfaction score"), "score", True,
            lambda s: _ratio(_get(s, "csat_sum"), _get(s, "csat_count")), 4.3, _field("csat_count")),
        Kpi("nps", _("Net promoter score"), "score", True, _nps, 30, _field("nps_count")),
        Kpi("transfer_rate", _("Transfer rate"), "percent", False,
            lambda s: _ratio(_get(s, "transferred"), _get(s, "answered"), 100), 10, _field("answered")),
    )
}
KPI_CHOICES = [(k.code, k.label) for k in KPIS.values()]


class _Reads(dict):
    """A stand-in for sums that notes which fields a formula reads."""

    def __init__(self) -> None:
        super().__init__()
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return 1


def fields_of(*codes: str) -> tuple[str, ...]:
    """The sum fields the given KPIs' formulas read, in ``SUM_FIELDS`` order (to select no more)."""
    reads = _Reads()
    for code in codes:
        KPIS[code].value(reads)
        if KPIS[code].base:
            KPIS[code].base(reads)
    return tuple(f for f in SUM_FIELDS if f in reads.read)
# KPIs that make sense for one agent (queue measures such as SL and abandons do not).
AGENT_KPIS = ("volume", "aht", "frt", "resolution_rate", "fcr", "csat", "nps", "transfer_rate")
# A team's figures come from its agents' contacts; abandoned contacts reach no agent, so
# service level and abandon rate are measured per queue (site overview), not per team.
TEAM_KPIS = ("volume", "aht", "asa", "frt", "resolution_rate", "fcr", "csat", "nps", "transfer_rate")
QUEUE_KPIS = ("offered", "volume", "service_level", "abandon_rate", "asa", "aht", "csat")


def kpi(code: str) -> Kpi:
    return KPIS[code]


def add_sums(rows: Iterable[Sums]) -> dict[str, float]:
    total = dict.fromkeys(SUM_FIELDS, 0)
    for row in rows:
        for key in SUM_FIELDS:
            total[key] += row.get(key) or 0
    return total


def values(sums: Sums, codes: Iterable[str] = tuple(KPIS)) -> dict[str, float | None]:
    return {code: KPIS[code].value(sums) for code in codes}


def median_or_none(items: Iterable[float | None]) -> float | None:
    present = [v for v in items if v is not None]
    return median(present) if present else None


def band_score(value: float | None, bands: list, higher_is_better: bool) -> float | None:
    """Score of a KPI value by scoring bands ``[[threshold, score], ...]``; None when missing.

    Bands are tried in order; the first threshold the value meets (≥ when higher
    is better, ≤ otherwise) gives the score; a value meeting none scores 0.
    """
    if value is None:
        return None
    for threshold, score in bands:
        if (value >= threshold) if higher_is_better else (value <= threshold):
            return float(score)
    return 0.0


def weighted_score(parts: Iterable[tuple[float | None, float]]) -> tuple[float | None, float]:
    """Weighted average over the parts present, and the share of weight that is present (0–1).

    Missing parts are left out of the average (and reported through the
    coverage), never counted as zero.
    """
    total = present = 0.0
    acc = 0.0
    for score, weight in parts:
        total += weight
        if score is not None:
            present += weight
            acc += score * weight
    if not present:
        return None, 0.0
    return acc / present, present / total if total else 0.0


def format_value(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    unit = KPIS[code].unit
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "seconds":
        from django.utils.translation import gettext

        if value < 600:
            return gettext("%(n)ss") % {"n": f"{value:.0f}"}
        return gettext("%(n)smin") % {"n": f"{value / 60:.1f}"}
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{value:.1f}" if code != "csat_avg" else f"{value:.2f}"
