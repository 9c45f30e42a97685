"""Training URLs in the permission matrix.

Trainers (scope: everything in the world), the site manager (site A) and the administrator
run programmes, cohorts, sessions, quizzes and plans; agents see their own training; the
lead of A1 and QA of site A see the enrolments of their teams and sign off in their role.
HR sees none of it.
"""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, Case, roles
from . import helpers

TRAINING_A = roles(NOT_FOUND, trainer=OK, manager=OK, admin=OK)
TRAINING_B = roles(NOT_FOUND, trainer=OK, admin=OK)
TRAINING_A_POST = roles(NOT_FOUND, trainer=REDIRECT, manager=REDIRECT, admin=REDIRECT)
FLOOR_A = roles(NOT_FOUND, lead=OK, qa=OK, trainer=OK, manager=OK, admin=OK)


def _programme(w, site=None):
    return {"pk": helpers.programme(site or w.site_a).pk}


def _cohort(w, site=None):
    return {"pk": helpers.cohort(helpers.programme(site or w.site_a)).pk}


def _enrolment(w, agent=None):
    return {"pk": helpers.enrolment(agent or w.agent).pk}


def _milestone(w):
    item = helpers.enrolment(w.agent, nesting=False)
    return {"pk": item.pk, "milestone": item.programme.milestones.first().pk}


def _session(w, site=None):
    return {"pk": helpers.session(helpers.programme(site or w.site_a)).pk}


def _attendance(w, agent=None):
    return {"pk": helpers.attendance(agent or w.agent).pk}


def _quiz(w, agent=None):
    item = helpers.enrolment(agent or w.agent, helpers.programme(w.site_a, quiz=True))
    return {"pk": item.programme.certification_quiz_id}


def _plan(w, site=None):
    return {"pk": helpers.plan(site or w.site_a).pk}


def _goal(w):
    return {"pk": helpers.plan(w.site_a).goals.first().pk}


def _evaluation(w):
    from tests.quality.helpers import evaluation

    return {"pk": evaluation(w).pk}


def _know_how(w):
    from tests.placement.permission_cases import _know_how as know_how

    return know_how(w)


def _case(w, site=None):
    from django.utils import timezone

    from zhiren.training.models import Case as TrainingCase

    return {
        "pk": TrainingCase.objects.create(
            site=site or w.site_a,
            title="追问三步",
            source="know_how",
            body="先肯定",
            created_at=timezone.now(),
        ).pk
    }


CASES = {
    # the editing pages: trainers, the site manager (site A) and the administrator
    "training:programme_new": [
        Case(expect=roles(NOT_FOUND, trainer=OK, manager=OK, admin=OK)),
        Case(method="post", data={"name": ""}, expect=TRAINING_A),  # invalid: the form again
    ],
    "training:programme_edit": [
        Case(kwargs=_programme, expect=TRAINING_A),
        Case(kwargs=lambda w: _programme(w, w.site_b), expect=TRAINING_B),
    ],
    "training:cohort_new": [Case(expect=TRAINING_A)],
    "training:cohort_edit": [
        Case(kwargs=_cohort, expect=TRAINING_A),
        Case(kwargs=lambda w: _cohort(w, w.site_b), expect=TRAINING_B),
        Case(kwargs=_cohort, method="post", data={"weeks": "0"}, expect=TRAINING_A),
    ],
    "training:quiz_new": [Case(expect=TRAINING_A)],
    "training:quiz_edit": [
        Case(kwargs=lambda w: {"pk": helpers.make_quiz(w.site_a).pk}, expect=TRAINING_A),
        Case(kwargs=lambda w: {"pk": helpers.make_quiz(w.site_b).pk}, expect=TRAINING_B),
    ],
    "training:home": [Case(expect=roles(OK))],
    "training:programme": [
        Case(kwargs=_programme, expect=TRAINING_A),
        Case(kwargs=lambda w: _programme(w, w.site_b), expect=TRAINING_B),
    ],
    "training:effect": [
        Case(kwargs=_programme, expect=TRAINING_A),
        Case(kwargs=lambda w: _programme(w, w.site_b), expect=TRAINING_B),
    ],
    "training:cohort": [
        Case(kwargs=_cohort, expect=TRAINING_A),
        Case(kwargs=lambda w: _cohort(w, w.site_b), expect=TRAINING_B),
    ],
    "training:enrolment": [
        Case(kwargs=_enrolment, expect={**FLOOR_A, "agent": OK}),
        Case(kwargs=lambda w: _enrolment(w, w.peer), expect=FLOOR_A),
        Case(
            kwargs=lambda w: _enrolment(w, w.a2_agent),
            expect=roles(NOT_FOUND, qa=OK, trainer=OK, manager=OK, admin=OK),
        ),
        Case(kwargs=lambda w: _enrolment(w, w.far), expect=TRAINING_B),
    ],
    "training:mark_milestone": [Case(kwargs=_milestone, method="post", expect=TRAINING_A_POST)],
    "training:sign_off": [
        # the gate has not passed (no evidence): the signer is told so, nothing is written
        Case(
            kwargs=_enrolment,
            method="post",
            data={"role": "lead"},
            expect=roles(NOT_FOUND, lead=REDIRECT, qa=REDIRECT, trainer=REDIRECT),
        ),
    ],
    "training:extend": [
        Case(
            kwargs=_enrolment,
            method="post",
            data={"until": "2026-05-01", "reason": "考核未过"},
            expect=roles(
                NOT_FOUND, lead=REDIRECT, trainer=REDIRECT, manager=REDIRECT, admin=REDIRECT
            ),
        ),
        Case(
            kwargs=lambda w: _enrolment(w, w.far),
            method="post",
            data={"until": "2026-05-01", "reason": "x"},
            expect=roles(NOT_FOUND, trainer=REDIRECT, admin=REDIRECT),
        ),
    ],
    "training:session": [
        Case(kwargs=_session, expect=TRAINING_A),
        Case(kwargs=lambda w: _session(w, w.site_b), expect=TRAINING_B),
        Case(kwargs=_session, method="post", data={"present": []}, expect=TRAINING_A_POST),
    ],
    "training:rate": [
        Case(
            kwargs=_attendance,
            method="post",
            data={"rating": "5"},
            expect=roles(NOT_FOUND, agent=REDIRECT),
        ),
        Case(
            kwargs=lambda w: _attendance(w, w.peer),
            method="post",
            data={"rating": "5"},
            expect=roles(NOT_FOUND),
        ),
    ],
    "training:quiz": [
        Case(kwargs=_quiz, expect=roles(NOT_FOUND, agent=OK)),
        Case(kwargs=lambda w: _quiz(w, w.peer), expect=roles(NOT_FOUND)),
    ],
    "training:quiz_items": [
        Case(kwargs=lambda w: {"pk": helpers.make_quiz(w.site_a).pk}, expect=TRAINING_A),
        Case(kwargs=lambda w: {"pk": helpers.make_quiz(w.site_b).pk}, expect=TRAINING_B),
    ],
    "training:plan": [
        Case(kwargs=_plan, expect=TRAINING_A),
        Case(kwargs=lambda w: _plan(w, w.site_b), expect=TRAINING_B),
    ],
    "training:plans": [Case(expect=TRAINING_A)],
    "training:plan_new": [
        Case(expect=TRAINING_A),
        Case(method="post", data={"name": ""}, expect=TRAINING_A),  # invalid: the form again
    ],
    "training:plan_edit": [
        Case(kwargs=_plan, expect=TRAINING_A),
        Case(kwargs=lambda w: _plan(w, w.site_b), expect=TRAINING_B),
    ],
    "training:sessions": [Case(expect=TRAINING_A)],
    "training:session_new": [
        Case(expect=TRAINING_A),
        Case(method="post", data={"format": "lecture"}, expect=TRAINING_A),  # invalid
    ],
    "training:session_edit": [
        Case(kwargs=_session, expect=TRAINING_A),
        Case(kwargs=lambda w: _session(w, w.site_b), expect=TRAINING_B),
    ],
    "training:goal": [
        Case(kwargs=_goal, method="post", data={"status": "done"}, expect=TRAINING_A_POST)
    ],
    "training:cases": [
        Case(expect=roles(NOT_FOUND, lead=OK, qa=OK, trainer=OK, manager=OK, admin=OK))
    ],
    "training:case_from_evaluation": [
        Case(
            kwargs=_evaluation,
            method="post",
            data={"kind": "best"},
            expect=roles(NOT_FOUND, qa=REDIRECT, manager=REDIRECT, admin=REDIRECT),
        ),
    ],
    "training:case_from_know_how": [Case(kwargs=_know_how, method="post", expect=TRAINING_A_POST)],
    "training:case_tags": [
        Case(
            kwargs=_case, method="post", data={"criteria": "greet, verify"}, expect=TRAINING_A_POST
        ),
        Case(
            kwargs=lambda w: _case(w, w.site_b),
            method="post",
            data={"criteria": "greet"},
            expect=roles(NOT_FOUND, trainer=REDIRECT, admin=REDIRECT),
        ),
    ],
}
