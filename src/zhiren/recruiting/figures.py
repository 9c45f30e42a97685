"""Each hire's figures past the hire date, kept one row per hire (``HireFigures``).

The channel report used to aggregate every hire's QA evaluations, daily statistics and
cohort enrolments on each load (about two thirds of its time at 1,500 hires). Those inputs
change rarely and never for a hire's closed windows, so they are computed here and stored:

- by the periodic job ``hire_figures`` (every ``HIRE_FIGURES_EVERY_HOURS``, all hires): the
  catch-up for inputs written in bulk (performance's roll-ups write daily rows with SQL);
- when an input is saved through the ORM (a candidate, a QA evaluation, a daily row, a cohort
  enrolment): the agents touched are refreshed once the transaction commits;
- by the report, for hires without a row or whose hire date changed since.

What depends on today is left to the reader: the AHT windows are stored as raw sums (the
report decides whether a window is over), and who left when is read from the agent and
privacy's departure row at report time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Avg, DateField, F, Func, Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from zhiren.core.registries import nesting_outcomes
from zhiren.performance.models import DailyStat
from zhiren.quality.models import Evaluation, EvaluationKind, EvaluationStatus

from .models import Candidate, HireFigures

QA_DAYS = 60


class DatePlus(Func):
    """The date ``days`` after a date expression, in the database's own date arithmetic
    (SQLite's ``date(…, '+n days')``, PostgreSQL's date + integer). Django's portable
    ``F() + timedelta`` calls back into Python for every row on SQLite, which a report over
    thousands of hires cannot afford."""

    output_field = DateField()

    def __init__(self, expression, days: int) -> None:
        super().__init__(expression, days=int(days))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s + %(days)s)", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s, '+%(days)s days')", **extra
        )


def qa_first_days(hired: QuerySet[Candidate]) -> dict[int, float]:
    """Mean released QA score of each hired agent's first ``QA_DAYS`` days (one query, averaged
    in the database over each hire's own window)."""
    hired_on = F("agent__candidacy__hired_on")
    rows = (
        Evaluation.objects.filter(
            agent_id__in=hired.values("agent_id"),
            day__gte=hired_on,
            day__lt=DatePlus(hired_on, QA_DAYS),
            kind=EvaluationKind.INSPECTION,
            status=EvaluationStatus.RELEASED,
            score__isnull=False,
        )
        .order_by()
        .values("agent_id")
        .annotate(average=Avg("score"))
    )
    return {row["agent_id"]: float(row["average"]) for row in rows}


def nesting(agent_ids) -> dict[int, bool | None]:
    """How each hire's nesting ended, from the first ``nesting_outcomes`` entry (training's)."""
    for provider in nesting_outcomes:
        return dict(provider(agent_ids))
    return {}


def aht_sums(hired: QuerySet[Candidate]) -> dict[int, tuple[int, int, int, int]]:
    """Each hired agent's Σ handle and Σ answered in days 30–59 and 60–89 after the hire:
    ``{agent: (handle60, answered60, handle90, answered90)}`` (one query)."""
    hired_on = F("agent__candidacy__hired_on")
    first = Q(day__lt=DatePlus(hired_on, 60))
    rows = (
        DailyStat.objects.filter(
            agent_id__in=hired.values("agent_id"),
            day__gte=DatePlus(hired_on, 30),
            day__lt=DatePlus(hired_on, 90),
        )
        .order_by()
        .values("agent_id")
        .annotate(
            total_handle=Sum("handle_sum"),
            total_answered=Sum("answered"),
            h60=Sum("handle_sum", filter=first),
            a60=Sum("answered", filter=first),
        )
    )
    out = {}
    for row in rows:
        h60, a60 = row["h60"] or 0, row["a60"] or 0
        out[row["agent_id"]] = (
            h60,
            a60,
            (row["total_handle"] or 0) - h60,
            (row["total_answered"] or 0) - a60,
        )
    return out


def aht_windows(
    hired_on: dt.date, sums: tuple[int, int, int, int], today: dt.date
) -> dict[int, float]:
    """The AHT (seconds) at 60 and 90 days from the stored sums: a window counts once it is over
    (``hired_on`` + 60 / + 90 days ≤ today) and if contacts were answered in it."""
    out = {}
    for k, (handle, answered) in ((60, sums[:2]), (90, sums[2:])):
        if answered and hired_on + dt.timedelta(days=k) <= today:
            out[k] = handle / answered
    return out


def left_day(status_left: bool, noticed: dt.date | None, today: dt.date) -> dt.date | None:
    """When a hire left: the day privacy noticed it, else today (not noticed yet); None if here."""
    if not status_left:
        return None
    return noticed or today


def refresh(candidates: QuerySet[Candidate] | None = None) -> int:
    """Recompute and store the figures of the hires among ``candidates`` (all when None); rows
    of candidates no longer hired are removed. Returns the number of hires stored."""
    scope = Candidate.objects.all() if candidates is None else candidates
    hired = scope.filter(agent__isnull=False, hired_on__isnull=False).order_by()
    rows = list(hired.values_list("pk", "agent_id", "hired_on"))
    qa = qa_first_days(hired) if rows else {}
    aht = aht_sums(hired) if rows else {}
    ended = nesting(hired.values("agent_id")) if rows else {}
    now = timezone.now()
    fresh = []
    for pk, agent_id, hired_on in rows:
        h60, a60, h90, a90 = aht.get(agent_id, (0, 0, 0, 0))
        fresh.append(
            HireFigures(
                candidate_id=pk,
                hired_on=hired_on,
                qa60=qa.get(agent_id),
                aht60_handle=h60,
                aht60_answered=a60,
                aht90_handle=h90,
                aht90_answered=a90,
                nesting=ended.get(agent_id),
                refreshed_at=now,
            )
        )
    with transaction.atomic():
        stale = HireFigures.objects.all()
        if candidates is not None:
            stale = stale.filter(candidate__in=scope.values("pk"))
        stale.delete()
        HireFigures.objects.bulk_create(fresh, batch_size=500)
    return len(fresh)


def refresh_agents(agent_ids: Iterable[int]) -> int:
    """Refresh the hires among these agents (nothing to do, one query, for agents not hired
    through recruiting)."""
    ids = sorted({pk for pk in agent_ids if pk})
    if not ids:
        return 0
    found = Candidate.objects.filter(agent_id__in=ids, hired_on__isnull=False)
    if not found.exists():
        return 0
    return refresh(found)


# --- refreshing when an input changes ----------------------------------------------------------
# In the same transaction as the change, so a rolled-back change leaves the figures as they were.


def _input_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    refresh_agents([getattr(instance, "agent_id", None)])


def _candidate_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if instance.agent_id and instance.hired_on:
        refresh(Candidate.objects.filter(pk=instance.pk))
    elif not kwargs.get("created"):
        HireFigures.objects.filter(candidate_id=instance.pk).delete()


INPUTS = ("quality.Evaluation", "performance.DailyStat", "training.Enrolment")


def connect() -> None:
    """Called from ``RecruitingConfig.ready``; the inputs by name (recruiting imports no
    training)."""
    for label in INPUTS:
        for signal in (post_save, post_delete):
            signal.connect(_input_changed, sender=label, dispatch_uid=f"hire-figures-{label}")
    post_save.connect(_candidate_changed, sender=Candidate, dispatch_uid="hire-figures-candidate")
