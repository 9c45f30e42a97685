"""People URLs in the permission matrix. Sensitive pages: the agent, own lead (A1) and HR only."""

from __future__ import annotations

import datetime as dt

from ..permissions import NOT_FOUND, OK, REDIRECT, Case, roles


def _talk(w):
    from zhiren.people.models import Talk, TalkParticipant

    talk = Talk.objects.create(lead=w.user("lead"), team=w.team_a1, held_on=dt.date(2024, 5, 1), setting="tea")
    TalkParticipant.objects.create(talk=talk, agent=w.agent, private_note="note")
    return talk


def _talk_of_peer(w):
    from zhiren.people.models import Talk, TalkParticipant

    talk = Talk.objects.create(lead=w.user("lead"), team=w.team_a1, held_on=dt.date(2024, 5, 1), setting="tea")
    TalkParticipant.objects.create(talk=talk, agent=w.peer)
    return {"pk": talk.pk}


def _follow_up(w):
    from zhiren.people.models import FollowUp

    return {"pk": FollowUp.objects.create(talk=_talk(w), description="x", due_on=dt.date(2024, 5, 8)).pk}


def _webhook(w):
    from zhiren.people.models import DigestWebhook

    return {"pk": DigestWebhook.objects.create(owner=w.user("lead"), kind="wecom", url="http://127.0.0.1:9/").pk}


OWN = lambda w: {"pk": w.agent.pk}  # noqa: E731
PEER = lambda w: {"pk": w.peer.pk}  # noqa: E731
FAR = lambda w: {"pk": w.far.pk}  # noqa: E731
SELF_ONLY = roles(NOT_FOUND, agent=OK)
LEAD_ONLY = roles(NOT_FOUND, lead=OK)

CASES = {
    "people:my_profile": [Case(expect=SELF_ONLY)],
    # profile: PERSONAL group (agent self, own lead, HR, site manager, admin)
    "people:profile": [
        Case(kwargs=OWN, expect=roles(OK, qa=NOT_FOUND, trainer=NOT_FOUND)),
        Case(kwargs=PEER, expect=roles(OK, agent=NOT_FOUND, qa=NOT_FOUND, trainer=NOT_FOUND)),
        Case(kwargs=FAR, expect=roles(NOT_FOUND, hr=OK, admin=OK)),
    ],
    # editing and the ledger: SENSITIVE (agent self, own lead, HR)
    "people:profile_edit": [
        Case(kwargs=OWN, expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK)),
        Case(kwargs=FAR, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "people:life_stage": [Case(kwargs=OWN, expect=SELF_ONLY), Case(kwargs=PEER, expect=roles(NOT_FOUND))],
    "people:consent_withdraw": [
        Case(kwargs=OWN, method="post", expect=roles(NOT_FOUND, agent=REDIRECT)),
        Case(kwargs=PEER, method="post", expect=roles(NOT_FOUND)),
    ],
    # Old links of the people-only export: they lead to the privacy module's export, which decides.
    "people:export_json": [Case(kwargs=OWN, expect=roles(REDIRECT))],
    "people:export_page": [Case(kwargs=OWN, expect=roles(REDIRECT))],
    "people:talk_list": [Case(expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK))],
    "people:talk_create": [Case(expect=LEAD_ONLY)],
    "people:talk_detail": [
        Case(kwargs=lambda w: {"pk": _talk(w).pk}, expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK)),
        Case(kwargs=_talk_of_peer, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
    ],
    "people:follow_up_done": [
        Case(kwargs=_follow_up, method="post", expect=roles(NOT_FOUND, lead=REDIRECT)),
    ],
    "people:cadence": [
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, method="post", data={"weeks": 6},
             expect=roles(NOT_FOUND, lead=REDIRECT)),
        Case(kwargs=lambda w: {"pk": w.team_b1.pk}, method="post", data={"weeks": 6}, expect=roles(NOT_FOUND)),
    ],
    "people:ledger_overview": [Case(expect=LEAD_ONLY)],
    "people:ledger": [
        Case(kwargs=OWN, expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=FAR, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "people:digest_settings": [Case(expect=LEAD_ONLY)],
    "people:webhook_delete": [Case(kwargs=_webhook, method="post", expect=roles(NOT_FOUND, lead=REDIRECT))],
}
