"""Every wellbeing URL × role. Individual moods: the agent, their own lead and HR; denial is 404."""

from __future__ import annotations

import datetime as dt

from ..permissions import LOGIN, NOT_FOUND, OK, REDIRECT, Case, roles


def _alert(agent):
    from zhiren.wellbeing.models import MoodAlert

    return MoodAlert.objects.create(
        agent=agent, kind="sustained_low", day=dt.date(2025, 3, 5), raised_on=dt.date(2025, 3, 5),
        evidence={"days": ["2025-03-03", "2025-03-04", "2025-03-05"], "scores": [2, 2, 1], "streak": 3},
        suggested=["one_to_one", "buddy"],
    )


def _message(w):
    from zhiren.wellbeing.models import BoardMessage

    return {"pk": BoardMessage.objects.create(team=w.team_a1, body="加油").pk}


def _pair(w):
    from zhiren.wellbeing.models import BuddyPair

    return {"pk": BuddyPair.objects.create(helper=w.peer, buddy=w.agent, started_on=dt.date(2025, 3, 1)).pk}


AGENT_ONLY = roles(NOT_FOUND, agent=OK)
LEAD_HR = roles(NOT_FOUND, lead=OK, hr=OK)

CASES = {
    "wellbeing:check_in": [
        Case(expect=AGENT_ONLY),
        Case(method="post", data={"score": "4"}, expect=roles(NOT_FOUND, agent=REDIRECT)),
    ],
    "wellbeing:my_moods": [Case(expect=AGENT_ONLY)],
    "wellbeing:agent_moods": [
        Case(kwargs=lambda w: {"pk": w.agent.pk}, expect=roles(NOT_FOUND, agent=OK, lead=OK, hr=OK)),
        Case(kwargs=lambda w: {"pk": w.peer.pk}, expect=LEAD_HR),
        Case(kwargs=lambda w: {"pk": w.far.pk}, expect=roles(NOT_FOUND, hr=OK)),
    ],
    "wellbeing:team_grid": [
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=roles(NOT_FOUND, lead=OK)),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, method="post", data={},
             expect=roles(NOT_FOUND, lead=REDIRECT)),
        Case(kwargs=lambda w: {"pk": w.team_b1.pk}, expect=roles(NOT_FOUND)),
    ],
    "wellbeing:alert_list": [Case(expect=LEAD_HR)],
    "wellbeing:alert_detail": [
        Case(kwargs=lambda w: {"pk": _alert(w.agent).pk}, expect=LEAD_HR),
        Case(kwargs=lambda w: {"pk": _alert(w.agent).pk}, method="post",
             data={"action": "one_to_one", "note": "聊过了"},
             expect=roles(NOT_FOUND, lead=REDIRECT, hr=REDIRECT)),
        Case(kwargs=lambda w: {"pk": _alert(w.far).pk}, expect=roles(NOT_FOUND, hr=OK)),
    ],
    # Aggregates only: everyone signed in sees a board (their own team or the teams they cover).
    "wellbeing:board": [Case(expect=roles(OK, LOGIN))],
    "wellbeing:board_post": [
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, method="post", data={"body": "加油!"},
             expect=roles(NOT_FOUND, agent=REDIRECT, lead=REDIRECT)),
        Case(kwargs=lambda w: {"pk": w.team_b1.pk}, method="post", data={"body": "加油!"},
             expect=roles(NOT_FOUND)),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=roles("405", agent="405")),
    ],
    "wellbeing:board_hide": [
        Case(kwargs=_message, method="post", expect=roles(NOT_FOUND, lead=REDIRECT)),
    ],
    "wellbeing:buddy_list": [
        Case(expect=LEAD_HR),
        Case(method="post", data={}, expect=roles(NOT_FOUND, lead=OK)),
    ],
    "wellbeing:buddy_end": [
        Case(kwargs=_pair, method="post", data={"outcome": "好多了"}, expect=roles(NOT_FOUND, lead=REDIRECT)),
    ],
}
