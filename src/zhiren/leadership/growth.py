"""The lead's growth self-check: behavioural evidence the system already holds for each of seed
004's seven abilities (``wheel.ABILITIES``), over the 30 days up to the day of the check."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from zhiren.coaching.models import Delegation, Feedback, FeedbackKind
from zhiren.discipline import ladder
from zhiren.discipline.models import Violation
from zhiren.discipline.selectors import consistency_report
from zhiren.org.models import Agent, AgentStatus
from zhiren.people.selectors import talk_statuses

from . import quadrants, wheel
from .models import CardState, CardStatus

PERIOD_DAYS = 30

ABILITY_LABELS = {
    wheel.TIME: _("Time management"),
    wheel.EMOTION: _("Managing emotions"),
    wheel.INITIATIVE: _("Initiative"),
    wheel.LEARNING: _("Learning"),
    wheel.EFFECTIVENESS: _("From efficiency to effectiveness"),
    wheel.EXECUTION: _("Execution"),
    wheel.INTEGRITY: _("Integrity"),
}


def _entry(reading: float | None, text: str, **params) -> dict:
    return {"reading": reading, "text": text, "params": {k: str(v) for k, v in params.items()}}


def evidence(user, team_ids: list[int], today: date) -> dict[str, dict]:
    """Each ability's reading (0–5, None: no evidence) with the facts behind it, as plain JSON
    (kept with the check). About nine queries."""
    start = today - timedelta(days=PERIOD_DAYS - 1)
    result: dict[str, dict] = {}

    cards = CardState.objects.filter(owner=user, decided_on__range=(start, today)).exclude(
        status=CardStatus.OPEN
    )
    row = cards.aggregate(decided=Count("pk"), plan=Count("pk", filter=Q(quadrant=quadrants.PLAN)))
    moved = (
        CardState.objects.filter(owner=user, first_quadrant=quadrants.PLAN, quadrant=quadrants.DO)
        .filter(Q(decided_on__range=(start, today)) | Q(status=CardStatus.OPEN))
        .count()
    )
    result[wheel.TIME] = _entry(
        wheel.share_reading(row["plan"], row["decided"], wheel.PLAN_SHARE_FULL),
        gettext_noop(
            "%(plan)s of %(decided)s cards decided were in quadrant II; %(moved)s slid from II to I."
        ),
        plan=row["plan"],
        decided=row["decided"],
        moved=moved,
    )

    fb = Feedback.objects.filter(lead=user, given_on__range=(start, today)).aggregate(
        praise=Count("pk", filter=Q(kind=FeedbackKind.PRAISE)),
        corrections=Count("pk", filter=Q(kind=FeedbackKind.CORRECTIVE)),
        beliefs=Count("pk", filter=Q(kind=FeedbackKind.CORRECTIVE, beliefs_shown=True)),
    )
    result[wheel.EMOTION] = _entry(
        wheel.ratio_reading(fb["praise"], fb["corrections"]),
        gettext_noop(
            "Praise to correction: %(praise)s to %(corrections)s; the three beliefs shown before"
            " %(beliefs)s of the corrections."
        ),
        praise=fb["praise"],
        corrections=fb["corrections"],
        beliefs=fb["beliefs"],
    )

    agents = list(Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE))
    statuses = talk_statuses(agents, today)
    on_time = sum(1 for s in statuses if not s.status.is_overdue)
    result[wheel.INITIATIVE] = _entry(
        wheel.share_reading(on_time, len(statuses)),
        gettext_noop("Heart-to-hearts on time: %(on_time)s of %(agents)s agents."),
        on_time=on_time,
        agents=len(statuses),
    )

    result[wheel.LEARNING] = _entry(
        None, gettext_noop("The system holds no evidence here: your own rating counts.")
    )

    delegations = Delegation.objects.filter(lead=user, assigned_on__range=(start, today)).count()
    result[wheel.EFFECTIVENESS] = _entry(
        wheel.count_reading(delegations),
        gettext_noop("Tasks delegated with the six questions: %(count)s."),
        count=delegations,
    )

    grace = Violation.objects.filter(
        team_id__in=team_ids, day__range=(start, today), phase=ladder.GRACE
    ).aggregate(
        total=Count("pk"),
        respected=Count("pk", filter=Q(consequence__in=(ladder.WARNING, ladder.NONE))),
    )
    result[wheel.EXECUTION] = _entry(
        wheel.share_reading(grace["respected"], grace["total"]),
        gettext_noop("Grace periods respected: %(respected)s of %(total)s violations in grace."),
        respected=grace["respected"],
        total=grace["total"],
    )

    needing = broken = uneven = 0
    for team in consistency_report(user, start, today):
        if team.team.pk in team_ids:
            needing += team.report.needing_response
            broken += len(team.report.broken_windows)
            uneven += len(team.report.inconsistent)
    result[wheel.INTEGRITY] = _entry(
        wheel.share_reading(max(0, needing - broken - uneven), needing),
        gettext_noop(
            "Rules applied consistently: %(broken)s left unanswered, %(uneven)s handled unevenly, of %(needing)s."
        ),
        broken=broken,
        uneven=uneven,
        needing=needing,
    )
    return result
