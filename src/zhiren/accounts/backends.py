"""The authentication backend: Django's model backend behind the login lockout."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from zhiren.audit.services import client_ip

from . import lockout


class LockoutModelBackend(ModelBackend):
    """Refuses while the username + client IP pair is locked out; counts failures and successes.

    Every login goes through ``authenticate()``, whatever form or endpoint asks, so
    the lockout cannot be dodged by another door. Raising ``PermissionDenied`` makes
    Django stop at this backend and report the attempt as failed.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request) or ""
        if lockout.locked_until(username, ip):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.register_failure(username, ip)
        else:
            lockout.register_success(username, ip)
        return user
