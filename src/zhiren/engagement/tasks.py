"""Background tasks of the engagement module. Safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def refit_attrition_model(day: str | None = None) -> dict:
    """Refit the attrition model when the newest is ``REFIT_DAYS`` old; started daily by the
    worker (the ``attrition_refit`` periodic job), so no page read ever trains it."""
    from datetime import date

    from django.utils import timezone

    from .risk.services import refit_if_due

    today = date.fromisoformat(day) if day else timezone.localdate()
    stored = refit_if_due(today)
    if stored is None:
        return {"day": today.isoformat(), "refitted": False}
    return {
        "day": today.isoformat(),
        "refitted": True,
        "source": stored.source,
        "leavers": stored.leavers,
    }


@task()
def send_wave_to_robots(wave_id: int, reminder: bool = False) -> dict:
    """Post a launched wave (or a reminder) to the leads' group robots (``distribution``)."""
    from .distribution import send_to_robots
    from .models import Wave

    wave = Wave.objects.select_related("survey").filter(pk=wave_id).first()
    if wave is None:
        return {"sent": 0, "failed": 0}
    return send_to_robots(wave, reminder=reminder)
