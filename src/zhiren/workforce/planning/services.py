"""Writes of planning: a site's default setup, events and holidays, forecast versions.

``score_forecast`` is the task of ``create_forecast``, declared here beside it (and named in
``workforce.tasks``): it stores how well the queue's model did on weeks already past, so
the forecast page only reads.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from zhiren.org.models import Site

from ..dates import days_between
from ..engine.roster.problem import SLOTS_PER_DAY
from ..models import (
    AgentSkill,
    ForecastEvent,
    ForecastVersion,
    HolidayDay,
    Queue,
    ShiftTemplate,
    Shrinkage,
    SiteRules,
)
from .defaults import default_templates, missing_shrinkage
from .forecasting import holdout, run_forecast

# --- site setup ----------------------------------------------------------------------------


def ensure_site_setup(site: Site) -> SiteRules:
    """Store the defaults a site lacks: rules, shift templates (when it has none), shrinkage.

    Idempotent. Called by the first change that needs them (a queue, a template, the rules,
    a roster), never by a page that only shows them.
    """
    rules, _created = SiteRules.objects.get_or_create(site=site)
    if not ShiftTemplate.objects.filter(site=site).exists():
        ShiftTemplate.objects.bulk_create(default_templates(site), ignore_conflicts=True)
    have = set(Shrinkage.objects.filter(site=site).values_list("kind", flat=True))
    Shrinkage.objects.bulk_create(missing_shrinkage(site, have), ignore_conflicts=True)
    return rules


def grant_queue_skill(agent, queue: Queue, proficiency: int = 2) -> AgentSkill:
    """Give an agent a queue skill (e.g. on graduating from nesting), so the roster uses them.

    Idempotent: an existing skill keeps the higher of its proficiency and the one given.
    """
    skill, created = AgentSkill.objects.get_or_create(
        agent=agent, queue=queue, defaults={"proficiency": proficiency}
    )
    if not created and skill.proficiency < proficiency:
        skill.proficiency = proficiency
        skill.save(update_fields=["proficiency"])
    return skill


def delete_event(event: ForecastEvent) -> None:
    event.delete()


def delete_holiday(pk) -> None:
    HolidayDay.objects.filter(pk=pk).delete()


# --- forecasts -----------------------------------------------------------------------------


def _next_number(queue: Queue) -> int:
    return (ForecastVersion.objects.filter(queue=queue).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_forecast(user, queue: Queue, start: date, weeks: int) -> ForecastVersion:
    """Fit on the queue's history and store the forecast as a new version."""
    if not 1 <= weeks <= 12:
        raise ValidationError(_("Forecast between 1 and 12 weeks."))
    out = run_forecast(queue, start, weeks)
    version = ForecastVersion.objects.create(
        queue=queue,
        number=_next_number(queue),
        start=start,
        end=start + timedelta(days=weeks * 7 - 1),
        data=out.data,
        warnings=out.warnings,
        created_by=user,
        reason=_("Forecast from history"),
    )
    _score_after_commit(version.pk)
    return version


@transaction.atomic
def adjust_forecast(
    user,
    version: ForecastVersion,
    first: date,
    last: date,
    from_slot: int,
    to_slot: int,
    factor: float,
    reason: str,
) -> ForecastVersion:
    """A manual adjustment: volumes of the days and quarter hours multiplied by ``factor``.

    Kept as a new version pointing at its parent, with the reason.
    """
    if not reason.strip():
        raise ValidationError(_("Give a reason for the adjustment."))
    if not 0 < factor <= 20:
        raise ValidationError(_("The factor is between 0 and 20."))
    if last < first or not (0 <= from_slot <= to_slot < SLOTS_PER_DAY):
        raise ValidationError(_("Choose a valid range of days and times."))
    data = {
        day: {"volume": list(v["volume"]), "aht": list(v["aht"])} for day, v in version.data.items()
    }
    touched = 0
    for day in days_between(first, last):
        entry = data.get(day.isoformat())
        if entry is None:
            continue
        touched += 1
        for slot in range(from_slot, to_slot + 1):
            entry["volume"][slot] = round(entry["volume"][slot] * factor, 3)
    if not touched:
        raise ValidationError(_("None of these days is in the forecast."))
    adjusted = ForecastVersion.objects.create(
        queue=version.queue,
        number=_next_number(version.queue),
        parent=version,
        start=version.start,
        end=version.end,
        data=data,
        warnings=version.warnings,
        holdout_start=version.holdout_start,
        holdout=version.holdout,  # the same model: its score carries over
        holdout_wape=version.holdout_wape,
        created_by=user,
        reason=reason.strip()[:200],
    )
    if adjusted.holdout is None:
        _score_after_commit(adjusted.pk)
    return adjusted


def _score_after_commit(version_id: int) -> None:
    transaction.on_commit(lambda: score_forecast.enqueue(version_id))


def score_forecast_version(version_id: int) -> ForecastVersion | None:
    """Fit the holdout of a version and store its score, once (a scored version is left alone).

    The holdout is the weeks before the one the version was made in, so running this
    again, or late, gives the same answer.
    """
    version = ForecastVersion.objects.select_related("queue").filter(pk=version_id).first()
    if version is None or version.holdout is not None:
        return version
    result = holdout(version.queue, timezone.localtime(version.created_at).date())
    ForecastVersion.objects.filter(pk=version_id, holdout__isnull=True).update(
        holdout_start=result.start, holdout=result.weeks, holdout_wape=result.wape
    )
    version.refresh_from_db()
    return version


@task()
def score_forecast(version_id: int) -> dict:
    """The background task of ``create_forecast``: score a new version on its holdout weeks.

    Declared here, beside the service that enqueues it, so that this module need not import
    ``tasks`` (which re-exports it): no import cycle between the two files.
    """
    version = score_forecast_version(version_id)
    if version is None:
        return {"version": version_id, "status": "missing"}
    return {"version": version_id, "weeks": len(version.holdout), "wape": version.holdout_wape}
