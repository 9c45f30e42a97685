"""What engagement contributes to the lead's workspace (``huddle_sources``): competition results
to read out at the 晨会, and — for the lead's eyes only — how many of the team's people saw their
leaving risk rise. Registered deferred (the risk model needs NumPy)."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import HUDDLE_PRAISE, HUDDLE_TODAY, HuddleItem
from zhiren.org.models import Team

from .models import Competition, RiskModel

# Results published this many days before the huddle are still news.
RESULT_DAYS = 1
# The risk is compared with its level this many days before.
RISK_COMPARED_DAYS = 28
LEVEL_RANK = {"low": 0, "raised": 1, "high": 2}


def huddle_competitions(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """Competitions of the team's site whose results came out yesterday or today: the team's win
    is praise to read out; otherwise that the ranking is out (one query, no other team named)."""
    day = timezone.localdate(shift_start)
    competitions = Competition.objects.filter(
        site__teams=team_id,
        published_on__range=(day - dt.timedelta(days=RESULT_DAYS), day),
    ).order_by("published_on", "pk")
    items = []
    for c in competitions:
        won = team_id in (c.winners or [])
        items.append(
            HuddleItem(
                kind="competition",
                section=HUDDLE_PRAISE,
                key=f"engagement:competition:{c.pk}",
                text=gettext_noop("We won %(title)s: first in %(metric)s. Well done, everyone!")
                if won
                else gettext_noop("Results of %(title)s (%(metric)s) are out: see the ranking."),
                params={"title": c.title, "metric": str(c.get_metric_display())},
            )
        )
    return items


def huddle_risk_rising(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """How many of the team's people rose a leaving-risk level over four weeks: a private point
    with no name (the risk page, which audits each read, says who). Only with a model already
    fitted: the huddle never fits one. A query per signal, twice."""
    from .risk.services import REFIT_DAYS, score_team

    day = timezone.localdate(shift_start)
    stored = RiskModel.objects.filter(trained_on__gt=day - dt.timedelta(days=REFIT_DAYS)).first()
    team = Team.objects.filter(pk=team_id).first()
    if stored is None or team is None:
        return []
    now = {r.agent.pk: r.level for r in score_team(team, day, stored)}
    before = {
        r.agent.pk: r.level
        for r in score_team(team, day - dt.timedelta(days=RISK_COMPARED_DAYS), stored)
    }
    rose = sum(
        1
        for pk, level in now.items()
        if level != "low" and LEVEL_RANK[level] > LEVEL_RANK[before.get(pk, "low")]
    )
    if not rose:
        return []
    return [
        HuddleItem(
            kind="risk_rising",
            section=HUDDLE_TODAY,
            key="engagement:risk",
            private=True,
            text=gettext_noop(
                "Leaving risk rose for %(count)s people in four weeks: a reason to talk, not a"
                " verdict (who: %(page)s)."
            ),
            params={"count": str(rose), "page": f"{reverse('engagement:risk')}?team={team.code}"},
        )
    ]
