"""The ``visible_to`` queryset method (kept apart from ``scoping`` so models can import it early)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models

if TYPE_CHECKING:
    from .access import AnyUser
    from .scoping import Who

_M = TypeVar("_M", bound=models.Model, covariant=True)


class VisibleQuerySet(models.QuerySet[_M]):
    """A queryset with ``.visible_to(user, who, via=…, own=…)``; see ``zhiren.org.scoping``."""

    def visible_to(self, user: AnyUser | None, who: Who | None = None, *, via: str | None = None,
                   own: bool | None = None, own_via: str | None = None) -> models.QuerySet[_M]:
        from .access import FieldGroup
        from .scoping import visible_to

        return visible_to(self, user, FieldGroup.DIRECTORY if who is None else who, via=via, own=own,
                          own_via=own_via)


VisibleManager = models.Manager.from_queryset(VisibleQuerySet)
