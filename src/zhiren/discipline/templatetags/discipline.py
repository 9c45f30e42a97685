"""``{% load discipline %}{% lead_discipline_panel %}``: open violations, broken windows and rules in
grace for the lead's (or site manager's) home page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("discipline/_lead_home_panel.html", takes_context=True)
def lead_discipline_panel(context):
    user = context["request"].user
    return {"panel": selectors.lead_panel(user, timezone.localdate())}
