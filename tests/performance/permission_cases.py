"""Every URL of the performance app × every role (see tests/permissions.py)."""

from __future__ import annotations

from datetime import date

from zhiren.performance.models import (
    Appraisal,
    AppraisalCycle,
    AppraisalTemplate,
    Goal,
    GoalLevel,
)

from ..permissions import FAR, LOGIN, NOT_FOUND, OK, REDIRECT, Case, far_agent, roles, team_b1

STAFF_OK = roles(OK, agent=NOT_FOUND)
# Appraisals and goals: the agent, their lead, HR, the site manager, admins; not QA or trainers.
APPRAISERS = roles(OK, agent=NOT_FOUND, qa=NOT_FOUND, trainer=NOT_FOUND)
APPRAISERS_FAR = roles(NOT_FOUND, hr=OK, admin=OK)  # another site's: HR and admins only
IMPORTERS = roles(NOT_FOUND, manager=OK, admin=OK)
GOAL_SETTERS = roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)
TARGET_EDITORS = roles(NOT_FOUND, manager=OK, admin=OK)


def _goal(w, team):
    goal = Goal.objects.create(
        title="g", level=GoalLevel.TEAM, team=team, kpi="csat", target=85, start=date(2024, 1, 1),
        end=date(2024, 1, 31), owner=w.user("admin"), rationale="r",
    )
    return {"pk": goal.pk}


def _appraisal(w, agent):
    template = AppraisalTemplate.objects.create(name="t")
    cycle = AppraisalCycle.objects.create(name="c", template=template, start=date(2024, 1, 1), end=date(2024, 3, 31))
    return Appraisal.objects.create(cycle=cycle, agent=agent, team=agent.team)


CASES = {
    "performance:home": [Case(expect=roles(REDIRECT, LOGIN))],
    "performance:overview": [Case(expect=STAFF_OK)],
    "performance:team": [
        Case(kwargs=team_b1, expect=FAR),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=STAFF_OK),
    ],
    "performance:agent": [
        Case(kwargs=far_agent, expect=FAR),
        Case(kwargs=lambda w: {"pk": w.peer.pk}, expect=STAFF_OK),
        Case(kwargs=lambda w: {"pk": w.agent.pk}, expect=roles(OK)),
    ],
    "performance:mine": [Case(expect=roles(NOT_FOUND, agent=OK))],
    "performance:export": [
        Case(kwargs=lambda w: {"table": "ranking", "fmt": "csv"}, expect=roles(OK)),
        Case(kwargs=lambda w: {"table": "daily", "fmt": "xlsx"}, expect=roles(OK)),
        Case(kwargs=lambda w: {"table": "nothing", "fmt": "csv"}, expect=roles(NOT_FOUND)),
    ],
    "performance:targets": [
        Case(expect=TARGET_EDITORS),
        # the defaults apply to every team: administrators only (the manager's scope is one site)
        Case(method="post", data={"aht": "300"}, expect=roles(NOT_FOUND, admin=REDIRECT)),
    ],
    "performance:team_targets": [
        Case(kwargs=team_b1, expect=roles(NOT_FOUND, admin=OK)),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=TARGET_EDITORS),
        Case(kwargs=team_b1, method="post", data={"csat": "90"}, expect=roles(NOT_FOUND, admin=REDIRECT)),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, method="post", data={"csat": "90"},
             expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)),
    ],
    "performance:goals": [
        Case(expect=roles(OK)),
        Case(method="post", data={"title": ""}, expect=GOAL_SETTERS),
    ],
    "performance:goal_detail": [
        Case(kwargs=lambda w: _goal(w, w.team_b1), expect=APPRAISERS_FAR),
        Case(kwargs=lambda w: _goal(w, w.team_a1), expect=APPRAISERS),
    ],
    "performance:cycles": [Case(expect=roles(OK))],
    "performance:cycle_detail": [
        Case(kwargs=lambda w: {"pk": _appraisal(w, w.far).cycle_id}, expect=APPRAISERS_FAR),
        Case(kwargs=lambda w: {"pk": _appraisal(w, w.agent).cycle_id}, expect=APPRAISERS),
    ],
    "performance:appraisal_detail": [
        Case(kwargs=lambda w: {"pk": _appraisal(w, w.far).pk}, expect=APPRAISERS_FAR),
        Case(kwargs=lambda w: {"pk": _appraisal(w, w.peer).pk}, expect=APPRAISERS),
        Case(kwargs=lambda w: {"pk": _appraisal(w, w.agent).pk}, expect=roles(OK, qa=NOT_FOUND, trainer=NOT_FOUND)),
    ],
    "performance:import": [Case(expect=IMPORTERS)],
    "performance:mappings": [Case(expect=IMPORTERS)],
    "api:interaction-list": [Case(expect=roles(OK, "401"))],
}
