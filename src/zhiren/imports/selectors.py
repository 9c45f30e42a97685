"""Reads of import jobs, scoped to the user who uploaded them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhiren.org.access import AnyUser

from .models import ImportJob


def visible_jobs(user: AnyUser) -> QuerySet[ImportJob]:
    """A user's own jobs; administrators see every job."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    if user.is_superuser:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)


def get_visible_job(user: AnyUser, pk: int | str) -> ImportJob:
    try:
        return visible_jobs(user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def recent_jobs(user: AnyUser, kind: str, *, limit: int = 10) -> list[ImportJob]:
    return list(visible_jobs(user).filter(kind=kind).select_related("created_by")[:limit])
