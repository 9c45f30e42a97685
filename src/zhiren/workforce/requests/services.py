"""Writes of leave and swap requests: asking, taking an offer, the checks, deciding.

An approved request changes the published schedule through ``publishing``, so the agents
are told; a refused leave request writes a withdrawal into the lead's emotional bank account.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiren.org.models import Agent

from ..dates import week_start
from ..drafts.roster import check, roster_input
from ..engine.roster.problem import Agent as EngineAgent
from ..engine.roster.problem import Assignment
from ..models import (
    AgentPreference,
    LeaveRequest,
    PublishedShift,
    Queue,
    RequestStatus,
    SwapRequest,
)
from ..publishing import replace_published
from ..scope import may_approve
from ..staff import agent_skills, site_rules

# --- leave ---------------------------------------------------------------------------------


def request_leave(
    user, agent: Agent, kind: str, start: date, end: date, reason: str = ""
) -> LeaveRequest:
    leave = LeaveRequest(agent=agent, kind=kind, start=start, end=end, reason=reason)
    leave.full_clean()
    if LeaveRequest.objects.filter(
        agent=agent,
        status__in=(RequestStatus.PENDING, RequestStatus.APPROVED),
        start__lte=end,
        end__gte=start,
    ).exists():
        raise ValidationError(_("You already asked for leave on some of these days."))
    leave.save()
    return leave


def decide_leave(user, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """Approve (the agent's published shifts on those days are removed) or refuse.

    A refusal writes a withdrawal into the deciding lead's emotional bank account
    with the agent (``people.services.record_entry``, idempotent per request).
    """
    if not may_approve(user, leave.agent):
        raise PermissionDenied
    if leave.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    with transaction.atomic():
        if not LeaveRequest.objects.filter(pk=leave.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.APPROVED if approve else RequestStatus.REFUSED,
            decided_by=user,
            decided_at=timezone.now(),
            decision_note=note[:200],
        ):
            raise ValidationError(_("This request was already decided."))
        leave.refresh_from_db()
        if approve:
            replace_published(
                [leave.agent_id], leave.start, leave.end, {}, notify_reason=_("leave approved")
            )
        else:
            _bank_withdrawal(user, leave, note)
    return leave


def _bank_withdrawal(user, leave: LeaveRequest, note: str) -> None:
    try:
        from zhiren.people.services import record_entry
    except ImportError:  # the people module is not installed
        return
    text = _("Leave %(start)s–%(end)s refused") % {"start": leave.start, "end": leave.end}
    record_entry(
        user,
        leave.agent,
        "refused_request",
        f"{text}: {note}" if note else text,
        occurred_on=timezone.localdate(),
        source="workforce",
        source_ref=f"leave:{leave.pk}",
    )


# --- swaps ---------------------------------------------------------------------------------


def request_swap(
    user, agent: Agent, day: date, partner: Agent | None = None, note: str = ""
) -> SwapRequest:
    """Offer one's shift of ``day`` to the team (no partner) or ask ``partner`` to exchange."""
    if day < timezone.localdate():
        raise ValidationError(_("This day is past."))
    if partner is not None and (
        partner.pk == agent.pk or partner.team.site_id != agent.team.site_id
    ):
        raise ValidationError(_("Choose a colleague of your site."))
    if SwapRequest.objects.filter(
        requester=agent, day=day, status__in=(RequestStatus.OPEN, RequestStatus.PENDING)
    ).exists():
        raise ValidationError(_("You already have a swap request for this day."))
    swap = SwapRequest.objects.create(
        requester=agent,
        partner=partner,
        day=day,
        note=note[:200],
        status=RequestStatus.PENDING if partner else RequestStatus.OPEN,
    )
    if partner:
        _check_and_maybe_approve(swap)
    return swap


def accept_swap(user, swap: SwapRequest, agent: Agent) -> SwapRequest:
    """A colleague takes an open offer: it goes to approval (or is approved by the site rule)."""
    if swap.status != RequestStatus.OPEN or agent.pk == swap.requester_id:
        raise ValidationError(_("This offer is no longer open."))
    if agent.team_id != swap.requester.team_id:
        raise ValidationError(_("Only a colleague of the same team can take this shift."))
    if not SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.OPEN).update(
        partner=agent, status=RequestStatus.PENDING
    ):
        raise ValidationError(_("This offer is no longer open."))
    swap.refresh_from_db()
    return _check_and_maybe_approve(swap)


def _check_and_maybe_approve(swap: SwapRequest) -> SwapRequest:
    swap.checks = swap_checks(swap)
    swap.save(update_fields=["checks"])
    if not swap.checks and site_rules(swap.requester.team.site_id).auto_approve_swaps:
        _apply_swap(swap, None)
    return swap


def swap_checks(swap: SwapRequest) -> list[str]:
    """Skills and labour rules for both agents after the exchange (empty: every check passes)."""
    a, b = swap.requester, swap.partner
    if b is None:
        return []
    week = week_start(swap.day)
    start, end = week - timedelta(days=7), week + timedelta(days=13)
    shifts = {
        (r.agent_id, r.day): r
        for r in PublishedShift.objects.filter(
            agent__in=[a, b], day__range=(start, end), active=True
        )
    }
    mine, theirs = shifts.get((a.pk, swap.day)), shifts.get((b.pk, swap.day))
    problems: list[str] = []
    if mine is None and theirs is None:
        return [_("Neither of you works on that day: there is nothing to swap.")]
    queues = list(Queue.objects.filter(site_id=a.team.site_id))
    skills = agent_skills([a, b], queues)
    for shift, taker in ((mine, b), (theirs, a)):
        if shift is None:
            continue
        missing = {q for q in shift.queues if q} - set(skills[taker.pk])
        if missing:
            problems.append(
                _("%(name)s lacks the skill for %(queues)s.")
                % {"name": taker.name, "queues": "、".join(sorted(missing))}
            )
    data = roster_input(a.team.site_id, [], start, 3, demand={})
    prefs = {p.agent_id: p for p in AgentPreference.objects.filter(agent__in=[a, b])}
    data.problem.agents = [
        EngineAgent(
            id=str(x.pk),
            skills=skills[x.pk] or ("-",),
            max_minutes_week=prefs[x.pk].max_minutes_week if x.pk in prefs else 40 * 60,
        )
        for x in (a, b)
    ]
    known = {t.name for t in data.problem.templates}
    assignments = []
    for (agent_id, day), row in shifts.items():
        if day == swap.day:
            agent_id = b.pk if agent_id == a.pk else a.pk
        if row.template not in known:
            continue
        breaks = tuple((s, e) for k, s, e in row.activities if k in ("break", "lunch"))
        assignments.append(
            Assignment(
                str(agent_id),
                (day - start).days,
                row.template,
                row.start_minute,
                row.end_minute,
                breaks,
                tuple(None for _q in row.queues),
            )
        )
    _result, violations = check(data.problem, assignments)
    names = {str(a.pk): a.name, str(b.pk): b.name}
    for v in violations:
        if v.rule in (
            "coverage_report",
            "queue_assignment",
            "breaks",
            "min_contract_hours",
            "shift_shape",
        ):
            continue
        problems.append(
            _("%(name)s: %(rule)s (%(detail)s)")
            % {
                "name": names.get(v.agent_id or "", ""),
                "rule": RULE_LABELS.get(v.rule, v.rule),
                "detail": v.detail,
            }
        )
    return problems


# Lazy: evaluated in the language of whoever reads the check, not at import.
RULE_LABELS = {
    "one_shift_per_day": gettext_lazy("two shifts on one day"),
    "leave": gettext_lazy("works on a leave day"),
    "min_rest": gettext_lazy("too little rest between shifts"),
    "max_consecutive_days": gettext_lazy("too many consecutive working days"),
    "rest_days_per_week": gettext_lazy("too few rest days in the week"),
    "max_hours_per_day": gettext_lazy("too many hours in a day"),
    "max_hours_per_week": gettext_lazy("too many hours in the week"),
    "transition_ban": gettext_lazy("banned shift sequence"),
}


def decide_swap(user, swap: SwapRequest, approve: bool) -> SwapRequest:
    if not may_approve(user, swap.requester):
        raise PermissionDenied
    if swap.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if approve:
        checks = swap_checks(swap)
        if checks:
            raise ValidationError(checks)
        _apply_swap(swap, user)
    else:
        SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.REFUSED, decided_by=user, decided_at=timezone.now()
        )
    swap.refresh_from_db()
    return swap


@transaction.atomic
def _apply_swap(swap: SwapRequest, user) -> None:
    if not SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.PENDING).update(
        status=RequestStatus.APPROVED, decided_by=user, decided_at=timezone.now()
    ):
        raise ValidationError(_("This request was already decided."))
    a, b = swap.requester_id, swap.partner_id
    current = {
        r.agent_id: r
        for r in PublishedShift.objects.filter(agent_id__in=[a, b], day=swap.day, active=True)
    }
    new = {}
    for source, target in ((a, b), (b, a)):
        row = current.get(source)
        if row is not None:
            new[(target, swap.day)] = PublishedShift(
                version_id=row.version_id,
                agent_id=target,
                day=swap.day,
                template=row.template,
                start_minute=row.start_minute,
                end_minute=row.end_minute,
                activities=row.activities,
                queues=row.queues,
            )
    replace_published([a, b], swap.day, swap.day, new, notify_reason=_("swap approved"))
    swap.refresh_from_db()


def cancel_request(obj) -> None:
    type(obj).objects.filter(
        pk=obj.pk, status__in=(RequestStatus.OPEN, RequestStatus.PENDING)
    ).update(status=RequestStatus.CANCELLED)
