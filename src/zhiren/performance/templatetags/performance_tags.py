"""Template filters of the performance pages: KPI values by code, formatted."""

from __future__ import annotations

from django import template

from zhiren.performance.kpis import format_value

register = template.Library()


@register.filter
def kpi(values: dict, code: str) -> str:
    """``{{ row.kpis|kpi:"aht" }}`` → the formatted value, "—" when missing."""
    return format_value(code, (values or {}).get(code))


@register.filter
def get(mapping: dict, key):
    return (mapping or {}).get(key)
