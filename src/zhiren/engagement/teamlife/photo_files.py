"""An event photo's file goes with its row, however the row goes: taken down, purged by the
retention rule, or deleted with its event or site. The file is deleted once the deletion is
committed, so a rolled-back deletion keeps both row and file."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete

from ..models import EventPhoto


def _delete_file(sender, instance: EventPhoto, using: str, **kwargs) -> None:
    if instance.image.name:
        transaction.on_commit(
            partial(instance.image.storage.delete, instance.image.name), using=using
        )


def connect() -> None:
    post_delete.connect(_delete_file, sender=EventPhoto, dispatch_uid="engagement-event-photo-file")
