"""Training effect per programme, Kirkpatrick's four levels, computed from records (never typed):

- **L1 反应 Reaction**: trainees' 1–5 ratings of the sessions they attended, by format, over
  the whole site (which formats its people value, seed 003) and for this programme;
- **L2 学习 Learning**: each trainee's pre-test against their best final attempt on the
  programme's quizzes (paired change, percentage points);
- **L3 行为 Behaviour**: the QA criteria the programme targets, the share of the criterion's
  points earned in released inspections in the 60 days before enrolment against the 60 days
  after completion (paired, per trainee);
- **L4 结果 Results**: CSAT (mean 1–5), AHT (seconds) and FCR (%) per agent, 30 days before
  enrolment against 30 days after completion, the trainees' change against the change of
  untrained peers of the same site over the same calendar windows (difference in differences).

Each figure carries its n and a 95 % interval (``stats``); too little data shows as missing.
Queries: a fixed number per programme.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import median

from django.db.models import Avg, Sum

from zhiren.org.models import Agent, AgentStatus
from zhiren.performance.models import DailyStat
from zhiren.quality.models import Evaluation, EvaluationKind, EvaluationStatus
from zhiren.quality.scoring import NA, ScoringError, card_from_definition

from . import stats
from .models import Attempt, AttemptMode, Attendance, Enrolment, EnrolmentStatus, Format, Programme

L3_DAYS = 60
L4_DAYS = 30
KPIS = (
    ("csat", "csat_sum", "csat_count", 1.0),
    ("aht", "handle_sum", "answered", 1.0),
    ("fcr", "fcr_hits", "fcr_base", 100.0),
)


def level1(programme: Programme) -> dict:
    rows = Attendance.objects.filter(
        session__programme__site_id=programme.site_id, rating__isnull=False
    ).values_list("session__format", "session__programme_id", "rating")
    site: dict[str, list[float]] = defaultdict(list)
    own: dict[str, list[float]] = defaultdict(list)
    for fmt, programme_id, rating in rows:
        site[fmt].append(rating)
        if programme_id == programme.pk:
            own[fmt].append(rating)
    labels = dict(Format.choices)
    formats = [
        {
            "format": code,
            "label": labels[code],
            "site": stats.mean_ci(site.get(code, [])),
            "programme": stats.mean_ci(own.get(code, [])),
        }
        for code in Format.values
    ]
    formats.sort(key=lambda r: (r["site"].value is None, -(r["site"].value or 0)))
    return {"formats": formats}


def level2(programme: Programme) -> stats.Estimate:
    pre: dict[int, float] = {}
    final: dict[int, float] = {}
    for agent_id, mode, score in (
        Attempt.objects.filter(quiz__programme=programme)
        .exclude(mode=AttemptMode.PRACTICE)
        .order_by("submitted_at", "pk")
        .values_list("agent_id", "mode", "score")
    ):
        if mode == AttemptMode.PRE:
            pre.setdefault(agent_id, score)
        else:
            final[agent_id] = max(score, final.get(agent_id, score))
    both = sorted(set(pre) & set(final))
    return stats.paired_change([pre[a] for a in both], [final[a] for a in both])


def _criteria_shares(evaluations, targeted: set[str]) -> list[float]:
    out = []
    cards: dict[int, object] = {}
    for version_id, definition, answers in evaluations:
        if version_id not in cards:
            try:
                cards[version_id] = card_from_definition(definition)
            except ScoringError:
                cards[version_id] = None
        card = cards[version_id]
        if card is None:
            continue
        for _section, criterion in card.criteria():  # type: ignore[attr-defined]
            answer = (answers.get(criterion.key) or {}).get("answer")
            if criterion.key in targeted and answer is not None and answer != NA:
                try:
                    out.append(float(criterion.fraction(answer)))
                except (ValueError, TypeError, ScoringError):
                    continue
    return out


def _closed(programme: Programme) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(
            programme=programme,
            completed_on__isnull=False,
            status__in=(EnrolmentStatus.COMPLETED, EnrolmentStatus.GRADUATED),
        )
    )


def level3(programme: Programme, enrolments: list[Enrolment]) -> dict:
    targeted = set(programme.targeted_criteria or [])
    if not targeted or not enrolments:
        return {"criteria": sorted(targeted), "change": stats.paired_change([], [])}
    start = min(e.enrolled_on for e in enrolments) - dt.timedelta(days=L3_DAYS)
    end = max(e.completed_on for e in enrolments) + dt.timedelta(days=L3_DAYS)  # type: ignore[type-var]
    rows = Evaluation.objects.filter(
        agent_id__in=[e.agent_id for e in enrolments],
        day__gte=start,
        day__lte=end,
        kind=EvaluationKind.INSPECTION,
        status=EvaluationStatus.RELEASED,
    ).values_list("agent_id", "day", "version_id", "version__definition", "answers")
    by_agent: dict[int, list] = defaultdict(list)
    for agent_id, day, version_id, definition, answers in rows:
        by_agent[agent_id].append((day, version_id, definition, answers))
    before, after = [], []
    for e in enrolments:
        items = by_agent.get(e.agent_id, [])
        b = _criteria_shares(
            [
                (v, d, a)
                for day, v, d, a in items
                if e.enrolled_on - dt.timedelta(days=L3_DAYS) <= day < e.enrolled_on
            ],
            targeted,
        )
        f = _criteria_shares(
            [
                (v, d, a)
                for day, v, d, a in items
                if e.completed_on < day <= e.completed_on + dt.timedelta(days=L3_DAYS)
            ],
            targeted,
        )
        if b and f:
            before.append(100 * sum(b) / len(b))
            after.append(100 * sum(f) / len(f))
    return {"criteria": sorted(targeted), "change": stats.paired_change(before, after)}


def _kpi_by_agent(agent_ids, start: dt.date, end: dt.date) -> dict[int, dict[str, float]]:
    fields = {name for _code, num, den, _scale in KPIS for name in (num, den)}
    out: dict[int, dict[str, float]] = {}
    for row in (
        DailyStat.objects.filter(agent_id__in=list(agent_ids), day__gte=start, day__lte=end)
        .order_by()
        .values("agent_id")
        .annotate(**{f: Sum(f) for f in fields})
    ):
        values = {}
        for code, num, den, scale in KPIS:
            if row[den]:
                values[code] = scale * row[num] / row[den]
        out[row["agent_id"]] = values
    return out


def level4(programme: Programme, enrolments: list[Enrolment]) -> dict:
    """Trainees' change against untrained peers' change over the same windows, per KPI."""
    empty = {
        code: {
            "trained": stats.mean_ci([]),
            "peers": stats.mean_ci([]),
            "effect": stats.difference([], []),
        }
        for code, *_rest in KPIS
    }
    if not enrolments:
        return empty
    enrolled = median([e.enrolled_on.toordinal() for e in enrolments])
    completed = median([e.completed_on.toordinal() for e in enrolments])  # type: ignore[union-attr]
    before = (
        dt.date.fromordinal(int(enrolled)) - dt.timedelta(days=L4_DAYS),
        dt.date.fromordinal(int(enrolled)) - dt.timedelta(days=1),
    )
    after = (
        dt.date.fromordinal(int(completed)) + dt.timedelta(days=1),
        dt.date.fromordinal(int(completed)) + dt.timedelta(days=L4_DAYS),
    )
    trained = {e.agent_id for e in enrolments}
    ever = set(Enrolment.objects.filter(programme=programme).values_list("agent_id", flat=True))
    peers = set(
        Agent.objects.filter(team__site_id=programme.site_id, status=AgentStatus.ACTIVE)
        .exclude(pk__in=ever)
        .values_list("pk", flat=True)
    )
    ids = trained | peers
    first, second = _kpi_by_agent(ids, *before), _kpi_by_agent(ids, *after)
    out = {}
    for code, *_rest in KPIS:

        def changes(group: set[int], code: str = code) -> list[float]:
            return [
                second[a][code] - first[a][code]
                for a in sorted(group)
                if code in first.get(a, {}) and code in second.get(a, {})
            ]

        t, p = changes(trained), changes(peers)
        out[code] = {
            "trained": stats.mean_ci(t),
            "peers": stats.mean_ci(p),
            "effect": stats.difference(t, p),
        }
    return {**out, "windows": {"before": before, "after": after}}


def programme_effect(programme: Programme) -> dict:
    closed = _closed(programme)
    return {
        "l1": level1(programme),
        "l2": level2(programme),
        "l3": level3(programme, closed),
        "l4": level4(programme, closed),
        "closed": len(closed),
        "ratings": Attendance.objects.filter(
            session__programme=programme, rating__isnull=False
        ).aggregate(avg=Avg("rating"))["avg"],
    }
