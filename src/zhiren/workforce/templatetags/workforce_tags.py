"""Small display helpers for the workforce templates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """Minutes after midnight as HH:MM (past midnight wraps: 25:00 → 01:00)."""
    if minutes in (None, ""):
        return ""
    minutes = int(minutes)
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@register.filter
def label(mapping, key):
    return mapping.get(key, key) if mapping else key


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


@register.filter
def index(sequence, i):
    try:
        return sequence[i]
    except (IndexError, TypeError, KeyError):
        return None
