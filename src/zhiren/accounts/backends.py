"""The authentication backend: Django's model backend behind the login lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from zhiren.audit.services import client_ip

from . import lockout


class LockoutModelBackend(ModelBackend):
    """Refuses while the username + client IP pair is locked out; counts failures and successes.

    Every login goes through ``authenticate()``, whatever form or endpoint asks, so
    the lockout cannot be dodged by another door. Raising ``PermissionDenied`` makes
    Django stop at this backend and report the attempt as failed.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request) or ""
        if lockout.locked_until(username, ip=ip):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.register_failure(username, ip=ip)
        else:
            lockout.register_success(username, ip=ip)
        return user
