"""Background tasks of the privacy module. Safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def purge_personal_data() -> dict:
    """Run every retention rule (``zhiren purge``); started by the worker every PURGE_EVERY_HOURS."""
    from .retention import purge

    return {result.key: result.count for result in purge()}
