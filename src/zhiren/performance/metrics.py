"""What a goal can measure: a KPI of ``kpis``, or a metric another app registers in
``core.registries.kpi_sources`` (quality: the QA score and criterion pass rates).

Both answer to the same few names (``code``, ``label``, ``unit``, ``higher_is_better``,
``default_target``, ``meets``), so goal progress treats them alike. A code whose source
is no longer installed stays readable: it is labelled by its code and measures nothing.
"""

from __future__ import annotations

from typing import Any

from zhiren.core.registries import Metric, find_metric, kpi_sources

from . import kpis
from .kpis import KPIS


def describe(code: str) -> Any:
    """The ``Kpi`` or registered ``Metric`` of a code; an unknown code is a score without data."""
    if code in KPIS:
        return KPIS[code]
    found = find_metric(code)
    return found[1] if found else Metric(code, code, "score")


def is_known(code: str) -> bool:
    return code in KPIS or find_metric(code) is not None


def is_registered(code: str) -> bool:
    """A metric of another app (measured by its source, not from the daily rows)."""
    return code not in KPIS and find_metric(code) is not None


def choices() -> list[tuple[str, Any]]:
    """Every KPI, then the metrics the registered sources offer (for goal forms)."""
    offered = [(m.code, m.label) for source in kpi_sources for m in source.offered()]
    return [*kpis.KPI_CHOICES, *offered]


def label(code: str) -> Any:
    return describe(code).label


def format_value(code: str, value: float | None) -> str:
    if code in KPIS:
        return kpis.format_value(code, value)
    if value is None:
        return "—"
    return f"{value:.1f}%" if describe(code).unit == "percent" else f"{value:.1f}"
