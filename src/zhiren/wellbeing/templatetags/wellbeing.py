"""Template tags: the agent's check-in card and the lead's panel for the home pages."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from zhiren.org.scoping import own_agent

from .. import selectors
from ..cycles import WEEKDAY
from ..models import FACES, Score

register = template.Library()


@register.simple_tag
def cycle_label(pattern) -> str:
    """'Monday' for a weekday pattern, the kind's label otherwise."""
    if pattern.kind == WEEKDAY:
        return str(WEEKDAYS[pattern.key])
    return str(pattern.get_kind_display())


def faces() -> list[dict]:
    return [{"value": v, "label": label, "face": FACES[v]} for v, label in reversed(Score.choices)]


@register.inclusion_tag("wellbeing/_agent_home_card.html", takes_context=True)
def mood_check_in_card(context):
    """The "How are you today?" card on the agent's home page."""
    user = context["request"].user
    agent = own_agent(user)
    mood_today = selectors.today_check_in(agent, timezone.localdate()) if agent else None
    return {"agent": agent, "mood_today": mood_today, "mood_faces": faces(),
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("wellbeing/_lead_home_panel.html", takes_context=True)
def lead_mood_panel(context):
    """Open mood alerts and today's check-ins on the lead's home page."""
    user = context["request"].user
    return {"panel": selectors.lead_home_alerts(user, timezone.localdate()),
            "csrf_token": context.get("csrf_token")}
