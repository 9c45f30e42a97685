"""Reads of the quality app, scoped through ``zhiren.org.scoping``.

- agents: their own *released* evaluations, disputes and rule hits (not calibration);
- team leads: the same for the teams they lead;
- QA inspectors: the evaluations, samples and transcripts of the teams their QA role
  covers (the contacts of their sampling plans), and their own calibration results;
- the QA lead (QA at site scope, site manager, administrator): all QA data of the site.

Transcripts hold customers' personal data: only the roles that score or coach
(``TRANSCRIPT_ROLES``) open them, and each open is audit-logged (``services.open_transcript``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, Q, QuerySet

from zhiren.core.registries import MetricAsk, MetricValue
from zhiren.org.models import Role

from . import sampling
from .models import (
    Dispute,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    RuleHit,
    Sample,
    SamplingPlan,
    ScorecardVersion,
    Transcript,
)
from .scoring import card_from_definition, passed

QA_ROLES = (Role.QA, Role.SITE_MANAGER, Role.ADMIN)
TRANSCRIPT_ROLES = (Role.QA, Role.TEAM_LEAD, Role.TRAINER)


def visible_evaluations(user) -> QuerySet[Evaluation]:
    qa = Evaluation.objects.visible_to(user, QA_ROLES, via="team")
    released = Evaluation.objects.filter(status=EvaluationStatus.RELEASED).exclude(kind=EvaluationKind.CALIBRATION)
    floor = released.visible_to(user, (Role.TEAM_LEAD,), via="team", own=True, own_via="agent")
    return (qa | floor).distinct().select_related("agent", "team", "version__scorecard", "inspector", "interaction")


def visible_disputes(user) -> QuerySet[Dispute]:
    qa = Dispute.objects.visible_to(user, QA_ROLES, via="evaluation__team")
    floor = Dispute.objects.visible_to(user, (Role.TEAM_LEAD,), via="evaluation__team", own=True, own_via="agent")
    return (qa | floor).distinct().select_related("evaluation", "evaluation__agent", "evaluation__inspector")


def visible_hits(user) -> QuerySet[RuleHit]:
    qa = RuleHit.objects.visible_to(user, QA_ROLES, via="team")
    floor = RuleHit.objects.visible_to(user, (Role.TEAM_LEAD,), via="team", own=True, own_via="agent")
    return (qa | floor).distinct().select_related("rule", "turn", "agent")


def visible_transcripts(user) -> QuerySet[Transcript]:
    return Transcript.objects.visible_to(user, TRANSCRIPT_ROLES, via="team").select_related("interaction", "agent")


def queue(user, limit: int = 50) -> list[Sample]:
    """What the inspector scores next: drawn samples of their plans not scored yet, oldest first."""
    samples = (Sample.objects.visible_to(user, (Role.QA,), via="plan__team")
               .filter(plan__inspectors=user, plan__active=True)
               .exclude(interaction_id__in=Evaluation.objects.filter(kind=EvaluationKind.INSPECTION)
                        .values("interaction_id"))
               .select_related("agent", "interaction", "plan")
               .order_by("period_start", "pk"))
    return list(samples[:limit])


def self_queue(user) -> list[Sample]:
    """The agent's own drawn contacts of plans with self-evaluation, not yet self-evaluated."""
    done = Evaluation.objects.filter(kind=EvaluationKind.SELF).values("interaction_id")
    return list(Sample.objects.visible_to(user, (), own=True).filter(plan__self_evaluation=True, plan__active=True)
                .exclude(interaction_id__in=done).select_related("interaction", "plan__scorecard")
                .order_by("period_start", "pk")[:20])


def coverage_rows(user, plan: SamplingPlan, day: dt.date) -> list[dict]:
    return coverage(user, [plan], day)[plan.pk]


def coverage(user, plans: list[SamplingPlan], day: dt.date) -> dict[int, list[dict]]:
    """Per plan, per agent of the period holding ``day``: planned, scored, average score, rank.

    An agent with fewer scored contacts than ``sampling.MIN_RELIABLE`` is marked and not
    ranked. Two queries whatever the number of plans.
    """
    result: dict[int, list[dict]] = {plan.pk: [] for plan in plans}
    if not plans:
        return result
    periods = Q()
    scored_periods = Q()
    for plan in plans:
        start, _end = sampling.period_bounds(plan.period, day)
        periods |= Q(plan_id=plan.pk, period_start=start)
        scored_periods |= Q(sample__plan_id=plan.pk, sample__period_start=start)
    planned: dict[tuple[int, int], dict] = {}
    for row in (Sample.objects.filter(periods).order_by().values("plan", "agent", "agent__name")
                .annotate(n=Count("pk"))):
        planned[(row["plan"], row["agent"])] = {"name": row["agent__name"], "planned": row["n"]}
    scored = {(row["sample__plan"], row["agent"]): row for row in (
        Evaluation.objects.filter(pk__in=visible_evaluations(user).values("pk"))
        .filter(scored_periods, kind=EvaluationKind.INSPECTION)
        .order_by().values("sample__plan", "agent", "agent__name").annotate(n=Count("pk"), avg=Avg("score")))}
    for key in sorted(set(planned) | set(scored), key=lambda k: (k[0], planned.get(k, scored.get(k, {})).get(
            "name") or scored.get(k, {}).get("agent__name") or "")):
        plan_id, agent_id = key
        done = scored.get(key, {}).get("n", 0)
        average = scored.get(key, {}).get("avg")
        result[plan_id].append({
            "agent_id": agent_id, "name": planned.get(key, {}).get("name") or scored[key]["agent__name"],
            "planned": planned.get(key, {}).get("planned", 0), "scored": done,
            "average": None if average is None else float(average), "reliable": sampling.reliable(done)})
    for rows in result.values():
        ranked = sorted((r for r in rows if r["reliable"] and r["average"] is not None), key=lambda r: -r["average"])
        for n, row in enumerate(ranked, 1):
            row["rank"] = n
    return result


def qa_averages(agent_ids, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Released inspection scores per agent over the days: {agent: {"average", "count"}} (one query)."""
    rows = (Evaluation.objects.filter(agent_id__in=list(agent_ids), day__gte=start, day__lte=end,
                                      kind=EvaluationKind.INSPECTION, status=EvaluationStatus.RELEASED,
                                      score__isnull=False)
            .order_by().values("agent").annotate(avg=Avg("score"), n=Count("pk")))
    return {r["agent"]: {"average": float(r["avg"]), "count": r["n"]} for r in rows}


def qa_events(agent_ids, start: dt.date, end: dt.date):
    """(agent, contact day, score) of released inspections over the days (one query)."""
    return (Evaluation.objects.filter(agent_id__in=list(agent_ids), day__gte=start, day__lte=end,
                                      kind=EvaluationKind.INSPECTION, status=EvaluationStatus.RELEASED,
                                      score__isnull=False)
            .values_list("agent_id", "day", "score"))


def hits_by_rule(hits: QuerySet[RuleHit]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for name in hits.values_list("rule__name", flat=True):
        counts[name] += 1
    return dict(counts)


# --- metrics for goals and improvement plans (``providers.qa_kpi_source``) ---------------------

LEVEL_FIELDS = {"agent": "agent_id", "team": "team_id", "site": "team__site_id"}


def _released_inspections() -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(kind=EvaluationKind.INSPECTION, status=EvaluationStatus.RELEASED)


def _ask_condition(ask: MetricAsk) -> Q:
    return Q(**{LEVEL_FIELDS[ask.level]: ask.subject_id, "day__gte": ask.start, "day__lte": ask.end})


def qa_score_values(asks: list[MetricAsk]) -> list[MetricValue]:
    """The mean released QA score of each ask's subject and days, and how many evaluations (one query)."""
    if not asks:
        return []
    aggregates = {}
    for n, ask in enumerate(asks):
        cond = _ask_condition(ask)
        aggregates[f"avg{n}"] = Avg("score", filter=cond)
        aggregates[f"n{n}"] = Count("pk", filter=cond)
    scope = Q()
    for ask in asks:
        scope |= _ask_condition(ask)
    totals = _released_inspections().filter(scope, score__isnull=False).aggregate(**aggregates)
    return [MetricValue(None if totals[f"avg{n}"] is None else float(totals[f"avg{n}"]), float(totals[f"n{n}"]))
            for n in range(len(asks))]


def pass_rate_values(asks: list[tuple[MetricAsk, str]]) -> list[MetricValue]:
    """For each (ask, criterion key): the share (%) of the criterion's non-N/A answers in released
    evaluations of the subject and days that pass (``scoring.passed``), and how many answers.

    Two queries (the evaluations answering any asked criterion, then their scorecard versions).
    """
    if not asks:
        return []
    scope = Q()
    for ask, key in asks:
        scope |= _ask_condition(ask) & Q(answers__has_key=key)
    rows = list(_released_inspections().filter(scope).order_by()
                .values_list("agent_id", "team_id", "team__site_id", "day", "version_id", "answers"))
    cards = {v.pk: {c.key: c for _s, c in card_from_definition(v.definition).criteria()}
             for v in ScorecardVersion.objects.filter(pk__in={r[4] for r in rows})}
    result = []
    for ask, key in asks:
        column = {"agent": 0, "team": 1, "site": 2}[ask.level]
        answered = passes = 0
        for row in rows:
            if row[column] != ask.subject_id or not ask.start <= row[3] <= ask.end:
                continue
            criterion = cards[row[4]].get(key)
            entry = row[5].get(key)
            if criterion is None or not isinstance(entry, dict):
                continue
            verdict = passed(criterion, entry.get("answer"))
            if verdict is None:
                continue
            answered += 1
            passes += verdict
        result.append(MetricValue(100.0 * passes / answered if answered else None, float(answered)))
    return result


def criterion_labels(offered: bool = False) -> dict[str, str]:
    """Criterion keys with their labels in the newest version holding them (one query). ``offered``:
    only the criteria of the newest version of each scorecard in use (what a form offers)."""
    rows = ScorecardVersion.objects.order_by("scorecard_id", "number").values_list(
        "scorecard_id", "scorecard__active", "definition")
    definitions = ({card: d for card, active, d in rows if active}.values() if offered
                   else [d for _card, _active, d in rows])
    labels: dict[str, str] = {}
    for definition in definitions:
        for section in definition.get("sections", []):
            for c in section.get("criteria", []):
                labels[c["key"]] = c.get("label") or c["key"]
    return labels
