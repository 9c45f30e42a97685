"""Recruiting URLs in the permission matrix.

In the world ``hr`` (the recruiter role, every site) sees candidates; ``manager`` (site A)
and ``admin`` raise and approve requisitions and read the channel report but see no
candidate's personal data; an interviewer (here ``lead``) sees the candidates they
interview and fills in their own scorecard. Everyone else gets a 404.
"""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Case, roles
from .helpers import candidate, clip, interview, offer, requisition

PLANNERS = roles(NOT_FOUND, hr=OK, manager=OK, admin=OK)
RECRUITER = roles(NOT_FOUND, hr=OK)
RECRUITER_POST = roles(NOT_FOUND, hr=REDIRECT)


def _candidate(w, site=None, **fields):
    return {"pk": candidate(site or w.site_a, w.user("hr"), **fields).pk}


def _interviewed(w):
    c = candidate(w.site_a, w.user("hr"), stage="screened")
    card = interview(c, [w.user("lead")]).scorecards.get()
    return c, card


def _typing(w):
    from zhiren.recruiting import services

    return {"pk": services.issue_typing(candidate(w.site_a)).pk}


def _offer(w):
    return {"pk": offer(candidate(w.site_a), w.team_a1).pk}


def _requisition(w, site=None):
    return {"pk": requisition(site or w.site_a, w.user("hr")).pk}


CASES = {
    # interviewers (leads, QA, trainers) see their interviews, or that they have none
    "recruiting:home": [
        Case(expect=roles(OK, agent=NOT_FOUND)),
        Case(kwargs=lambda w: (_interviewed(w), {})[1], expect=roles(OK, agent=NOT_FOUND)),
    ],
    "recruiting:gap": [Case(expect=PLANNERS)],
    "recruiting:requisition_new": [
        Case(expect=PLANNERS),
        Case(method="post", data={"headcount": "0"}, expect=PLANNERS),  # invalid: the form again
    ],
    "recruiting:requisition_decide": [
        Case(
            kwargs=_requisition,
            method="post",
            data={"decision": "approve"},
            expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
        ),
        Case(
            kwargs=lambda w: _requisition(w, w.site_b),
            method="post",
            data={"decision": "approve"},
            expect=roles(NOT_FOUND, admin=REDIRECT),
        ),
    ],
    "recruiting:candidate_new": [Case(expect=RECRUITER)],
    "recruiting:candidate": [
        Case(kwargs=_candidate, expect=RECRUITER),
        Case(kwargs=lambda w: _candidate(w, w.site_b), expect=RECRUITER),
        Case(
            kwargs=lambda w: {"pk": _interviewed(w)[0].pk}, expect=roles(NOT_FOUND, hr=OK, lead=OK)
        ),
    ],
    "recruiting:candidate_move": [
        Case(kwargs=_candidate, method="post", data={"stage": "screened"}, expect=RECRUITER_POST),
    ],
    "recruiting:typing_start": [Case(kwargs=_candidate, method="post", expect=RECRUITER_POST)],
    "recruiting:questions": [Case(kwargs=_candidate, expect=RECRUITER)],
    "recruiting:listening": [
        Case(kwargs=_candidate, expect=RECRUITER),
        Case(kwargs=_candidate, method="post", data={"want": "b"}, expect=RECRUITER),  # incomplete
    ],
    "recruiting:interview_new": [Case(kwargs=_candidate, method="post", expect=RECRUITER_POST)],
    "recruiting:offer_new": [
        Case(
            kwargs=lambda w: _candidate(w, stage="interviewed"),
            method="post",
            expect=RECRUITER_POST,
        ),
    ],
    "recruiting:typing": [Case(kwargs=_typing, expect=RECRUITER)],
    "recruiting:scorecard": [
        Case(kwargs=lambda w: {"pk": _interviewed(w)[1].pk}, expect=roles(NOT_FOUND, lead=OK)),
    ],
    "recruiting:interview_time": [
        Case(
            kwargs=lambda w: {"pk": _interviewed(w)[1].interview_id},
            method="post",
            data={"minutes": "30"},
            expect=roles(NOT_FOUND, hr=REDIRECT, lead=REDIRECT),
        ),
    ],
    "recruiting:interviewers": [
        Case(expect=RECRUITER),
        Case(method="post", data={"daily_minutes": "-1"}, expect=RECRUITER),  # invalid: the form
    ],
    "recruiting:offer_accept": [Case(kwargs=_offer, method="post", expect=RECRUITER_POST)],
    "recruiting:offer_decline": [
        Case(kwargs=_offer, method="post", data={"reason": "salary"}, expect=RECRUITER_POST),
    ],
    "recruiting:clips": [
        Case(expect=RECRUITER),
        Case(method="post", data={"title": ""}, expect=RECRUITER),  # invalid: the form again
    ],
    "recruiting:clip_audio": [Case(kwargs=lambda w: {"pk": clip(w.site_a).pk}, expect=RECRUITER)],
    "recruiting:clip_toggle": [
        Case(kwargs=lambda w: {"pk": clip(w.site_a).pk}, method="post", expect=RECRUITER_POST)
    ],
    "recruiting:report": [Case(expect=PLANNERS)],
    "recruiting:costs": [
        Case(expect=PLANNERS),
        Case(method="post", data={"amount": "-1"}, expect=PLANNERS),  # invalid: the form again
    ],
    "api:candidate-list": [
        # empty for everyone but HR; a push (201 for HR, 404 for the rest) is in test_api.py
        Case(expect=roles(OK, UNAUTHORIZED)),
    ],
    "api:candidate-detail": [Case(kwargs=_candidate, expect=roles(NOT_FOUND, UNAUTHORIZED, hr=OK))],
}
