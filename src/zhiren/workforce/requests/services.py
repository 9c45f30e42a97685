"""Writes of leave and swap requests: asking, taking an offer, the checks, deciding.

An approved request changes the published schedule through ``publishing``, so the agents
are told; a refused leave request writes a withdrawal into the lead's emotional bank account.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiren.org.models import Agent

from ..dates import week_start
from ..drafts.roster import check, contract_max, roster_input
from ..engine.roster.problem import Agent as EngineAgent
from ..engine.roster.problem import Assignment
from ..models import (
    AgentPreference,
    LeaveKind,
    LeaveRequest,
    PublishedShift,
    Queue,
    RequestStatus,
    SwapRequest,
)
from ..pages import ACTIVITY_LABELS, violation_text
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


# Rules the swap check leaves out: the exchanged shifts keep their shape, breaks and queues
# (skills are checked by name below), coverage is the lead's call, and the weekly contract
# minimum is about the roster as a whole.
SWAP_SKIPPED_RULES = frozenset(
    {
        "coverage_report",
        "queue_assignment",
        "breaks",
        "shift_shape",
        "known_agent_and_template",
        "min_contract_hours",
        "leave",  # checked below, with the kind of leave
    }
)
# Activities that belong to the agent, not to the shift: a swap cannot hand them over.
PERSONAL_ACTIVITIES = ("training", "coaching")


def swap_checks(swap: SwapRequest) -> list[dict]:
    """What stands in the way of the exchange (empty: every check passes).

    The one check of a swap: the request page, the approval (again, at that moment) and the
    automatic approval all call it. Each problem is ``{"code", "params"}`` (plain JSON,
    stored on the request); :func:`check_messages` words them in the reader's language.
    Labour rules are the engine's checker with the site's own limits, run on three weeks
    around the day; a rule already broken before the swap is not blamed on it.
    """
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
    if mine is None and theirs is None:
        return [{"code": "nothing_to_swap", "params": {}}]
    day = swap.day.isoformat()
    problems: list[dict] = []
    queues = list(Queue.objects.filter(site_id=a.team.site_id))
    skills = agent_skills([a, b], queues)
    leave = dict(
        LeaveRequest.objects.filter(
            agent__in=[a, b], status=RequestStatus.APPROVED, start__lte=swap.day, end__gte=swap.day
        ).values_list("agent_id", "kind")
    )
    for shift, giver, taker in ((mine, a, b), (theirs, b, a)):
        if shift is None:
            continue
        missing = {q for q in shift.queues if q} - set(skills[taker.pk])
        if missing:
            problems.append(
                {"code": "skill", "params": {"name": taker.name, "queues": "、".join(sorted(missing))}}
            )
        if taker.pk in leave:
            problems.append(
                {"code": "leave", "params": {"name": taker.name, "day": day, "kind": leave[taker.pk]}}
            )
        for kind, s, e in shift.activities:
            if kind in PERSONAL_ACTIVITIES:
                problems.append(
                    {
                        "code": "personal_activity",
                        "params": {
                            "name": giver.name,
                            "day": day,
                            "kind": kind,
                            "start": _clock(s),
                            "end": _clock(e),
                        },
                    }
                )
    others = (
        SwapRequest.objects.filter(
            day=swap.day, status__in=(RequestStatus.OPEN, RequestStatus.PENDING)
        )
        .filter(Q(requester__in=[a, b]) | Q(partner__in=[a, b]))
        .exclude(pk=swap.pk)
        .values_list("requester_id", "partner_id")
    )
    busy = {x for pair in others for x in pair if x in (a.pk, b.pk)}
    for agent in (a, b):
        if agent.pk in busy:
            problems.append({"code": "other_swap", "params": {"name": agent.name, "day": day}})
    problems += _labour_rules(swap, a, b, shifts, start, skills)
    return problems


def _clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _labour_rules(swap, a: Agent, b: Agent, shifts: dict, start: date, skills) -> list[dict]:
    """The engine's labour rules after the exchange that did not already fail before it."""
    rules = site_rules(a.team.site_id)
    data = roster_input(a.team.site_id, [], start, 3, demand={})
    prefs = {p.agent_id: p for p in AgentPreference.objects.filter(agent__in=[a, b])}
    data.problem.agents = [
        EngineAgent(
            id=str(x.pk),
            skills=skills[x.pk] or ("-",),
            max_minutes_week=contract_max(prefs.get(x.pk), rules),
        )
        for x in (a, b)
    ]
    known = {t.name for t in data.problem.templates}

    def assignments(swapped: bool) -> list[Assignment]:
        out = []
        for (agent_id, day), row in shifts.items():
            if swapped and day == swap.day:
                agent_id = b.pk if agent_id == a.pk else a.pk
            if row.template not in known:
                continue
            breaks = tuple((s, e) for k, s, e in row.activities if k in ("break", "lunch"))
            out.append(
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
        return out

    def found(swapped: bool) -> dict:
        _result, violations = check(data.problem, assignments(swapped))
        return {
            (v.rule, v.agent_id, v.day): v for v in violations if v.rule not in SWAP_SKIPPED_RULES
        }

    before, after = found(False), found(True)
    names = {str(a.pk): a.name, str(b.pk): b.name}
    out = []
    for key, v in after.items():
        old = before.get(key)
        if old is not None and int(v.params.get("value", 0)) <= int(old.params.get("value", 0)):
            continue  # broken already, and no worse
        out.append(
            {
                "code": "rule",
                "params": {
                    "rule": v.rule,
                    "name": names.get(v.agent_id or "", ""),
                    "day": (start + timedelta(days=v.day)).isoformat() if v.day is not None else "",
                    **dict(v.params),
                },
            }
        )
    return out


# Lazy: evaluated in the language of whoever reads the check, not at import.
CHECK_TEXTS = {
    "nothing_to_swap": gettext_lazy("Neither of you works on that day: there is nothing to swap."),
    "skill": gettext_lazy("%(name)s lacks the skill for %(queues)s."),
    "leave": gettext_lazy("%(name)s has approved leave (%(kind)s) on %(day)s."),
    "personal_activity": gettext_lazy(
        "The shift of %(name)s on %(day)s includes %(kind)s %(start)s–%(end)s, "
        "which cannot be handed over."
    ),
    "other_swap": gettext_lazy("%(name)s already has another swap request for %(day)s waiting."),
}


def check_messages(checks: list) -> list[str]:
    """The problems of :func:`swap_checks` in the active language (older plain texts as they are)."""
    out = []
    for item in checks or []:
        if isinstance(item, str):
            out.append(item)
            continue
        code, params = item.get("code"), dict(item.get("params") or {})
        if code == "rule":
            out.append(
                violation_text(params.pop("rule", ""), params.pop("name", ""), params.pop("day", ""), params)
            )
            continue
        if code == "leave":
            params["kind"] = LeaveKind(params["kind"]).label if params.get("kind") in LeaveKind.values else params.get("kind", "")
        if code == "personal_activity":
            params["kind"] = ACTIVITY_LABELS.get(params.get("kind", ""), params.get("kind", ""))
        template = CHECK_TEXTS.get(code)
        out.append(str(template) % params if template is not None else str(code))
    return out


def preview_swap(agent: Agent, day: date, partner: Agent | None) -> list[str] | None:
    """The checks a swap asked of ``partner`` would meet (None: an offer, checked when taken)."""
    if partner is None:
        return None
    return check_messages(swap_checks(SwapRequest(requester=agent, partner=partner, day=day)))


def swap_check_messages(swap: SwapRequest) -> list[str]:
    """The checks of ``swap`` now, worded for the reader."""
    return check_messages(swap_checks(swap))


def decide_swap(user, swap: SwapRequest, approve: bool) -> SwapRequest:
    if not may_approve(user, swap.requester):
        raise PermissionDenied
    if swap.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if approve:
        checks = swap_checks(swap)
        if checks:
            # the request keeps what was found, so every page shows the same reasons
            SwapRequest.objects.filter(pk=swap.pk).update(checks=checks)
            raise ValidationError(check_messages(checks))
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
