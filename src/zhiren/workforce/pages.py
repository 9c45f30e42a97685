"""What the workforce pages share: activity labels and reading query parameters and errors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from zhiren.core.text import join_list

from .models import AgentState

# Lazy: shown in the language of the request, not the one active at import.
ACTIVITY_LABELS = {
    "work": gettext_lazy("Work"),
    "break": gettext_lazy("Break"),
    "lunch": gettext_lazy("Lunch"),
    "meeting": gettext_lazy("Meeting"),
    "training": gettext_lazy("Training"),
    "coaching": gettext_lazy("Coaching"),
    "leave": gettext_lazy("Leave"),
}

# An agent's state as the phone or chat system reports it, in words (lazy labels).
STATE_LABELS = dict(AgentState.choices)


def day_param(request, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def float_param(request, name: str) -> float | None:
    try:
        return float(request.GET[name]) if request.GET.get(name) else None
    except ValueError:
        return None


def errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def minute(value) -> int | None:
    """A time of day as minutes after midnight (None stays None)."""
    return None if value is None else value.hour * 60 + value.minute


# The engine's rule codes in words. Placeholders: ``name`` (the agent), ``day`` (a date),
# ``value`` and ``limit`` (already in the unit the sentence names), ``first``/``second``.
RULE_TEXTS = {
    "one_shift_per_day": gettext_lazy("%(name)s would have %(value)s shifts on %(day)s."),
    "leave": gettext_lazy("%(name)s would work on %(day)s, a day of approved leave."),
    "availability": gettext_lazy("%(name)s is not available for the shift on %(day)s."),
    "min_rest": gettext_lazy(
        "%(name)s would rest only %(value)s h before the shift on %(day)s (at least %(limit)s h)."
    ),
    "max_consecutive_days": gettext_lazy(
        "%(name)s would work %(value)s days in a row up to %(day)s (at most %(limit)s)."
    ),
    "rest_days_per_week": gettext_lazy(
        "%(name)s would have %(value)s rest days in the week of %(day)s (at least %(limit)s)."
    ),
    "max_hours_per_day": gettext_lazy(
        "%(name)s would work %(value)s paid hours on %(day)s (at most %(limit)s h)."
    ),
    "max_hours_per_week": gettext_lazy(
        "%(name)s would work %(value)s paid hours in the week of %(day)s (at most %(limit)s h)."
    ),
    "min_contract_hours": gettext_lazy(
        "%(name)s would work %(value)s paid hours in the week of %(day)s (contract: at least %(limit)s h)."
    ),
    "transition_ban": gettext_lazy("%(name)s would work a %(second)s shift on %(day)s after a %(first)s shift."),
    "shift_shape": gettext_lazy("The shift of %(name)s on %(day)s does not fit its template."),
    "breaks": gettext_lazy("The breaks of %(name)s on %(day)s do not follow the template."),
    "queue_assignment": gettext_lazy("%(name)s is given a queue without the skill on %(day)s."),
    "known_agent_and_template": gettext_lazy("The shift of %(name)s on %(day)s has an unknown template."),
}
# Rules measured in minutes: shown in hours.
MINUTE_RULES = {
    "min_rest",
    "max_hours_per_day",
    "max_hours_per_week",
    "min_contract_hours",
}


def hours(minutes) -> str:
    """Minutes as hours for a sentence: 44, 7.5."""
    value = round(int(minutes) / 60, 1)
    return f"{value:g}"


# Why the engine left a rule broken (``params["cause"]``, engine ``roster.diagnosis``).
CAUSE_TEXTS = {
    "unreachable": gettext_lazy(
        "No combination of the site's shift templates reaches it within this week's availability, "
        "leave and rules (at most %(reachable)s h)."
    ),
    "not_found": gettext_lazy(
        "It can be reached; the roster generation did not find a way in the time given (try again with more time)."
    ),
}


def violation_text(rule: str, name: str, day, params) -> str:
    """One engine violation (a rule code with its numbers, and why it is left) in the active language."""
    values = {"name": name, "day": day if day is not None else "", "first": "", "second": ""}
    for key, value in (params or {}).items():
        values[key] = hours(value) if rule in MINUTE_RULES and key in ("value", "limit") else value
    template = RULE_TEXTS.get(rule)
    if template is None:
        return f"{name}: {rule}"
    text = str(template) % {"value": "", "limit": "", **values}
    cause = CAUSE_TEXTS.get((params or {}).get("cause", ""))
    if cause is not None:
        text += " " + str(cause) % {"reachable": hours((params or {}).get("reachable", 0))}
    return text


# The forecast engine's warning codes in words (see ``engine.notes.Note``).
FORECAST_TEXTS = {
    "missing_days": gettext_lazy(
        "Queue %(queue)s: %(days)s day(s) without any data were treated as missing, not as zero volume."
    ),
    "no_aht": gettext_lazy("Queue %(queue)s: no handle time in the history; handle time is not forecast."),
    "no_yearly": gettext_lazy(
        "The history covers %(days)s days (fewer than %(minimum)s): yearly seasonality is not modelled."
    ),
    "no_trend": gettext_lazy("The history covers %(days)s days (fewer than %(minimum)s): no trend."),
    "history_provisional": gettext_lazy("The history includes years without official holiday data: %(years)s."),
    "provisional_holidays": gettext_lazy(
        "Holiday data for %(years)s is provisional: fixed-date holidays are estimated; Spring Festival, "
        "Dragon Boat, Mid-autumn and make-up workdays are unknown unless added to the holiday table."
    ),
    "event_without_uplift": gettext_lazy(
        "Event %(event)s has no uplift and no past occurrence to learn from: forecast without uplift."
    ),
    "flat_placeholder": gettext_lazy(
        "Less than 14 days of history: a flat office-hours placeholder."
    ),
}


def forecast_warning_text(warning, queue_names=None) -> str:
    """One stored forecast warning (``{"code", "params"}``) in the active language.

    Warnings stored before they had codes are plain strings and are shown as they are.
    """
    if not isinstance(warning, dict):
        return str(warning)
    template = FORECAST_TEXTS.get(warning.get("code", ""))
    if template is None:
        return str(warning.get("text", ""))
    params = dict(warning.get("params") or {})
    if "queue" in params:
        params["queue"] = (queue_names or {}).get(params["queue"], params["queue"])
    if "years" in params:
        params["years"] = join_list(str(y) for y in params["years"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(warning.get("text", ""))


# Holiday names as the ``chinese-calendar`` package (and the engine's estimates) give them.
HOLIDAY_LABELS = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}


def holiday_name(name: str | None) -> str:
    """A holiday's name in the active language (names from the holiday table stay as typed)."""
    if not name:
        return ""
    return str(HOLIDAY_LABELS.get(name, name))
