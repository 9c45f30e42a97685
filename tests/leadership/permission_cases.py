"""Workspace URLs in the permission matrix.

A team's huddles: its lead (``lead`` leads A1), the site manager and administrators; the board
is the lead's own (team leads only). Denial is a 404.
"""

from __future__ import annotations

from zhiren.leadership.wheel import ABILITIES

from ..permissions import NOT_FOUND, OK, REDIRECT, Case, roles
from .helpers import huddle, instructions_request, item, report, self_check


def _huddle(w, team=None):
    return {"pk": huddle(team or w.team_a1).pk}


def _task(w):
    from zhiren.leadership.services import add_task

    return add_task(w.user("lead"), title="排班复盘", due=None, important="").card_key


def _item(w):
    return {"pk": item(w).pk}


HUDDLE_READERS = roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)
HUDDLE_WRITERS = roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, admin=REDIRECT)
FAR_WRITERS = roles(NOT_FOUND, admin=REDIRECT)
BOARD = roles(NOT_FOUND, lead=OK)
BOARD_POST = roles(NOT_FOUND, lead=REDIRECT)

CASES = {
    "leadership:huddles": [Case(expect=HUDDLE_READERS)],
    "leadership:huddle_plan": [
        Case(
            lambda w: {"pk": w.team_a1.pk},
            HUDDLE_WRITERS,
            method="post",
            data={"shift_start": "2026-03-12 08:00"},
        ),
        Case(
            lambda w: {"pk": w.team_b1.pk},
            FAR_WRITERS,
            method="post",
            data={"shift_start": "2026-03-12 08:00"},
        ),
    ],
    "leadership:huddle": [
        Case(_huddle, HUDDLE_READERS),
        Case(lambda w: _huddle(w, w.team_b1), roles(NOT_FOUND, admin=OK)),
    ],
    "leadership:huddle_tv": [Case(_huddle, HUDDLE_READERS)],
    "leadership:huddle_run": [
        Case(_huddle, HUDDLE_WRITERS, method="post", data={"action": "start"}),
        Case(
            lambda w: _huddle(w, w.team_a2),
            roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT),
            method="post",
            data={"action": "start"},
        ),
        # each person's observed mood: the team's lead only (wellbeing's rule)
        Case(_huddle, roles(NOT_FOUND, lead=REDIRECT), method="post", data={"action": "moods"}),
    ],
    "leadership:huddle_send": [
        # no robot of the user's chosen: back to the huddle page with a message
        Case(_huddle, HUDDLE_WRITERS, method="post", data={"robots": ["999999"]}),
        Case(lambda w: _huddle(w, w.team_b1), FAR_WRITERS, method="post", data={"again": "1"}),
    ],
    "leadership:huddle_item": [
        Case(_item, HUDDLE_WRITERS, method="post", data={"action": "resolve"})
    ],
    "leadership:board": [Case(expect=BOARD)],
    "leadership:board_task": [Case(expect=BOARD_POST, method="post", data={"title": "排班复盘"})],
    "leadership:board_decide": [
        Case(expect=BOARD_POST, method="post", data={"key": "task:1", "action": "drop"})
    ],
    "leadership:board_delegate": [
        Case(lambda w: {"key": _task(w)}, BOARD),
        Case(
            lambda w: {"key": _task(w)},
            BOARD_POST,
            method="post",
            data={
                "agent": "",
                "title": "排班复盘",
                "what": "复盘",
                "why": "排班",
                "good": "周五前",
                "check_on": "2026-03-20",
            },
        ),
    ],
    "leadership:board_review": [Case(expect=BOARD)],
    "leadership:board_window": [Case(expect=BOARD_POST, method="post", data={"window_days": "3"})],
    # 请示: seen by its author and the approvers (the site manager over the team); written by leads.
    "leadership:requests": [Case(expect=roles(NOT_FOUND, lead=OK, manager=OK))],
    "leadership:request_new": [
        Case(expect=BOARD),
        Case(
            expect=roles(NOT_FOUND, lead=REDIRECT),
            method="post",
            data={
                "subject": "增开夜班",
                "background": "话务上涨",
                "options": "增开\n外包",
                "recommended": "1",
            },
        ),
    ],
    "leadership:request": [
        Case(lambda w: {"pk": instructions_request(w).pk}, roles(NOT_FOUND, lead=OK, manager=OK))
    ],
    "leadership:request_reply": [
        Case(
            lambda w: {"pk": instructions_request(w).pk},
            roles(NOT_FOUND, manager=REDIRECT),
            method="post",
            data={"kind": "approve"},
        ),
    ],
    # 汇报: the author (drafts too) and, once sent, the site managers over the team.
    "leadership:reports": [Case(expect=roles(NOT_FOUND, lead=OK, manager=OK))],
    "leadership:report_new": [
        Case(expect=roles(NOT_FOUND, lead=REDIRECT), method="post", data={"kind": "weekly"})
    ],
    "leadership:report": [
        Case(lambda w: {"pk": report(w).pk}, roles(NOT_FOUND, lead=OK, manager=OK)),
        Case(lambda w: {"pk": report(w, sent=False).pk}, roles(NOT_FOUND, lead=OK)),
    ],
    "leadership:report_edit": [
        Case(
            lambda w: {"pk": report(w, sent=False).pk},
            roles(NOT_FOUND, lead=REDIRECT),
            method="post",
            data={"title": "周报", "body": "平稳"},
        )
    ],
    "leadership:report_comment": [
        Case(
            lambda w: {"pk": report(w).pk},
            roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT),
            method="post",
            data={"text": "收到"},
        )
    ],
    "leadership:intake": [
        Case(expect=BOARD),
        Case(expect=BOARD_POST, method="post", data={"title": "双十一备战"}),
    ],
    # The lead's self-check: theirs; their manager only once shared.
    "leadership:growth": [
        Case(expect=roles(NOT_FOUND, lead=OK, manager=OK)),
        Case(
            expect=roles(NOT_FOUND, lead=REDIRECT),
            method="post",
            data=dict.fromkeys(ABILITIES, "3"),
        ),
    ],
    "leadership:self_check": [
        Case(lambda w: {"pk": self_check(w).pk}, roles(NOT_FOUND, lead=OK)),
        Case(lambda w: {"pk": self_check(w, shared=True).pk}, roles(NOT_FOUND, lead=OK, manager=OK)),
    ],
    "leadership:self_check_share": [
        Case(
            lambda w: {"pk": self_check(w, shared=True).pk},
            roles(NOT_FOUND, lead=REDIRECT),
            method="post",
            data={"shared": "0"},
        )
    ],
}
