"""Attrition risk: the model in use (trained here, stored), and a team's scores with reasons.

The model is refitted in the background: the periodic job ``attrition_refit`` (``zhiren
worker``, daily) starts the task ``refit_attrition_model``, which fits a new one when the
newest is ``REFIT_DAYS`` old or more; a read only ever uses the newest stored model (and
fits one itself only on a fresh install that has none yet). It learns from this centre's own
history of the last two years when that history holds at least ``MIN_LEAVERS`` leavers;
until then it uses the model fitted on the synthetic history, and the page says so. Scores
are read by the agent's lead and HR only; each read is audit-logged per agent. A score is a
prompt for a conversation, never a decision: nothing here acts on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
from django.db import transaction

from zhiren.audit import services as audit
from zhiren.org.models import Agent, AgentStatus, Team
from zhiren.privacy.models import Departure

from ..attrition import evaluation, features, synthetic
from ..attrition.model import Model, Reason, reasons
from ..models import ModelSource, Offboarding, RiskModel
from .signals import build_history

REFIT_DAYS = 30
MIN_LEAVERS = 40
HISTORY_DAYS = 730
READ_BACK_DAYS = 190  # the longest look-back of a feature: 26 weeks since a talk or praise
SYNTHETIC_SEATS = 1500

# the action suggested for each reason (a talk, a buddy, a schedule wish)
TALK, BUDDY, SCHEDULE = "talk", "buddy", "schedule"
ACTIONS = {
    "new_hire": BUDDY,
    "first_year": BUDDY,
    "nesting": BUDDY,
    "mood_trend": TALK,
    "mood_level": TALK,
    "ledger": TALK,
    "talk_gap": TALK,
    "praise_gap": TALK,
    "kpi_trend": TALK,
    "qa_trend": TALK,
    "absences": SCHEDULE,
    "lateness": SCHEDULE,
    "schedule_changes": SCHEDULE,
}


@cache
def _synthetic_fit() -> tuple[dict, dict, int]:
    """The model and hold-out report on the synthetic history (seeded: the same every time)."""
    data = synthetic.generate(SYNTHETIC_SEATS, 104, seed=5)
    _, report = evaluation.holdout(data.history, data.first, data.last)
    final = evaluation.train(data.history, data.first, data.last)
    leavers = int((data.history.left <= data.last).sum())
    return final.as_dict(), report.as_dict(), leavers


def _history_fit(today: dt.date) -> tuple[dict, dict, int] | None:
    """The model on this centre's last two years, or None when it holds too few leavers."""
    start = today - dt.timedelta(days=HISTORY_DAYS)
    departures = dict(Departure.objects.values_list("agent_id", "noticed_on"))
    # the last working day of a closed offboarding is more exact than when the purge noticed
    departures.update(
        Offboarding.objects.filter(closed_on__isnull=False).values_list("agent_id", "last_day")
    )
    people = []
    for pk, hired, status in Agent.objects.values_list("pk", "hire_date", "status"):
        left = departures.get(pk) if status == AgentStatus.LEFT else None
        if status == AgentStatus.LEFT and (left is None or left < start):
            continue
        people.append((pk, hired, left))
    leavers = sum(1 for _, _, left in people if left is not None)
    if leavers < MIN_LEAVERS:
        return None
    history = build_history(people, start - dt.timedelta(days=READ_BACK_DAYS), today)
    try:
        _, report = evaluation.holdout(history, start.toordinal(), today.toordinal())
        final = evaluation.train(history, start.toordinal(), today.toordinal())
    except ValueError:  # a period with no leaver (or no stayer): nothing to learn or test
        return None
    return final.as_dict(), report.as_dict(), leavers


def fit(today: dt.date) -> RiskModel:
    """A new fit on today's data (the centre's history, or the synthetic one), stored."""
    fitted = _history_fit(today)
    source = ModelSource.HISTORY
    if fitted is None:
        fitted, source = _synthetic_fit(), ModelSource.SYNTHETIC
    params, report, leavers = fitted
    return RiskModel.objects.create(
        source=source, trained_on=today, leavers=leavers, params=params, report=report
    )


def newest_model() -> RiskModel | None:
    return RiskModel.objects.order_by("-trained_on", "-pk").first()


@transaction.atomic
def refit_if_due(today: dt.date) -> RiskModel | None:
    """The background job's work: a new fit when the newest is ``REFIT_DAYS`` old or more
    (or there is none); None when the newest is recent enough. Safe to run twice a day."""
    newest = newest_model()
    if newest is not None and newest.trained_on > today - dt.timedelta(days=REFIT_DAYS):
        return None
    return fit(today)


def current_model(today: dt.date) -> RiskModel:
    """The newest stored model, however old (the background job keeps it fresh); a fresh
    install with none yet fits one now, once."""
    newest = newest_model()
    if newest is not None:
        return newest
    with transaction.atomic():
        return fit(today)


@dataclass(frozen=True)
class AgentRisk:
    agent: Agent
    probability: float
    level: str  # "high", "raised" or "low"
    reasons: list[Reason]
    action: str  # TALK, BUDDY or SCHEDULE; "" when no reason stands out


def score_team(team: Team, today: dt.date, stored: RiskModel) -> list[AgentRisk]:
    """Every active agent of the team, highest risk first (one query per signal)."""
    agents = list(
        Agent.objects.filter(team=team, status=AgentStatus.ACTIVE).order_by("employee_no")
    )
    if not agents:
        return []
    model = Model.from_dict(stored.params)
    history = build_history(
        [(a.pk, a.hire_date, None) for a in agents],
        today - dt.timedelta(days=READ_BACK_DAYS),
        today,
    )
    x = features.matrix(history, np.arange(len(agents)), np.full(len(agents), today.toordinal()))
    probabilities = model.predict(x)
    out = []
    for agent, row, p in zip(agents, x, probabilities, strict=True):
        level = evaluation.level(float(p))
        # reasons and a suggestion only where the risk is raised: a low score asks for nothing
        why = reasons(model, row) if level != "low" else []
        out.append(AgentRisk(agent, float(p), level, why, ACTIONS[why[0].feature] if why else ""))
    return sorted(out, key=lambda r: -r.probability)


def read_team_risks(
    team: Team, today: dt.date, *, user, request=None
) -> tuple[RiskModel, list[AgentRisk]]:
    """The model in use and the team's scores, recording one audit read per agent shown."""
    stored = current_model(today)
    rows = score_team(team, today, stored)
    audit.record_reads(
        actor=user,
        object_type="engagement.attrition_risk",
        subject_agent_ids=[r.agent.pk for r in rows],
        fields=["attrition_risk", "reasons"],
        purpose="attrition risk of the lead's team",
        request=request,
    )
    return stored, rows
