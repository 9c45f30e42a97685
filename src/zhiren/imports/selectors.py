"""Reads of import jobs, scoped to the user who uploaded them."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiren.org.access import AnyUser
from zhiren.org.scoping import get_or_404

from .models import ImportJob


def visible_jobs(user: AnyUser) -> QuerySet[ImportJob]:
    """A user's own jobs; administrators see every job."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    if user.is_superuser:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)


def get_visible_job(user: AnyUser, pk: int | str) -> ImportJob:
    return get_or_404(visible_jobs(user), pk)


def recent_jobs(user: AnyUser, kind: str, *, limit: int = 10) -> list[ImportJob]:
    return list(visible_jobs(user).filter(kind=kind).select_related("created_by")[:limit])
