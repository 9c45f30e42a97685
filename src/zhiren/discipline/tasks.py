"""Background tasks of the discipline module. Safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def evaluate_recent_attendance(days: int = 2, day: str | None = None, from_login_states: bool = False) -> dict:
    """Judge the last ``days`` days (ending ``day``, default yesterday) against the published schedule.

    Run it each night after the time-clock import; punches that arrive later are
    picked up by the import itself (it re-judges the days it touched). With
    ``from_login_states`` the ACD / chat login states become punches first. The
    attendance component of open appraisal cycles is refreshed afterwards.
    """
    from datetime import date, timedelta

    from django.utils import timezone

    from .services import evaluate_attendance, fill_open_appraisals, punches_from_login_states

    end = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=max(days, 1) - 1)
    if from_login_states:
        punches_from_login_states(start, end)
    summary = evaluate_attendance(start, end)
    appraisals = fill_open_appraisals(end)
    return {"end": end.isoformat(), "shifts": summary.shifts, "punches": summary.punches,
            "findings": summary.findings, "violations": summary.violations, "appraisals": appraisals}
