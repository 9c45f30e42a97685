"""What the workforce pages share: activity labels and reading query parameters and errors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

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
