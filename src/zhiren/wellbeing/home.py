"""What the wellbeing module shows on the home pages (``core.registries.home_cards``)."""

from __future__ import annotations

from django.utils import timezone

from zhiren.org.scoping import own_agent

from . import selectors
from .models import FACES, Score


def faces() -> list[dict]:
    return [{"value": v, "label": label, "face": FACES[v]} for v, label in reversed(Score.choices)]


def agent_card(request) -> dict:
    """The "How are you today?" check-in."""
    agent = own_agent(request.user)
    mood_today = selectors.today_check_in(agent, timezone.localdate()) if agent else None
    return {"agent": agent, "mood_today": mood_today, "mood_faces": faces()}


def lead_card(request) -> dict:
    """Open mood alerts and today's check-ins, for a team lead."""
    return {"panel": selectors.lead_home_alerts(request.user, timezone.localdate())}
