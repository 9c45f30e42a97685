"""Template tags of the wellbeing pages (its home-page cards are in ``home.py``)."""

from __future__ import annotations

from django import template
from django.utils.dates import WEEKDAYS

from ..cycles import WEEKDAY

register = template.Library()


@register.simple_tag
def cycle_label(pattern) -> str:
    """'Monday' for a weekday pattern, the kind's label otherwise."""
    if pattern.kind == WEEKDAY:
        return str(WEEKDAYS[pattern.key])
    return str(pattern.get_kind_display())
