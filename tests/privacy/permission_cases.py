"""Privacy URLs in the permission matrix: an agent's export is theirs and HR's (in scope); a
correction request is the agent's, HR's and, when routed to the lead, their team lead's."""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, Case, roles


def _asked(agent, approver):
    def make(w):
        from zhiren.privacy.models import CorrectionRequest

        asked = CorrectionRequest.objects.create(
            agent=getattr(w, agent), topic="workforce.schedule" if approver == "lead" else "org.birthday",
            topic_label="x", approver=approver, wrong="w", correct="c",
        )
        return {"pk": asked.pk}

    return make


OWN = lambda w: {"pk": w.agent.pk}  # noqa: E731
PEER = lambda w: {"pk": w.peer.pk}  # noqa: E731
FAR = lambda w: {"pk": w.far.pk}  # noqa: E731
EXPORT_OWN = roles(NOT_FOUND, agent=OK, hr=OK)
HR_ONLY = roles(NOT_FOUND, hr=OK)
DECLINE = {"decision": "decline", "note": "not so"}

CASES = {
    "privacy:my_data": [Case(expect=roles(NOT_FOUND, agent=REDIRECT))],
    "privacy:export_page": [
        Case(kwargs=OWN, expect=EXPORT_OWN), Case(kwargs=PEER, expect=HR_ONLY), Case(kwargs=FAR, expect=HR_ONLY),
    ],
    "privacy:export_json": [
        Case(kwargs=OWN, expect=EXPORT_OWN), Case(kwargs=PEER, expect=HR_ONLY), Case(kwargs=FAR, expect=HR_ONLY),
    ],
    "privacy:correction_new": [
        Case(kwargs=OWN, expect=roles(NOT_FOUND, agent=OK)),
        Case(kwargs=OWN, method="post", data={"topic": "org.name", "wrong": "typo", "correct": "张三丰"},
             expect=roles(NOT_FOUND, agent=REDIRECT)),
        Case(kwargs=PEER, expect=roles(NOT_FOUND)),
    ],
    "privacy:corrections": [Case(expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK))],
    "privacy:correction_detail": [
        Case(kwargs=_asked("agent", "lead"), expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK)),
        Case(kwargs=_asked("agent", "hr"), expect=roles(NOT_FOUND, agent=OK, hr=OK)),
        Case(kwargs=_asked("peer", "lead"), expect=roles(NOT_FOUND, lead=OK, hr=OK)),
        Case(kwargs=_asked("far", "lead"), expect=HR_ONLY),
    ],
    "privacy:correction_decide": [
        Case(kwargs=_asked("agent", "lead"), method="post", data=DECLINE,
             expect=roles(NOT_FOUND, lead=REDIRECT, hr=REDIRECT)),
        Case(kwargs=_asked("agent", "hr"), method="post", data=DECLINE, expect=roles(NOT_FOUND, hr=REDIRECT)),
        Case(kwargs=_asked("far", "lead"), method="post", data=DECLINE, expect=roles(NOT_FOUND, hr=REDIRECT)),
    ],
}
