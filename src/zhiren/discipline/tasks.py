"""Background tasks of the discipline module. Safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def evaluate_recent_attendance(days: int = 2, day: str | None = None) -> dict:
    """Judge the last ``days`` days (ending ``day``, default yesterday) against the published schedule.

    Run it each night after the time-clock import; punches that arrive later are
    picked up by the import itself (it re-judges the days it touched).
    """
    from datetime import date, timedelta

    from django.utils import timezone

    from .services import evaluate_attendance

    end = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    summary = evaluate_attendance(end - timedelta(days=max(days, 1) - 1), end)
    return {"end": end.isoformat(), "shifts": summary.shifts, "punches": summary.punches,
            "findings": summary.findings, "violations": summary.violations}
