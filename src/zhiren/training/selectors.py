"""Reads of the training app, scoped through ``zhiren.org.scoping``.

- agents: their own enrolments, attendance, quiz attempts and certifications;
- trainers (and the site manager, the administrator): the programmes, cohorts, plans,
  quizzes and cases of the sites their role covers, and the enrolments of those sites;
- team leads: the enrolments, attempts and certifications of their teams (they sign off as lead);
- QA: the enrolments of the teams their QA role covers (they sign off as QA).

Denial is a 404 everywhere (``get_or_404``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Site
from zhiren.org.scoping import get_or_404
from zhiren.org.selectors import managed_sites, visible_sites
from zhiren.performance import handle_time
from zhiren.quality.models import Evaluation, EvaluationKind, EvaluationStatus
from zhiren.quality.selectors import qa_averages

from . import exposure
from .gate import GateEvidence, GateResult, evaluate
from .models import (
    Attempt,
    AttemptMode,
    Attendance,
    Case,
    Certification,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Milestone,
    PlanGoal,
    Programme,
    Quiz,
    Session,
    SignOff,
    TrainingPlan,
)

TRAINING_ROLES = (Role.TRAINER, Role.SITE_MANAGER, Role.ADMIN)
FLOOR_ROLES = (Role.TEAM_LEAD, Role.QA)
ENROLMENT_ROLES = TRAINING_ROLES + FLOOR_ROLES
CASE_ROLES = TRAINING_ROLES + FLOOR_ROLES
TENURED_DAYS = handle_time.TENURED_DAYS  # hired at least this long ago: tenured, for the AHT median
RECERTIFY_WARNING_DAYS = 60


def is_training_staff(user) -> bool:
    return load_access(user).has_role(*TRAINING_ROLES)


def training_sites(user) -> QuerySet[Site]:
    return managed_sites(user, TRAINING_ROLES)


def visible_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.filter(site__in=training_sites(user)).select_related("site", "queue")


def get_programme(user, pk) -> Programme:
    return get_or_404(visible_programmes(user), pk)


def visible_cohorts(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme__site__in=training_sites(user)).select_related(
        "programme", "trainer"
    )


def visible_plans(user) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(site__in=training_sites(user)).select_related("site")


def visible_goals(user) -> QuerySet[PlanGoal]:
    return PlanGoal.objects.filter(plan__site__in=training_sites(user)).select_related("plan")


def visible_sessions(user) -> QuerySet[Session]:
    return Session.objects.filter(programme__site__in=training_sites(user)).select_related(
        "programme", "milestone"
    )


def visible_quizzes_for_staff(user) -> QuerySet[Quiz]:
    return Quiz.objects.filter(site__in=training_sites(user)).select_related("programme")


def visible_enrolments(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.visible_to(
        user, ENROLMENT_ROLES, via="agent", own=True
    ).select_related(
        "agent", "agent__team", "programme", "programme__site", "programme__queue", "cohort"
    )


def visible_attempts(user) -> QuerySet[Attempt]:
    return Attempt.objects.visible_to(
        user, TRAINING_ROLES + (Role.TEAM_LEAD,), via="agent", own=True
    ).select_related("quiz", "agent")


def visible_certifications(user) -> QuerySet[Certification]:
    return Certification.objects.visible_to(
        user, ENROLMENT_ROLES, via="agent", own=True
    ).select_related("agent", "queue")


def visible_cases(user) -> QuerySet[Case]:
    if not load_access(user).has_role(*CASE_ROLES):
        return Case.objects.none()
    return Case.objects.filter(site__in=visible_sites(user)).select_related("site", "created_by")


def quizzes_for_agent(agent: Agent) -> QuerySet[Quiz]:
    """Quizzes the agent may take: those of their programmes, and the site's quizzes of no programme."""
    programmes = (
        Enrolment.objects.filter(agent=agent)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values("programme_id")
    )
    return (
        Quiz.objects.filter(site_id=agent.team.site_id)
        .filter(Q(programme_id__in=programmes) | Q(programme__isnull=True))
        .order_by("title")
    )


def own_attendance(agent: Agent) -> list[Attendance]:
    return list(
        Attendance.objects.filter(agent=agent, present=True)
        .select_related("session", "session__programme", "session__milestone")
        .order_by("-session__held_on")[:20]
    )


def expiring_certifications(user, today: dt.date) -> list[Certification]:
    """The newest certification per agent and queue that expires within the warning period (or has)."""
    newest = {}
    for cert in visible_certifications(user).order_by(
        "agent_id", "queue_id", "-certified_on", "-pk"
    ):
        newest.setdefault((cert.agent_id, cert.queue_id), cert)
    limit = today + dt.timedelta(days=RECERTIFY_WARNING_DAYS)
    return sorted((c for c in newest.values() if c.expires_on <= limit), key=lambda c: c.expires_on)


# --- progress --------------------------------------------------------------------------------------


def progress_rows(enrolment: Enrolment) -> list[dict]:
    done = {p.milestone_id: p for p in enrolment.progress.select_related("marked_by")}
    return [{"milestone": m, "done": done.get(m.pk)} for m in enrolment.programme.milestones.all()]


def progress_share(enrolments: list[Enrolment]) -> dict[int, tuple[int, int]]:
    """{enrolment id: (milestones done, milestones)}: two queries."""
    totals = dict(
        Milestone.objects.filter(programme_id__in={e.programme_id for e in enrolments})
        .order_by()
        .values_list("programme_id")
        .annotate(n=Count("pk"))
    )
    done = dict(
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
        .order_by()
        .values_list("pk")
        .annotate(n=Count("progress"))
    )
    return {e.pk: (done.get(e.pk, 0), totals.get(e.programme_id, 0)) for e in enrolments}


# --- the graduation gate ---------------------------------------------------------------------------


def tenured_median_aht(site_id: int, today: dt.date, queue_name: str = "") -> float | None:
    """The median of the site's tenured agents' own AHT over the last 30 days (performance's)."""
    return handle_time.tenured_median_aht([site_id], today, queue_name)


def _queue_name(programme: Programme) -> str:
    return programme.queue.history_name if programme.queue_id and programme.queue else ""


def gate_results(
    enrolments: list[Enrolment], today: dt.date
) -> dict[int, tuple[GateEvidence, GateResult]]:
    """The gate of every nesting enrolment (with a cohort), from QA, AHT and the certification quiz.

    A fixed number of queries per programme: QA averages, critical fails, AHT and the median, quiz bests.
    """
    out: dict[int, tuple[GateEvidence, GateResult]] = {}
    by_programme: dict[int, list[Enrolment]] = defaultdict(list)
    for e in enrolments:
        if e.cohort_id:
            by_programme[e.programme_id].append(e)
    for items in by_programme.values():
        programme = items[0].programme
        start = min(e.cohort.starts_on for e in items)
        ids = [e.agent_id for e in items]
        scores = qa_averages(ids, start, today)
        critical = dict(
            Evaluation.objects.filter(
                agent_id__in=ids,
                day__gte=start,
                day__lte=today,
                kind=EvaluationKind.INSPECTION,
                status=EvaluationStatus.RELEASED,
            )
            .exclude(critical_failed="")
            .order_by()
            .values_list("agent_id")
            .annotate(n=Count("pk"))
        )
        queue_name = _queue_name(programme)
        aht = handle_time.aht_by_agent(ids, start, today, queue_name)
        median_aht = tenured_median_aht(programme.site_id, today, queue_name)
        quiz = {}
        if programme.certification_quiz_id:
            quiz = dict(
                Attempt.objects.filter(
                    quiz_id=programme.certification_quiz_id,
                    agent_id__in=ids,
                    mode=AttemptMode.FINAL,
                )
                .order_by()
                .values_list("agent_id")
                .annotate(best=Max("score"))
            )
        for e in items:
            qa = scores.get(e.agent_id)
            evidence = GateEvidence(
                qa_count=qa["count"] if qa else 0,
                qa_average=round(qa["average"], 2) if qa else None,
                critical_fails=critical.get(e.agent_id, 0),
                aht=round(aht[e.agent_id], 1) if e.agent_id in aht else None,
                tenured_median_aht=round(median_aht, 1) if median_aht is not None else None,
                quiz_score=quiz.get(e.agent_id),
            )
            out[e.pk] = (evidence, evaluate(e.cohort.gate_rules(), evidence))
    return out


def gate_for(
    enrolment: Enrolment, today: dt.date | None = None
) -> tuple[GateEvidence, GateResult] | None:
    return gate_results([enrolment], today or timezone.localdate()).get(enrolment.pk)


def signed_roles(enrolment: Enrolment) -> dict[str, SignOff]:
    return {s.role: s for s in enrolment.sign_offs.select_related("user")}


def exposure_today(enrolment: Enrolment, today: dt.date) -> dict:
    cohort = enrolment.cohort
    if cohort is None:
        return {}
    week = exposure.nesting_week(cohort.starts_on, today)
    allowed = exposure.allowed_queues(cohort.exposure, week)
    return {
        "week": week,
        "stage": exposure.stage_of(cohort.exposure, week),
        "queues": None if allowed is None else sorted(allowed),
    }


# --- queue limits for the roster -------------------------------------------------------------------


def nesting_periods(agent_ids, start: dt.date, end: dt.date) -> list[tuple[int, dt.date, float]]:
    """For engagement's attrition risk (``core.registries.risk_signals``): (agent, day nesting
    started, its length in days) for nesting cohorts starting by ``end`` and running past
    ``start`` (one query)."""
    rows = Enrolment.objects.filter(
        agent_id__in=list(agent_ids), cohort__isnull=False, cohort__starts_on__lte=end
    ).values_list("agent_id", "cohort__starts_on", "cohort__weeks", "nesting_until")
    out = []
    for agent_id, starts_on, weeks, until in rows:
        days = (until - starts_on).days if until else 7 * weeks
        if starts_on + dt.timedelta(days=days) > start:
            out.append((agent_id, starts_on, float(days)))
    return out


def nesting_queue_limits(agent_ids, start: dt.date, end: dt.date) -> dict[int, frozenset[str]]:
    """For the roster (``core.registries.queue_limits``): the queues each agent in nesting may take
    on every day from ``start`` to ``end``; agents not in nesting (or in the full mix) are left out."""
    out: dict[int, frozenset[str]] = {}
    rows = Enrolment.objects.filter(
        agent_id__in=list(agent_ids),
        cohort__isnull=False,
        status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.NESTING),
    ).select_related("cohort")
    for e in rows:
        allowed = exposure.allowed_between(e.cohort.exposure, e.cohort.starts_on, start, end)
        if allowed is not None:
            out[e.agent_id] = allowed if e.agent_id not in out else out[e.agent_id] & allowed
    return out


# --- how nesting ended, for recruiting's channel report ------------------------------------------


def nesting_outcomes(agent_ids) -> dict[int, bool | None]:
    """For ``core.registries.nesting_outcomes``: per agent with a cohort enrolment, True when
    graduated, False when withdrawn, None while still in training or nesting (one query).
    An agent in several cohorts: graduated from any wins, then still open, then withdrawn."""
    out: dict[int, bool | None] = {}
    rank = {True: 2, None: 1, False: 0}
    for agent_id, status in Enrolment.objects.filter(
        agent_id__in=agent_ids, cohort__isnull=False
    ).values_list("agent_id", "status"):
        value: bool | None
        if status == EnrolmentStatus.GRADUATED:
            value = True
        elif status == EnrolmentStatus.WITHDRAWN:
            value = False
        elif status == EnrolmentStatus.COMPLETED:
            value = True
        else:
            value = None
        if agent_id not in out or rank[value] > rank[out[agent_id]]:
            out[agent_id] = value
    return out
