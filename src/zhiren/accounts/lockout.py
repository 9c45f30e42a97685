"""Login lockout keyed by username + IP, with a cool-off period.

Keyed on the pair, not the IP alone: a whole call centre often shares one
public address, and one agent's typos must not lock out the floor.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginThrottle


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str, ip: str) -> datetime | None:
    row = LoginThrottle.objects.filter(username=_key(username), ip_address=ip or "").first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def register_failure(username: str, ip: str) -> LoginThrottle:
    now = timezone.now()
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            username=_key(username), ip_address=ip or ""
        )
        expired = row.locked_until and row.locked_until <= now
        stale = row.last_failure_at and now - row.last_failure_at > settings.LOGIN_LOCKOUT_COOLOFF
        if expired or stale:
            row.failures = 0
            row.locked_until = None
        row.failures = F("failures") + 1
        row.last_failure_at = now
        row.save(update_fields=["failures", "last_failure_at", "locked_until"])
        row.refresh_from_db()
        if row.failures >= settings.LOGIN_LOCKOUT_THRESHOLD:
            row.locked_until = now + settings.LOGIN_LOCKOUT_COOLOFF
            row.save(update_fields=["locked_until"])
    return row


def register_success(username: str, ip: str) -> None:
    LoginThrottle.objects.filter(username=_key(username), ip_address=ip or "").delete()
