"""The task of the surveys' automatic reminders. Safe to run twice.

Apart from ``tasks`` because it calls ``services``, which queues ``tasks`` (the robots'
message): one module for both would import each other.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_survey_reminders(day: str | None = None) -> dict:
    """Send the surveys' automatic reminders due today, each once
    (``services.send_due_reminders``); started daily by the worker (the ``survey_reminders``
    periodic job)."""
    from datetime import date

    from django.utils import timezone

    from .services import send_due_reminders

    today = date.fromisoformat(day) if day else timezone.localdate()
    sent = send_due_reminders(today)
    return {"day": today.isoformat(), "waves": {str(k): v for k, v in sent.items()}}
