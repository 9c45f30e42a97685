"""Background tasks of recruiting. Safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_hire_figures() -> int:
    """Recompute every hire's figures for the channel report (``figures.refresh``); started by
    the worker every HIRE_FIGURES_EVERY_HOURS. Returns the number of hires."""
    from .figures import refresh

    return refresh()
