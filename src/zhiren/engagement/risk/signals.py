"""The attrition engine's input read from the database: identified operational signals only.

One query per signal for the whole set of agents (a team to score, or every agent to train
on), never one per agent. What is read, and from where:

- mood check-ins (wellbeing), emotional-bank entries and heart-to-heart talks (people),
  praise (coaching's BIA feedback and the bank's praise entries), customer satisfaction by
  day (performance), shifts changed after publishing (workforce's notices);
- absences and lateness (discipline), QA scores (quality) and nesting periods (training)
  through ``core.registries.risk_signals``, as those apps sit beside or above this one.

Survey answers are not read here, and ``attrition.history`` refuses them by name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Sum
from django.utils import timezone

from zhiren.coaching.models import Feedback, FeedbackKind
from zhiren.core.registries import risk_signals
from zhiren.people.models import BankEntry, EntryKind, TalkParticipant
from zhiren.performance.models import DailyStat
from zhiren.wellbeing.models import MoodEntry
from zhiren.workforce.models import ShiftNotice

from ..attrition.history import History

UNKNOWN_TENURE_DAYS = 3 * 365  # an agent without a hire date counts as long-serving


def _rows(rows: Iterable[tuple[int, dt.date, float]]) -> list[tuple[int, int, float]]:
    return [(agent_id, day.toordinal(), float(value)) for agent_id, day, value in rows]


def read_signals(agent_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, list]:
    """Signal name -> [(agent id, day ordinal, value)] from ``start`` to ``end``."""
    ids = list(agent_ids)
    signals: dict[str, list] = {}
    signals["mood"] = _rows(
        MoodEntry.objects.filter(agent_id__in=ids, day__gte=start, day__lte=end).values_list(
            "agent_id", "day", "score"
        )
    )
    signals["ledger"] = _rows(
        BankEntry.objects.filter(
            agent_id__in=ids, occurred_on__gte=start, occurred_on__lte=end
        ).values_list("agent_id", "occurred_on", "amount")
    )
    signals["talk"] = [
        (agent_id, day.toordinal(), 1.0)
        for agent_id, day in TalkParticipant.objects.filter(
            agent_id__in=ids, talk__held_on__gte=start, talk__held_on__lte=end
        ).values_list("agent_id", "talk__held_on")
    ]
    praise = list(
        Feedback.objects.filter(
            agent_id__in=ids, kind=FeedbackKind.PRAISE, given_on__gte=start, given_on__lte=end
        ).values_list("agent_id", "given_on")
    )
    praise += list(
        BankEntry.objects.filter(
            agent_id__in=ids, kind=EntryKind.PRAISE, occurred_on__gte=start, occurred_on__lte=end
        ).values_list("agent_id", "occurred_on")
    )
    signals["praise"] = [(agent_id, day.toordinal(), 1.0) for agent_id, day in praise]
    signals["kpi"] = [
        (row["agent_id"], row["day"].toordinal(), row["total"] / row["count"])
        for row in DailyStat.objects.filter(
            agent_id__in=ids, day__gte=start, day__lte=end, csat_count__gt=0
        )
        .order_by()
        .values("agent_id", "day")
        .annotate(total=Sum("csat_sum"), count=Sum("csat_count"))
    ]
    changed = ShiftNotice.objects.filter(
        agent_id__in=ids,
        created_at__date__gte=start,
        created_at__date__lte=end,
    ).values_list("agent_id", "created_at")
    signals["schedule_change"] = [
        (agent_id, timezone.localdate(at).toordinal(), 1.0) for agent_id, at in changed
    ]
    by_signal: dict[str, list] = defaultdict(list)
    for entry in risk_signals.values():
        by_signal[entry.signal] += _rows(entry.fn(ids, start, end))
    signals.update(by_signal)
    return signals


def build_history(
    people: Sequence[tuple[int, dt.date | None, dt.date | None]],
    start: dt.date,
    end: dt.date,
) -> History:
    """``people``: (agent id, hire date, leaving date or None) → the engine's history."""
    default_hire = (end - dt.timedelta(days=UNKNOWN_TENURE_DAYS)).toordinal()
    rows = [
        (pk, hired.toordinal() if hired else default_hire, left.toordinal() if left else None)
        for pk, hired, left in people
    ]
    return History.build(rows, read_signals([pk for pk, _, _ in people], start, end))
