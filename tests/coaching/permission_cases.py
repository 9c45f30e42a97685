"""Coaching URLs in the permission matrix.

Coaching records are the agent's, their own lead's (A1) and HR's only; writes are the lead's.
Praise shared to a team's wall is seen by everyone who sees the team, and the team's agents.
"""

from __future__ import annotations

import datetime as dt

from ..permissions import LOGIN, NOT_FOUND, OK, REDIRECT, Case, roles

DAY = dt.date(2024, 5, 6)


def _feedback(w, kind="bia", agent=None, shared=False):
    from zhiren.coaching.models import Feedback

    return Feedback.objects.create(
        agent=agent or w.agent, lead=w.user("lead"), kind=kind, given_on=DAY, behavior="b", impact="i",
        appreciation="a" if kind == "bia" else "", desired="d" if kind == "bid" else "", shared_on_wall=shared,
    )


def _session(w, agent=None):
    from zhiren.coaching.models import GrowSession

    return GrowSession.objects.create(agent=agent or w.agent, lead=w.user("lead"), held_on=DAY, topic="t")


def _commitment(w):
    from zhiren.coaching.models import Commitment

    return {"pk": Commitment.objects.create(session=_session(w), description="c", due_on=DAY).pk}


def _interference(w):
    from zhiren.coaching.models import Interference

    return {"pk": Interference.objects.create(agent=w.agent, lead=w.user("lead"), kind="tools", description="x",
                                              raised_on=DAY).pk}


def _plan(w):
    from zhiren.coaching.models import ImprovementPlan, PlanGoal

    plan = ImprovementPlan.objects.create(agent=w.agent, lead=w.user("lead"), started_on=DAY,
                                          review_on=DAY + dt.timedelta(days=30))
    PlanGoal.objects.create(plan=plan, kpi="csat", baseline=70, target=85)
    return {"pk": plan.pk}


def _delegation(w):
    from zhiren.coaching.models import Delegation

    return {"pk": Delegation.objects.create(agent=w.agent, lead=w.user("lead"), title="t", assigned_on=DAY,
                                            state="unknown", what="w", why="y", good="g", check_on=DAY).pk}


def _question(w):
    from zhiren.coaching.models import GrowQuestion

    return {"pk": GrowQuestion.objects.first().pk}


OWN = lambda w: {"pk": w.agent.pk}  # noqa: E731
PEER = lambda w: {"pk": w.peer.pk}  # noqa: E731
FAR = lambda w: {"pk": w.far.pk}  # noqa: E731
A1 = lambda w: {"pk": w.team_a1.pk}  # noqa: E731
B1 = lambda w: {"pk": w.team_b1.pk}  # noqa: E731
# The agent, the own lead and HR (FieldGroup.SENSITIVE); everyone else a 404.
PRIVATE = roles(NOT_FOUND, agent=OK, lead=OK, hr=OK)
LEAD_ONLY = roles(NOT_FOUND, lead=OK)
LEAD_WRITES = roles(NOT_FOUND, lead=REDIRECT)
EDITORS = roles(NOT_FOUND, lead=OK, trainer=OK, admin=OK)

CASES = {
    "coaching:home": [Case(expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT, hr=OK))],
    "coaching:team_map": [
        Case(kwargs=A1, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=B1, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "coaching:wall": [Case(expect=roles(REDIRECT, LOGIN))],
    "coaching:team_wall": [
        Case(kwargs=A1, expect=roles(OK)),
        Case(kwargs=B1, expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK)),
    ],
    "coaching:agent": [
        Case(kwargs=OWN, expect=PRIVATE),
        Case(kwargs=PEER, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=FAR, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "coaching:rate": [
        Case(kwargs=OWN, expect=roles(NOT_FOUND, agent=OK, lead=OK)),
        Case(kwargs=FAR, expect=roles(NOT_FOUND)),
    ],
    "coaching:skill": [Case(kwargs=OWN, expect=LEAD_ONLY), Case(kwargs=FAR, expect=roles(NOT_FOUND))],
    "coaching:export": [
        Case(kwargs=OWN, expect=PRIVATE),
        Case(kwargs=PEER, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
    ],
    "coaching:feedback_create": [Case(kwargs=OWN, expect=LEAD_ONLY), Case(kwargs=FAR, expect=roles(NOT_FOUND))],
    "coaching:grow_create": [Case(kwargs=OWN, expect=LEAD_ONLY)],
    "coaching:plan_create": [Case(kwargs=OWN, expect=LEAD_ONLY), Case(kwargs=FAR, expect=roles(NOT_FOUND))],
    "coaching:delegation_create": [Case(kwargs=OWN, expect=LEAD_ONLY)],
    "coaching:interference_create": [
        Case(kwargs=OWN, method="post", data={"kind": "tools", "description": "slow"}, expect=LEAD_WRITES),
        Case(kwargs=FAR, method="post", data={"kind": "tools", "description": "slow"}, expect=roles(NOT_FOUND)),
    ],
    "coaching:feedback_detail": [
        Case(kwargs=lambda w: {"pk": _feedback(w, "bid").pk}, expect=PRIVATE),
        Case(kwargs=lambda w: {"pk": _feedback(w, "bid", agent=w.peer).pk}, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=lambda w: {"pk": _feedback(w, "bia", shared=True).pk}, expect=PRIVATE),
    ],
    "coaching:feedback_share": [
        Case(kwargs=lambda w: {"pk": _feedback(w, "bia").pk}, method="post", expect=LEAD_WRITES),
        # Corrective feedback cannot be shared by anyone, its own lead included.
        Case(kwargs=lambda w: {"pk": _feedback(w, "bid").pk}, method="post", expect=roles(NOT_FOUND)),
    ],
    "coaching:feedback_unshare": [
        Case(kwargs=lambda w: {"pk": _feedback(w, "bia", shared=True).pk}, method="post", expect=LEAD_WRITES),
    ],
    "coaching:grow_detail": [
        Case(kwargs=lambda w: {"pk": _session(w).pk}, expect=PRIVATE),
        Case(kwargs=lambda w: {"pk": _session(w, agent=w.peer).pk}, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
    ],
    "coaching:commitment_add": [
        Case(kwargs=lambda w: {"pk": _session(w).pk}, method="post",
             data={"description": "call back", "due_on": "2024-05-10"}, expect=LEAD_WRITES),
    ],
    "coaching:commitment_follow_up": [
        Case(kwargs=_commitment, method="post", data={"note": "ok", "done": "on"},
             expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT)),
    ],
    "coaching:interference_remove": [
        Case(kwargs=_interference, method="post", data={"note": "fixed"}, expect=LEAD_WRITES),
    ],
    "coaching:questions": [
        Case(expect=EDITORS),
        Case(method="post", data={"stage": "goal", "text_zh": "目标？", "text_en": "Goal?", "order": 9,
                                  "active": "on"}, expect=roles(NOT_FOUND, lead=REDIRECT, trainer=REDIRECT,
                                                                admin=REDIRECT)),
    ],
    "coaching:question_edit": [Case(kwargs=_question, expect=EDITORS)],
    "coaching:plan_list": [Case(expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK))],
    "coaching:plan_detail": [Case(kwargs=_plan, expect=PRIVATE)],
    "coaching:plan_goal_add": [
        Case(kwargs=_plan, expect=LEAD_ONLY),
        Case(kwargs=_plan, method="post", data={"kpi": "aht", "target": 300}, expect=LEAD_WRITES),
    ],
    "coaching:plan_check_in": [
        Case(kwargs=_plan, method="post", data={"progress": "on_track", "note": "better"}, expect=LEAD_WRITES),
    ],
    "coaching:plan_close": [
        Case(kwargs=_plan, method="post", data={"status": "succeeded", "outcome": "done"}, expect=LEAD_WRITES),
    ],
    "coaching:delegation_detail": [Case(kwargs=_delegation, expect=PRIVATE)],
    "coaching:delegation_done": [
        Case(kwargs=_delegation, method="post", expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT)),
    ],
}
