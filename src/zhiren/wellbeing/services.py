"""Writes of the wellbeing module: check-ins, observed moods, the nightly evaluation, actions."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.org.access import load_access
from zhiren.org.models import Agent, AgentStatus, Role, Team
from zhiren.org.scoping import coverage

from . import alerts as rules
from .alerting import store_alerts
from .evaluation import daily_moods, evaluate_moods
from .models import (
    AlertStatus,
    BoardMessage,
    BuddyPair,
    Cause,
    EvaluationRun,
    MoodAlert,
    MoodCycle,
    MoodEntry,
    Source,
)
from .queues import on_hard_queue, public_holidays

CYCLE_WINDOW_DAYS = 365


def _clean_causes(causes: Iterable[str]) -> list[str]:
    causes = list(dict.fromkeys(causes or ()))
    unknown = sorted(set(causes) - set(Cause.values))
    if unknown:
        raise ValidationError(_("Unknown cause: %s") % ", ".join(unknown))
    return [c for c in Cause.values if c in causes]


def _check_score(score) -> int:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError(_("Choose a mood from 1 to 5."))
    return score


@transaction.atomic
def record_check_in(
    user, *, score: int, causes: Iterable[str] = (), note: str = "", day: date | None = None,
    keep_details: bool = False,
) -> MoodEntry:
    """The agent's own check-in for today; a second one the same day corrects the first.

    ``keep_details`` keeps the causes and note already given today (the one-tap
    faces on the home page send only a score).
    """
    access = load_access(user)
    if not access.own_agent_id:
        raise PermissionDenied
    day = day or timezone.localdate()
    score = _check_score(score)
    defaults = {"score": score, "recorded_by": user}
    if not keep_details:
        defaults["causes"] = _clean_causes(causes)
        defaults["note"] = (note or "").strip()[:500]
    entry, _created = MoodEntry.objects.update_or_create(
        agent_id=access.own_agent_id, day=day, source=Source.SELF, defaults=defaults
    )
    if score <= rules.DEFAULTS.low_score:  # the lead hears of a low day the same hour, not tomorrow
        from .alerting import evaluate_check_in

        agent_id, day_iso = access.own_agent_id, day.isoformat()
        transaction.on_commit(lambda: evaluate_check_in.enqueue(agent_id, day_iso))
    return entry


def may_lead(user, team_id: int) -> bool:
    return coverage(user, (Role.TEAM_LEAD,)).covers(team_id)


@transaction.atomic
def record_observed(user, team: Team, day: date, scores: Mapping[int, int | None]) -> int:
    """The lead's observed moods from the morning meeting grid; ``None`` clears one. Returns the count saved."""
    if not may_lead(user, team.pk):
        raise PermissionDenied
    members = set(Agent.objects.filter(team=team).values_list("pk", flat=True))
    saved = 0
    for agent_id, score in scores.items():
        if agent_id not in members:
            raise PermissionDenied
        if score is None:
            MoodEntry.objects.filter(agent_id=agent_id, day=day, source=Source.OBSERVED).delete()
            continue
        MoodEntry.objects.update_or_create(
            agent_id=agent_id, day=day, source=Source.OBSERVED,
            defaults={"score": _check_score(score), "recorded_by": user},
        )
        saved += 1
    return saved


def log_note_read(user, agent_id: int, *, purpose: str, request=None) -> None:
    """Audit a read of an agent's mood notes (field names only)."""
    record(
        actor=user,
        action=AuditAction.READ,
        object_type=MoodEntry._meta.label_lower,
        object_id="",
        fields=MoodEntry.SENSITIVE_FIELDS,
        subject_agent_id=agent_id,
        purpose=purpose,
        request=request,
    )


# --- the nightly evaluation -------------------------------------------------------------


@transaction.atomic
def run_nightly(today: date | None = None) -> EvaluationRun:
    """Evaluate cycles and alerts for every active agent. Safe to run again the same day."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    agent_ids = list(Agent.objects.filter(status=AgentStatus.ACTIVE).values_list("pk", flat=True))
    rows = (
        MoodEntry.objects.filter(
            agent__status=AgentStatus.ACTIVE,
            day__gt=today - timedelta(days=CYCLE_WINDOW_DAYS),
            day__lte=today,
        )
        .order_by("agent_id", "day", "source")
        .values_list("agent_id", "day", "source", "score", "causes")
        .iterator(chunk_size=20000)
    )
    by_agent = daily_moods(rows)
    low_now = [
        (a, m[-1].day) for a, m in by_agent.items()
        if m[-1].score <= rules.DEFAULTS.low_score and (today - m[-1].day).days <= rules.DEFAULTS.fresh_days
    ]
    hard = on_hard_queue([a for a, _ in low_now], sorted({d for _, d in low_now}))
    # a holiday just ahead counts too: the days before it are in the window
    holidays = sorted(public_holidays(today - timedelta(days=CYCLE_WINDOW_DAYS), today + timedelta(days=14)))
    reports, raised = evaluate_moods(by_agent, today, hard, holidays)

    # Cycles: replace what was found before.
    MoodCycle.objects.filter(agent_id__in=agent_ids).delete()
    found = [
        MoodCycle(
            agent_id=agent_id, kind=p.kind, key=p.key, n_in=p.n_in, n_out=p.n_out,
            mean_in=round(p.mean_in, 3), mean_out=round(p.mean_out, 3), effect=round(p.effect, 3),
            p_value=p.p_adjusted, strength=p.strength, computed_on=today,
        )
        for agent_id, report in reports.items()
        for p in report.patterns
    ]
    MoodCycle.objects.bulk_create(found, batch_size=2000)

    created = store_alerts(raised, today)
    run, _ = EvaluationRun.objects.update_or_create(
        day=today,
        defaults={
            "agents": len(agent_ids),
            "alerts_raised": len(created),
            "cycles_found": len(found),
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return run


# --- acting on alerts, buddies, the board ------------------------------------------------


def may_act_on(user, agent: Agent) -> bool:
    return coverage(user, (Role.TEAM_LEAD, Role.HR)).covers(agent.team_id)


@transaction.atomic
def record_alert_action(user, alert: MoodAlert, *, action: str, note: str = "", dismiss: bool = False,
                        request=None) -> MoodAlert:
    """What the lead did about an alert (or that it needs nothing)."""
    if not may_act_on(user, alert.agent):
        raise PermissionDenied
    from .models import Action

    if not dismiss and action not in Action.values:
        raise ValidationError(_("Choose what you did."))
    alert.status = AlertStatus.DISMISSED if dismiss else AlertStatus.ACTED
    alert.action = "" if dismiss else action
    alert.action_note = (note or "").strip()[:1000]
    alert.acted_by = user
    alert.acted_at = timezone.now()
    alert.save(update_fields=["status", "action", "action_note", "acted_by", "acted_at"])
    record(actor=user, action=AuditAction.UPDATE, obj=alert, fields=["status", "action", "action_note"],
           subject_agent_id=alert.agent_id, request=request)
    return alert


@transaction.atomic
def start_buddy_pair(user, *, helper: Agent, buddy: Agent, reason: str = "",
                     alert: MoodAlert | None = None, day: date | None = None) -> BuddyPair:
    if helper.pk == buddy.pk:
        raise ValidationError(_("An agent cannot be their own buddy."))
    if helper.team_id != buddy.team_id:
        raise ValidationError(_("Buddies are paired within one team."))
    if not may_lead(user, buddy.team_id):
        raise PermissionDenied
    if BuddyPair.objects.filter(buddy=buddy, ended_on__isnull=True).exists():
        raise ValidationError(_("%(name)s already has a buddy.") % {"name": buddy.name})
    return BuddyPair.objects.create(
        helper=helper, buddy=buddy, reason=reason.strip()[:200], alert=alert,
        started_on=day or timezone.localdate(), created_by=user,
    )


@transaction.atomic
def end_buddy_pair(user, pair: BuddyPair, *, outcome: str = "", day: date | None = None) -> BuddyPair:
    if not may_lead(user, pair.buddy.team_id):
        raise PermissionDenied
    if pair.ended_on is None:
        pair.ended_on = max(day or timezone.localdate(), pair.started_on)
        pair.outcome = outcome.strip()[:300]
        pair.save(update_fields=["ended_on", "outcome"])
    return pair


def post_board_message(user, team: Team, body: str, *, signed: bool = True) -> BoardMessage:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    if len(body) > 280:
        raise ValidationError(_("Keep it under 280 characters."))
    name = (f"{user.last_name}{user.first_name}" or user.get_username()) if signed else ""
    return BoardMessage.objects.create(team=team, author=user, author_name=name[:60], body=body)


def hide_board_message(user, message: BoardMessage) -> None:
    if not (may_lead(user, message.team_id) or message.author_id == user.pk):
        raise PermissionDenied
    message.hidden = True
    message.save(update_fields=["hidden"])
