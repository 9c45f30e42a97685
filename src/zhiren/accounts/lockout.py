"""Login lockout keyed by username + IP, with a cool-off period.

Keyed on the pair, not the IP alone: a whole call centre often shares one
public address, and one agent's typos must not lock out the floor.

The username is keyed the way Django matches it: NFKC-normalised (so the
full-width ``ｔｒａｉｎｅｒ`` is ``trainer``), then case-folded, so no look-alike
spelling of a name gets tries of its own. Failures are counted by the
authentication backend (``backends.LockoutModelBackend``), so every way in —
the sign-in page, Django's admin, the API — shares one count.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginThrottle


def _key(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def locked_until(username: str, *, ip: str) -> datetime | None:
    row = LoginThrottle.objects.filter(username=_key(username), ip_address=ip or "").first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def register_failure(username: str, *, ip: str) -> LoginThrottle:
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


def register_success(username: str, *, ip: str) -> None:
    LoginThrottle.objects.filter(username=_key(username), ip_address=ip or "").delete()
