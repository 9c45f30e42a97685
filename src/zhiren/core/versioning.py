"""Optimistic locking for records several people edit (profiles, rules, roles, site settings).

HR and a team lead can open the same form; without a check, whoever saves last silently undoes
the other's change. A versioned record carries a number that every save raises by one. The form
remembers the number it was opened at (a hidden field); the service locks the stored row, and if
its number moved on, refuses the save with :class:`StaleEdit`. The form then shows what the saved
record holds now, keeps everything the user typed, and takes the newer number, so saving again
is a conscious choice to overwrite.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Versioned(models.Model):
    """Abstract base: ``version`` is raised by one on every save made through :func:`claim_version`."""

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """The record was saved by someone else after the form was opened. ``stored``: the row as it is now."""

    def __init__(self, stored: models.Model):
        super().__init__(f"{type(stored).__name__} {stored.pk} is at version {stored.version}")
        self.stored = stored


def claim_version(instance: Versioned, opened_at: int | None) -> None:
    """Check ``instance`` against its stored row and raise its version; call inside ``atomic``.

    ``opened_at``: the version the user's form showed; None skips the check (imports, commands,
    services that change one field on purpose). A new instance starts at version 1.
    """
    if instance.pk is None:
        instance.version = 1
        return
    stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if opened_at is not None and stored.version != opened_at:
        raise StaleEdit(stored)
    instance.version = stored.version + 1


def save_model_form(form: Any, opened_at: int | None) -> models.Model:
    """Save a ``VersionedFormMixin`` model form after :func:`claim_version`, in one transaction."""
    from django.db import transaction

    with transaction.atomic():
        claim_version(form.instance, opened_at)
        saved: models.Model = form.save()
        return saved


def displayed(field: Any, value: Any) -> str:
    """A form field's value as the user would read it (choice labels, not codes)."""
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(choices.get(v, v)) for v in value) or "—"
    if isinstance(value, models.Model):
        return str(value)
    if value in (None, ""):
        return "—"
    return str(choices.get(value, value))
