"""Quality URLs in the permission matrix.

The world's ``qa`` holds the QA role at site A's scope, so it is also the QA lead there
(no separate role; see docs/quality.md); ``manager`` (site A) and ``admin`` are QA leads too.
Agents see their own released evaluations, leads their team's; trainers and HR see none.
"""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Case, roles
from .helpers import contact, dispute, evaluation, scorecard


def _contact(w, agent=None):
    agent = agent or w.agent
    scorecard(agent.team.site)
    return {"pk": contact(agent).pk}


def _session(w, site=None, closed=False):
    from django.utils import timezone

    from tests.factories import UserFactory
    from zhiren.quality.models import CalibrationSession

    site = site or w.site_a
    inspector = UserFactory()
    session = CalibrationSession.objects.create(site=site, name="校准", version=scorecard(site).current(),
                                                benchmark=w.user("qa"), held_on=timezone.localdate(), closed=closed)
    session.inspectors.add(inspector, w.user("qa"))
    return {"pk": session.pk}


QA_LEADS = {"qa": REDIRECT, "manager": REDIRECT, "admin": REDIRECT}

def _hit(w, agent=None):
    from tests.quality.helpers import transcript
    from zhiren.quality.models import RuleHit, TranscriptRule

    agent = agent or w.agent
    t = transcript(contact(agent), [("agent", 0, 1, "喂")])
    rule = TranscriptRule.objects.create(site=agent.team.site, key=f"r{t.pk}", name="开场", kind="required",
                                         expression={"phrases": ["您好"]})
    return {"pk": RuleHit.objects.create(transcript=t, rule=rule, agent=agent, team=agent.team,
                                         day=t.interaction.day).pk}


API_LIST = roles(OK, UNAUTHORIZED)
OWN_RELEASED_API = roles(NOT_FOUND, UNAUTHORIZED, agent=OK, lead=OK, qa=OK, manager=OK, admin=OK)

REPORTERS = roles(NOT_FOUND, lead=OK, qa=OK, manager=OK, admin=OK)

IMPORTERS = roles(NOT_FOUND, qa=OK, manager=OK, admin=OK)

def _self_sample(w, agent=None):
    from zhiren.quality.models import Sample, SamplingPlan

    agent = agent or w.agent
    plan = SamplingPlan.objects.create(team=agent.team, name="自评", scorecard=scorecard(agent.team.site),
                                       self_evaluation=True)
    return {"pk": Sample.objects.create(plan=plan, interaction=contact(agent), agent=agent,
                                        period_start=contact(agent).day, reason="random").pk}


def _rule(w, site=None):
    from zhiren.quality.models import TranscriptRule

    site = site or w.site_a
    return {"pk": TranscriptRule.objects.create(site=site, key="greeting", name="开场问候", kind="required",
                                                expression={"phrases": ["您好"]}).pk}


def _phrase_list(w, site=None):
    from zhiren.quality.models import PhraseList

    return {"pk": PhraseList.objects.create(site=site or w.site_a, name="forbidden", phrases=["不知道"]).pk}


RULE_POST = {"key": "greeting", "name": "开场", "kind": "required", "expression_text": '{"phrases": ["您好"]}',
             "targets_sampling": "on", "active": "on"}
LIST_POST = {"name": "forbidden", "phrases_text": "不知道\n这不归我管", "active": "on"}
LEADS_OK = roles(NOT_FOUND, qa=OK, manager=OK, admin=OK)
LEADS_SAVE = roles(NOT_FOUND, qa=REDIRECT, manager=REDIRECT, admin=REDIRECT)

CASES = {
    "quality:rules": [Case(expect=LEADS_OK)],
    "quality:rule_create": [
        Case(expect=LEADS_OK),
        Case(method="post", data=RULE_POST, expect=LEADS_OK),  # no site chosen: the form again
    ],
    "quality:rule_edit": [
        Case(kwargs=_rule, expect=LEADS_OK),
        Case(kwargs=lambda w: _rule(w, w.site_b), expect=roles(NOT_FOUND, admin=OK)),
        Case(kwargs=_rule, method="post", data=RULE_POST, expect=LEADS_SAVE),
    ],
    "quality:phrase_list_create": [
        Case(expect=LEADS_OK),
        Case(method="post", data=LIST_POST, expect=LEADS_OK),
    ],
    "quality:phrase_list_edit": [
        Case(kwargs=_phrase_list, expect=LEADS_OK),
        Case(kwargs=lambda w: _phrase_list(w, w.site_b), expect=roles(NOT_FOUND, admin=OK)),
        Case(kwargs=_phrase_list, method="post", data=LIST_POST, expect=LEADS_SAVE),
    ],
    "quality:self_evaluate": [
        Case(kwargs=_self_sample, expect=roles(NOT_FOUND, agent=OK)),
        Case(kwargs=lambda w: _self_sample(w, w.peer), expect=roles(NOT_FOUND)),
    ],
    "quality:import_transcripts": [Case(expect=IMPORTERS)],
    "quality:scorecard": [
        Case(kwargs=lambda w: {"pk": scorecard(w.site_a).pk}, expect=IMPORTERS),
        Case(kwargs=lambda w: {"pk": scorecard(w.site_b).pk}, expect=roles(NOT_FOUND, admin=OK)),
        Case(kwargs=lambda w: {"pk": scorecard(w.site_a).pk}, method="post", data={"definition": "[]"},
             expect=roles(NOT_FOUND, qa=OK, manager=OK, admin=OK)),
    ],
    "quality:reports": [Case(expect=REPORTERS)],
    "quality:export": [Case(expect=REPORTERS)],
    "api:qa-evaluation-list": [Case(expect=API_LIST)],
    "api:qa-evaluation-detail": [
        Case(kwargs=lambda w: {"pk": evaluation(w).pk}, expect=OWN_RELEASED_API),
        Case(kwargs=lambda w: {"pk": evaluation(w, released=False).pk},
             expect=roles(NOT_FOUND, UNAUTHORIZED, qa=OK, manager=OK, admin=OK)),
    ],
    "api:qa-dispute-list": [Case(expect=API_LIST)],
    "api:qa-dispute-detail": [Case(kwargs=lambda w: {"pk": dispute(w).pk}, expect=OWN_RELEASED_API)],
    "api:qa-rule-hit-list": [Case(expect=API_LIST)],
    "api:qa-rule-hit-detail": [
        Case(kwargs=_hit, expect=OWN_RELEASED_API),
        Case(kwargs=lambda w: _hit(w, w.far), expect=roles(NOT_FOUND, UNAUTHORIZED, admin=OK)),
    ],
    "quality:calibration": [
        Case(kwargs=_session, expect=roles(NOT_FOUND, qa=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: _session(w, w.site_b), expect=roles(NOT_FOUND, admin=OK)),
    ],
    "quality:home": [Case(expect=roles(OK))],
    "quality:score": [
        Case(kwargs=_contact, expect=roles(NOT_FOUND, qa=OK)),
        Case(kwargs=lambda w: _contact(w, w.far), expect=roles(NOT_FOUND)),
    ],
    "quality:evaluation": [
        Case(kwargs=lambda w: {"pk": evaluation(w).pk},
             expect=roles(NOT_FOUND, agent=OK, lead=OK, qa=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": evaluation(w, agent=w.peer).pk},
             expect=roles(NOT_FOUND, lead=OK, qa=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": evaluation(w, released=False).pk},
             expect=roles(NOT_FOUND, qa=OK, manager=OK, admin=OK)),
        Case(kwargs=lambda w: {"pk": evaluation(w, agent=w.far).pk}, expect=roles(NOT_FOUND, admin=OK)),
    ],
    "quality:release": [
        Case(kwargs=lambda w: {"pk": evaluation(w, released=False).pk}, method="post",
             expect=roles(NOT_FOUND, **QA_LEADS)),
    ],
    "quality:dispute": [
        Case(kwargs=lambda w: {"pk": evaluation(w).pk}, method="post", data={"comment": "不服"},
             expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT)),
    ],
    "quality:dispute_reply": [
        Case(kwargs=lambda w: {"pk": dispute(w).pk}, method="post",
             data={"outcome": "rejected", "reply": "录音清楚"}, expect=roles(NOT_FOUND, **QA_LEADS)),
    ],
    "quality:dispute_escalate": [
        Case(kwargs=lambda w: {"pk": dispute(w, "rejected").pk}, method="post", data={"comment": "请复核"},
             expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT)),
    ],
    "quality:dispute_rule": [
        Case(kwargs=lambda w: {"pk": dispute(w, "escalated").pk}, method="post", data={"ruling": "维持"},
             expect=roles(NOT_FOUND, **QA_LEADS)),
    ],
}


