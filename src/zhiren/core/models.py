"""The shell's own state: when each periodic job last started (``core.periodic``)."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """One row per periodic job; a worker claims a run by moving ``started_at`` forward."""

    name = models.CharField(max_length=60, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.started_at}"
