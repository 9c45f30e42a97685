from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from zhiren.audit.services import client_ip

from . import lockout


class LockoutMessageMixin(AuthenticationForm):
    """Says why a locked-out login is refused; the backend does the refusing and counting."""

    def clean(self) -> dict[str, Any]:
        until = lockout.locked_until(self.data.get("username", ""), ip=client_ip(self.request) or "")
        if until:
            raise forms.ValidationError(
                _(
                    "Too many failed attempts for this user from this address. "
                    "Try again after %(until)s."
                ),
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        return super().clean()


class LockoutAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
    """The sign-in page's form."""


class LockoutAdminAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """Django admin's sign-in form (``admin.site.login_form``)."""
