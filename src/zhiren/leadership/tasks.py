"""Background tasks of the workspace. Safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services import send_huddle

__all__ = ["plan_huddles", "send_huddle"]


@task()
def plan_huddles() -> int:
    """Prepare the huddles of shifts starting within the next hours (started every 15 minutes)."""
    from .services import plan_due_huddles

    return plan_due_huddles()
