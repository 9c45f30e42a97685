"""Writes of the floor: agent state events and each agent's current state."""

from __future__ import annotations

from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhiren.org.models import Agent

from ..models import AgentState, CurrentState, StateEvent
from ..scope import approver_teams


def ingest_states(user, rows: list[dict]) -> int:
    """Store state events ``{"agent": id or employee no., "state": ..., "at": ISO time}``.

    All or nothing: a bad row raises ``ValidationError`` naming its index. Agents must be
    within the user's planning or approval scope. Updates each agent's current state.
    """
    if not isinstance(rows, list) or not rows:
        raise ValidationError(_("Send a non-empty list of events."))
    if len(rows) > 20000:
        raise ValidationError(_("Send at most 20,000 events at once."))
    team_ids = set(approver_teams(user).values_list("pk", flat=True))
    # An employee number or an id as the feed sends it; nothing a database cannot hold (a NUL).
    refs = {str(r.get("agent", "")) for r in rows if isinstance(r, dict)} - {""}
    refs = {r for r in refs if "\x00" not in r and len(r) <= 64}
    by_ref: dict[str, int] = {}
    for pk, employee_no, team_id in Agent.objects.filter(employee_no__in=refs).values_list(
        "pk", "employee_no", "team_id"
    ):
        if team_id in team_ids:
            by_ref[employee_no] = pk
    numeric = [int(r) for r in refs if r.isascii() and r.isdigit() and len(r) <= 18]
    for pk, team_id in Agent.objects.filter(pk__in=numeric).values_list("pk", "team_id"):
        if team_id in team_ids:
            by_ref.setdefault(str(pk), pk)
    states = set(AgentState.values)
    events = []
    now = timezone.now()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationError(_("Event %(n)d is not an object.") % {"n": i + 1})
        agent_id = by_ref.get(str(row.get("agent", "")))
        if agent_id is None:
            raise ValidationError(
                _("Event %(n)d: unknown agent %(agent)s.") % {"n": i + 1, "agent": row.get("agent")}
            )
        if row.get("state") not in states:
            raise ValidationError(
                _("Event %(n)d: unknown state %(state)s.") % {"n": i + 1, "state": row.get("state")}
            )
        try:
            at = parse_datetime(str(row.get("at", ""))) if row.get("at") else now
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
            if at is not None:
                at.astimezone(UTC)  # a year-1 time with a positive offset is no instant at all
        except (ValueError, OverflowError):
            at = None
        if at is None:
            raise ValidationError(_("Event %(n)d: the time is not ISO 8601.") % {"n": i + 1})
        events.append(StateEvent(agent_id=agent_id, state=row["state"], at=at))
    latest: dict[int, StateEvent] = {}
    for e in events:
        if e.agent_id not in latest or e.at >= latest[e.agent_id].at:
            latest[e.agent_id] = e
    with transaction.atomic():
        StateEvent.objects.bulk_create(events, batch_size=2000)
        known = {
            c.agent_id: c.since for c in CurrentState.objects.filter(agent_id__in=list(latest))
        }
        fresh = [e for e in latest.values() if e.agent_id not in known or e.at >= known[e.agent_id]]
        CurrentState.objects.bulk_create(
            [
                CurrentState(agent_id=e.agent_id, state=e.state, since=e.at, received_at=now)
                for e in fresh
            ],
            update_conflicts=True,
            unique_fields=["agent"],
            update_fields=["state", "since", "received_at"],
        )
    return len(events)
