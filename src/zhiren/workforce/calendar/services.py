"""Writes of the agent's own corner: calendar link, wishes, read notices."""

from __future__ import annotations

from zhiren.org.models import Agent

from ..models import AgentPreference, ShiftNotice


def preference_of(agent: Agent) -> AgentPreference:
    pref, _created = AgentPreference.objects.get_or_create(agent=agent)
    return pref


def calendar_token(agent: Agent) -> str:
    pref = preference_of(agent)
    if not pref.calendar_token:
        pref.calendar_token = AgentPreference.new_token()
        pref.save(update_fields=["calendar_token"])
    return pref.calendar_token


def reset_calendar_token(agent: Agent) -> str:
    """A new secret URL; the old one stops working at once."""
    pref = preference_of(agent)
    pref.calendar_token = AgentPreference.new_token()
    pref.save(update_fields=["calendar_token"])
    return pref.calendar_token


def save_wishes(
    agent: Agent, preferred_templates: list[str], preferred_days_off: list[int], note: str
):
    pref = preference_of(agent)
    pref.preferred_templates = sorted(set(preferred_templates))
    pref.preferred_days_off = sorted({int(d) for d in preferred_days_off if 0 <= int(d) <= 6})
    pref.note = note[:200]
    pref.save(update_fields=["preferred_templates", "preferred_days_off", "note"])
    return pref


def mark_notices_read(agent: Agent, up_to: int | None = None) -> int:
    """Mark the agent's notices read: all, or those up to the id ``up_to`` (the ones shown)."""
    notices = ShiftNotice.objects.filter(agent=agent, read=False)
    if up_to is not None:
        notices = notices.filter(pk__lte=up_to)
    return notices.update(read=True)
