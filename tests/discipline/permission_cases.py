"""Every discipline URL × role.

Standing and history (violations, exceptions, attendance): the agent, their lead, the
site manager and HR — the site manager on purpose, beyond org's SENSITIVE group.
QA, trainers and administrators see rules but no one's record. Denial is a 404.
"""

from __future__ import annotations

import datetime as dt

from ..permissions import LOGIN, NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Case, roles


def _rule(w, *, team=None, site=None, announced=True):
    from zhiren.discipline.models import Rule

    rule = Rule.objects.create(
        title="准时上班", text="按排班准时打卡上班。", category="attendance", kinds=["late"],
        site=site or w.site_a, ladder=["reminder", "talk"], grace_days=7,
        announced_on=dt.date(2025, 1, 1) if announced else None,
    )
    if team is not None:
        rule.teams.set([team])
    return rule


def _violation(agent, rule):
    from zhiren.discipline.models import Violation

    return Violation.objects.create(agent=agent, rule=rule, team=agent.team, day=dt.date(2025, 3, 3),
                                    kind="manual", source="manual", consequence="reminder", unit=1)


def _correction(agent):
    from zhiren.discipline.models import ClockCorrection

    return ClockCorrection.objects.create(agent=agent, action="add", at=dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC),
                                          kind="in", reason="打卡机坏了，九点到的")


def rule_a1(w):
    return {"pk": _rule(w, team=w.team_a1).pk}


def draft_a1(w):
    return {"pk": _rule(w, team=w.team_a1, announced=False).pk}


def rule_b(w):
    return {"pk": _rule(w, site=w.site_b).pk}


def violation_of(name):
    def kwargs(w):
        agent = getattr(w, name)
        rule = _rule(w, site=agent.team.site)
        return {"pk": _violation(agent, rule).pk}
    return kwargs


def correction_of(name):
    return lambda w: {"pk": _correction(getattr(w, name)).pk}


RECORD = roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, hr=OK)  # the agent's own record
READERS = roles(NOT_FOUND, lead=OK, manager=OK, hr=OK)
ACTORS = roles(NOT_FOUND, lead=OK, manager=OK)
ACTORS_REDIRECT = roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT)
RULE_WRITERS = roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)

CASES = {
    "discipline:rules": [Case(expect=roles(OK))],
    "discipline:rule_create": [
        Case(expect=RULE_WRITERS),
        Case(method="post", data={}, expect=RULE_WRITERS),  # bound form with errors
    ],
    "discipline:rule_detail": [
        # An announced rule is public to the people it applies to and to staff of those teams.
        Case(kwargs=rule_a1, expect=roles(OK, agent=OK)),
        Case(kwargs=draft_a1, expect=roles(OK, agent=NOT_FOUND)),
        Case(kwargs=rule_b, expect=roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK)),
    ],
    "discipline:rule_edit": [
        Case(kwargs=draft_a1, expect=RULE_WRITERS),
        Case(kwargs=rule_b, expect=roles(NOT_FOUND, admin=REDIRECT)),  # announced: back to the rule
    ],
    "discipline:rule_announce": [
        Case(kwargs=draft_a1, method="post", data={"on": "2025-03-01", "grace_days": "7"},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT)),
        Case(kwargs=draft_a1, expect=roles("405", LOGIN)),
    ],
    "discipline:rule_retire": [
        Case(kwargs=rule_a1, method="post", data={"on": "2025-06-01"},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT)),
    ],
    "discipline:rule_delete": [
        Case(kwargs=draft_a1, method="post", expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT,
                                                          admin=REDIRECT)),
        Case(kwargs=rule_b, method="post", expect=roles(NOT_FOUND, admin=REDIRECT)),  # announced: stays
    ],
    "discipline:my_standing": [Case(expect=roles(NOT_FOUND, agent=OK))],
    "discipline:agent_standing": [
        Case(kwargs=lambda w: {"pk": w.agent.pk}, expect=RECORD),
        Case(kwargs=lambda w: {"pk": w.peer.pk}, expect=READERS),
        Case(kwargs=lambda w: {"pk": w.a2_agent.pk}, expect=roles(NOT_FOUND, manager=OK, hr=OK)),
        Case(kwargs=lambda w: {"pk": w.far.pk}, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "discipline:queue": [Case(expect=READERS)],
    "discipline:violation_create": [
        Case(expect=ACTORS),
        Case(method="post", data={}, expect=ACTORS),
    ],
    "discipline:violation_detail": [
        Case(kwargs=violation_of("agent"), expect=RECORD),
        Case(kwargs=violation_of("a2_agent"), expect=roles(NOT_FOUND, manager=OK, hr=OK)),
        Case(kwargs=violation_of("far"), expect=roles(NOT_FOUND, hr=OK)),
    ],
    "discipline:violation_respond": [
        Case(kwargs=violation_of("agent"), method="post", data={"note": "已提醒"}, expect=ACTORS_REDIRECT),
        Case(kwargs=violation_of("far"), method="post", data={"note": "已提醒"}, expect=roles(NOT_FOUND)),
    ],
    "discipline:violation_exempt": [
        Case(kwargs=violation_of("agent"), method="post", data={"reason": "家中突发急事，已提前电话报备"},
             expect=ACTORS_REDIRECT),
    ],
    "discipline:report": [Case(expect=READERS)],
    "discipline:corrections": [
        Case(expect=roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, hr=OK)),
        Case(method="post", data={"agent": "", "action": "add"},
             expect=roles(NOT_FOUND, agent=OK, lead=OK, manager=OK, hr=OK)),
    ],
    "discipline:correction_decide": [
        Case(kwargs=correction_of("agent"), method="post", data={"decision": "reject", "note": "没有证据"},
             expect=ACTORS_REDIRECT),
        Case(kwargs=correction_of("far"), method="post", data={"decision": "approve"}, expect=roles(NOT_FOUND)),
    ],
    "discipline:site_policy": [
        Case(kwargs=lambda w: {"pk": w.site_a.pk}, expect=roles(NOT_FOUND, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": w.site_a.pk}, method="post",
             data={"late_grace": "8", "early_grace": "5", "overtime_minimum": "30", "late_as_absence": "0",
                   "response_due_days": "3"},
             expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)),
        Case(kwargs=lambda w: {"pk": w.site_b.pk}, expect=roles(NOT_FOUND, admin=OK)),
    ],
    "api:clock-event-list": [
        Case(expect=roles(OK, UNAUTHORIZED)),
        Case(method="post", data={},
             expect=roles(NOT_FOUND, UNAUTHORIZED, manager=OK, admin=OK)),
    ],
}
