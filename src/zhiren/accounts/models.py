from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins for one username from one IP address."""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.CharField(_("IP address"), max_length=45)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [
            models.UniqueConstraint(fields=["username", "ip_address"], name="login_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip_address}: {self.failures}"
