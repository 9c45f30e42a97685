from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from zhiren.audit.services import client_ip

from . import lockout


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing while the username + IP pair is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts for this user from this address. Try again after %(until)s."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        ip = client_ip(self.request) or ""
        until = lockout.locked_until(username, ip)
        if until:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            lockout.register_failure(username, ip)
            raise
        lockout.register_success(username, ip)
        return cleaned
