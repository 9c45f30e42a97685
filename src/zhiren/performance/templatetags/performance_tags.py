"""Template filters of the performance pages: KPI values by code, formatted."""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html_join

from zhiren.performance.kpis import format_value

register = template.Library()


@register.filter
def kpi(values: dict, code: str) -> str:
    """``{{ row.kpis|kpi:"aht" }}`` → the formatted value, "—" when missing."""
    return format_value(code, (values or {}).get(code))


@register.filter
def get(mapping: dict, key):
    return (mapping or {}).get(key)


@register.simple_tag
def daily_rows(daily: list[dict], columns) -> str:
    """The agent page's table of days, a ``<tr>`` per day: joined in one pass rather than a
    template loop per cell (a year is a few hundred rows of seven cells each). The weekday's
    name is translated once per weekday."""
    weekdays: dict[int, str] = {}
    codes = [k.code for k in columns]
    rows = []
    for row in daily:
        day = row["day"]
        if day.weekday() not in weekdays:
            weekdays[day.weekday()] = date_format(day, "D")
        values = row["kpis"]
        rows.append((f"{day.isoformat()} {weekdays[day.weekday()]}", [format_value(c, values.get(c)) for c in codes]))
    return format_html_join(
        "\n",
        "<tr><td>{}</td>{}</tr>",
        ((label, format_html_join("", '<td class="text-end">{}</td>', ((cell,) for cell in cells)))
         for label, cells in rows),
    )


@register.simple_tag
def kpi_cells(values: dict, columns, meets: dict | None = None) -> str:
    """A table row's KPI cells, ``<td class="text-end">`` each, red (``text-danger``) where
    ``meets`` says the target is missed: one call per row instead of a template loop per cell."""
    meets = meets or {}
    return format_html_join(
        "",
        '<td class="text-end{}">{}</td>',
        (
            (" text-danger" if meets.get(k.code) is False else "", format_value(k.code, (values or {}).get(k.code)))
            for k in columns
        ),
    )
