"""Background tasks of the people module (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_daily_digests(day_iso: str | None = None) -> int:
    """Send every lead's digest for the day (today when omitted). Safe to run twice."""
    from django.utils import timezone

    from .services import send_digests

    day = dt.date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    return len(send_digests(day))
