"""Background tasks of the wellbeing module. Safe to run twice the same day."""

from __future__ import annotations

from django_tasks import task


@task()
def nightly_evaluation(day: str | None = None) -> dict:
    """Evaluate emotion cycles and early-warning alerts for every active agent."""
    from datetime import date

    from .services import run_nightly

    run = run_nightly(date.fromisoformat(day) if day else None)
    return {"day": run.day.isoformat(), "agents": run.agents, "alerts_raised": run.alerts_raised,
            "cycles_found": run.cycles_found, "seconds": run.seconds}

