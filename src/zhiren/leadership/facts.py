"""The team's data as evidence (请示) and report body (汇报): ``core.registries.team_facts``
tables collected, frozen as a snapshot (plain JSON), and shown in the reader's language."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.utils.translation import gettext

from zhiren.core.registries import FactTable, team_facts

log = logging.getLogger(__name__)


def collect(team_id: int, start: date, end: date) -> list[FactTable]:
    """Every provider's tables for the team and period; a failing provider is logged and skipped."""
    tables: list[FactTable] = []
    for entry in team_facts.entries():
        try:
            tables.extend(entry.value(team_id, start, end))
        except Exception:  # one broken module must not cost the lead the rest
            log.exception("team facts %s failed for team %s", entry.name, team_id)
    return tables


def snapshot(tables: list[FactTable], start: date, end: date) -> dict:
    """Plain JSON kept with a 请示 or 汇报, so its reader sees what the author saw."""
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "tables": [
            {**asdict(t), "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
            for t in tables
        ],
    }


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    bars: list[tuple[str, str, int]]  # (label, value, width in % of the largest) when charted


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def shown(data: dict | None) -> list[ShownTable]:
    """A snapshot's tables translated for the reader, with bars for a charted column."""
    result = []
    for t in (data or {}).get("tables", []):
        rows = [
            [gettext(r[0]) if t.get("labels", True) and r else (r[0] if r else ""), *r[1:]]
            for r in t.get("rows", [])
        ]
        bars: list[tuple[str, str, int]] = []
        column = t.get("chart")
        if column is not None:
            values = [_number(r[column]) if len(r) > column else None for r in rows]
            top = max((v for v in values if v is not None), default=0) or 1
            bars = [
                (r[0], r[column], round(100 * v / top))
                for r, v in zip(rows, values, strict=True)
                if v is not None and v >= 0
            ]
        result.append(
            ShownTable(
                t.get("key", ""),
                gettext(t.get("title", "")),
                [gettext(c) for c in t.get("columns", [])],
                rows,
                bars,
            )
        )
    return result


def summary_lines(data: dict | None) -> list[str]:
    """The snapshot as plain lines (a report's pre-filled body): "title: label value, …"."""
    lines = []
    for table in shown(data):
        cells = "; ".join(" ".join(c for c in row if c) for row in table.rows)
        lines.append(f"{table.title}: {cells}")
    return lines


PERIOD_DAYS = {"week": 7, "month": 30}


def period(kind: str, today: date) -> tuple[date, date]:
    """The days a week's or month's data covers: the 7 or 30 days up to yesterday."""
    end = today - timedelta(days=1)
    return end - timedelta(days=PERIOD_DAYS.get(kind, 7) - 1), end
