"""Building quality data for the tests (also used by the permission cases)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

_ids = itertools.count(1)
DAY = dt.date(2026, 3, 2)  # a Monday before the frozen "now" (2026-03-11)

DEFINITION = {
    "max_score": 100,
    "sections": [
        {"key": "open", "label": "开场", "criteria": [
            {"key": "greet", "label": "问候语", "points": 10, "scale": "yes_no"},
            {"key": "verify", "label": "身份核实", "points": 20, "scale": "yes_no", "critical": "total"},
        ]},
        {"key": "solve", "label": "解决", "criteria": [
            {"key": "accuracy", "label": "准确", "points": 50, "scale": "points", "na_allowed": True},
            {"key": "courtesy", "label": "礼貌", "points": 20, "scale": "one_to_five"},
        ]},
    ],
}
GOOD = {"greet": {"answer": "yes"}, "verify": {"answer": "yes"}, "accuracy": {"answer": 40},
        "courtesy": {"answer": 5}}  # 10 + 20 + 40 + 20 = 90


def contact(agent, ext=None, day=DAY, **fields):
    from zhiren.performance.models import Interaction

    ext = ext or f"C-{next(_ids)}"
    offered = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    return Interaction.objects.create(external_id=ext, agent=agent, team=agent.team, offered_at=offered,
                                      answered_at=offered, day=day, slot=40, talk_seconds=200, **fields)


def scorecard(site, definition=None):
    from zhiren.quality.models import Scorecard, ScorecardVersion

    card = Scorecard.objects.create(site=site, name="电话质检表", channel="voice")
    ScorecardVersion.objects.create(scorecard=card, number=1, definition=definition or DEFINITION)
    return card


def evaluation(w, agent=None, ext=None, *, released=True, answers=None):
    from zhiren.quality.models import Evaluation

    agent = agent or w.agent
    card = scorecard(agent.team.site)
    now = timezone.now()
    return Evaluation.objects.create(
        interaction=contact(agent, ext), agent=agent, team=agent.team, version=card.current(),
        inspector=w.user("qa"), answers=answers or GOOD, score=Decimal("90.00"), day=DAY, submitted_at=now,
        status="released" if released else "submitted", released_at=now if released else None,
    )


def transcript(interaction, turns):
    from zhiren.quality.models import Transcript, Turn

    t = Transcript.objects.create(interaction=interaction, agent=interaction.agent, team=interaction.team)
    Turn.objects.bulk_create(Turn(transcript=t, seq=n, speaker=s, start=a, end=b, text=x)
                             for n, (s, a, b, x) in enumerate(turns))
    return t


def dispute(w, status="open"):
    from zhiren.quality.models import Dispute

    item = evaluation(w)
    return Dispute.objects.create(evaluation=item, agent=item.agent, raised_by=w.user("agent"),
                                  raised_at=timezone.now(), comment="不服", status=status,
                                  replied_at=timezone.now() if status != "open" else None,
                                  level=2 if status == "escalated" else 1)
