"""The ``visible_to`` queryset method (kept apart from ``scoping`` so models can import it early)."""

from __future__ import annotations

from django.db import models


class VisibleQuerySet(models.QuerySet):
    """A queryset with ``.visible_to(user, who, via=…, own=…)``; see ``zhiren.org.scoping``."""

    def visible_to(self, user, who=None, *, via: str | None = None, own: bool | None = None,
                   own_via: str | None = None):
        from .access import FieldGroup
        from .scoping import visible_to

        return visible_to(self, user, FieldGroup.DIRECTORY if who is None else who, via=via, own=own,
                          own_via=own_via)


VisibleManager = models.Manager.from_queryset(VisibleQuerySet)
