"""Permission matrix entries for every workforce URL (see tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.permissions import FAR, NOT_FOUND, OK, REDIRECT, Case, roles
from zhiren.workforce.calendar import services as calendar
from zhiren.workforce.models import (
    ForecastEvent,
    ForecastVersion,
    LeaveRequest,
    Queue,
    RosterDraft,
    ShiftTemplate,
    SwapRequest,
)
from zhiren.workforce.planning import services as planning

PLANNER = roles(NOT_FOUND, manager=OK, admin=OK)
PLANNER_FAR = roles(NOT_FOUND, admin=OK)
PLANNER_POST = roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)
APPROVER = roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)
AGENT_ONLY = roles(NOT_FOUND, agent=OK)


def _site_a(w):
    return {"pk": w.site_a.pk}


def _site_b(w):
    return {"pk": w.site_b.pk}


def _queue(w, site=None):
    site = site or w.site_a
    queue, _ = Queue.objects.get_or_create(site=site, code="q", defaults={"name": "售后热线"})
    return queue


def _template(w):
    planning.ensure_site_setup(w.site_a)
    return ShiftTemplate.objects.filter(site=w.site_a).first()


def _event(w):
    return ForecastEvent.objects.create(site=w.site_a, name="618", start=date(2025, 6, 16), end=date(2025, 6, 18))


def _version(w):
    queue = _queue(w)
    day = date.today()
    return ForecastVersion.objects.create(
        queue=queue, number=1, start=day, end=day, data={day.isoformat(): {"volume": [1.0] * 96, "aht": [300] * 96}}
    )


def _draft(w, site=None):
    site = site or w.site_a
    return RosterDraft.objects.create(site=site, start=date.today(), weeks=1, status="ready", result={})


def _leave(w, agent=None):
    agent = agent or w.agent
    day = date.today() + timedelta(days=10)
    return LeaveRequest.objects.create(agent=agent, start=day, end=day)


def _swap(w):
    return SwapRequest.objects.create(requester=w.agent, partner=w.peer, day=date.today() + timedelta(days=3),
                                      status="pending")


def _token(w):
    return {"token": calendar.calendar_token(w.agent)}


CASES = {
    "workforce:home": [Case(expect=roles(REDIRECT))],
    "workforce:my_week": [Case(expect=AGENT_ONLY)],
    "workforce:my_calendar": [
        Case(expect=AGENT_ONLY),
        Case(method="post", expect=roles(NOT_FOUND, agent=REDIRECT)),  # makes the link
    ],
    "workforce:calendar_reset": [Case(method="post", expect=roles(NOT_FOUND, agent=REDIRECT))],
    "workforce:notices": [
        Case(expect=AGENT_ONLY),
        Case(method="post", expect=roles(NOT_FOUND, agent=REDIRECT)),  # marks them read
    ],
    "workforce:wishes": [Case(expect=AGENT_ONLY)],
    "workforce:ics": [
        Case(kwargs=_token, expect=roles(OK, OK)),
        Case(kwargs=lambda w: {"token": "not-a-token"}, expect=roles(NOT_FOUND, NOT_FOUND)),
    ],
    "workforce:team_grid": [
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=roles(OK)),
        Case(kwargs=lambda w: {"pk": w.team_b1.pk}, expect=FAR),
        Case(kwargs=lambda w: {"pk": w.team_a2.pk}, expect=roles(OK, agent=NOT_FOUND, lead=NOT_FOUND)),
    ],
    "workforce:adherence": [
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=APPROVER),
        Case(kwargs=lambda w: {"pk": w.team_b1.pk}, expect=roles(NOT_FOUND, admin=OK)),
    ],
    "workforce:leave_list": [Case(expect=roles(OK))],
    "workforce:leave_detail": [
        Case(kwargs=lambda w: {"pk": _leave(w).pk}, expect=roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": _leave(w, w.far).pk}, expect=roles(NOT_FOUND, admin=OK)),
        Case(kwargs=lambda w: {"pk": _leave(w).pk}, method="post", data={"action": "approve"},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT)),
    ],
    "workforce:swap_list": [Case(expect=roles(OK))],
    "workforce:swap_detail": [
        Case(kwargs=lambda w: {"pk": _swap(w).pk}, expect=roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": _swap(w).pk}, method="post", data={"action": "refuse"},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT)),
    ],
    "workforce:setup": [Case(kwargs=_site_a, expect=PLANNER), Case(kwargs=_site_b, expect=PLANNER_FAR)],
    "workforce:queue_new": [Case(kwargs=_site_a, expect=PLANNER), Case(kwargs=_site_b, expect=PLANNER_FAR)],
    "workforce:queue_edit": [
        Case(kwargs=lambda w: {"pk": _queue(w).pk}, expect=PLANNER),
        Case(kwargs=lambda w: {"pk": _queue(w, w.site_b).pk}, expect=PLANNER_FAR),
    ],
    "workforce:template_new": [Case(kwargs=_site_a, expect=PLANNER)],
    "workforce:template_edit": [Case(kwargs=lambda w: {"pk": _template(w).pk}, expect=PLANNER)],
    "workforce:rules_edit": [Case(kwargs=_site_a, expect=PLANNER), Case(kwargs=_site_b, expect=PLANNER_FAR)],
    "workforce:events": [Case(kwargs=_site_a, expect=PLANNER)],
    "workforce:event_edit": [Case(kwargs=lambda w: {"pk": _event(w).pk}, expect=PLANNER)],
    "workforce:holidays": [Case(expect=PLANNER)],
    "workforce:forecast": [
        Case(kwargs=lambda w: {"pk": _queue(w).pk}, expect=PLANNER),
        Case(kwargs=lambda w: {"pk": _queue(w, w.site_b).pk}, expect=PLANNER_FAR),
    ],
    "workforce:forecast_adjust": [
        Case(kwargs=lambda w: {"pk": _version(w).pk}, method="post", expect=PLANNER_POST)
    ],
    "workforce:staffing": [Case(kwargs=_site_a, expect=PLANNER), Case(kwargs=_site_b, expect=PLANNER_FAR)],
    "workforce:drafts": [Case(kwargs=_site_a, expect=PLANNER), Case(kwargs=_site_b, expect=PLANNER_FAR)],
    "workforce:draft_detail": [
        Case(kwargs=lambda w: {"pk": _draft(w).pk}, expect=PLANNER),
        Case(kwargs=lambda w: {"pk": _draft(w, w.site_b).pk}, expect=PLANNER_FAR),
    ],
    "workforce:draft_progress": [Case(kwargs=lambda w: {"pk": _draft(w).pk}, expect=PLANNER)],
    "workforce:draft_edit": [Case(kwargs=lambda w: {"pk": _draft(w).pk}, method="post", expect=PLANNER)],
    "workforce:draft_publish": [Case(kwargs=lambda w: {"pk": _draft(w).pk}, method="post", expect=PLANNER_POST)],
    "workforce:floor": [Case(expect=APPROVER)],
    "workforce:floor_panel": [Case(expect=APPROVER)],
    "workforce:state_form": [
        Case(method="post", expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT))
    ],
    "workforce:state_events": [
        Case(method="post", data={"agent": "A1001", "state": "available"},
             expect={**APPROVER, "anonymous": "401"}),
    ],
}
