"""Placement URLs in the permission matrix.

Fit (uses the agents' wishes): their lead, the site manager, HR, admin. Assignments: site
manager (own site) and admin. Picks: leads (own teams), site manager, admin. Favoritism
report: site manager, HR, admin. Know-how: every signed-in user reads it.
"""

from __future__ import annotations

from ..permissions import NOT_FOUND, OK, REDIRECT, Case, roles

FIT = roles(NOT_FOUND, lead=OK, manager=OK, hr=OK, admin=OK)
FIT_FAR = roles(NOT_FOUND, hr=OK, admin=OK)
PLANNER = roles(NOT_FOUND, manager=OK, admin=OK)


def _role(code="presales"):
    from zhiren.placement.models import RoleProfile
    from zhiren.placement.services import ensure_catalogue

    ensure_catalogue()  # a transactional test earlier in the run may have flushed the migration's rows
    return RoleProfile.objects.get(code=code)


def _position(site):
    from zhiren.placement.models import OpenPosition

    return OpenPosition.objects.create(site=site, role=_role("qa"), capacity=1)


def _run(site):
    from zhiren.placement.models import AssignmentRun

    return AssignmentRun.objects.create(site=site)


def _know_how(w):
    from zhiren.placement.models import KnowHow

    return {"pk": KnowHow.objects.create(role=_role(), title="追问三步", body="先肯定，再追问，再对比。").pk}


OWN = lambda w: {"pk": w.agent.pk}  # noqa: E731
FAR = lambda w: {"pk": w.far.pk}  # noqa: E731

CASES = {
    "placement:fit_matrix": [Case(expect=FIT)],
    "placement:agent_fit": [Case(kwargs=OWN, expect=FIT), Case(kwargs=FAR, expect=FIT_FAR)],
    "placement:agent_traits": [
        Case(kwargs=OWN, method="post", data={"traits": ["calm"]},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT)),
        Case(kwargs=FAR, method="post", data={"traits": ["calm"]},
             expect=roles(NOT_FOUND, hr=REDIRECT, admin=REDIRECT)),
    ],
    "placement:agent_wishes": [
        Case(kwargs=OWN, method="post", data={},
             expect=roles(NOT_FOUND, lead=REDIRECT, manager=REDIRECT, hr=REDIRECT, admin=REDIRECT)),
        Case(kwargs=FAR, method="post", data={}, expect=roles(NOT_FOUND, hr=REDIRECT, admin=REDIRECT)),
    ],
    "placement:my_wishes": [
        Case(expect=roles(NOT_FOUND, agent=OK)),
        Case(method="post", data={}, expect=roles(NOT_FOUND, agent=REDIRECT)),
    ],
    "placement:role_list": [Case(expect=roles(OK, agent=NOT_FOUND))],
    "placement:role_edit": [
        Case(kwargs=lambda w: {"pk": _role().pk}, expect=PLANNER),
        Case(kwargs=lambda w: {"pk": _role().pk}, method="post", data={"name": "x"}, expect=PLANNER),
    ],
    "placement:positions": [Case(expect=PLANNER)],
    "placement:position_close": [
        Case(kwargs=lambda w: {"pk": _position(w.site_a).pk}, method="post",
             expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)),
        Case(kwargs=lambda w: {"pk": _position(w.site_b).pk}, method="post",
             expect=roles(NOT_FOUND, admin=REDIRECT)),
    ],
    "placement:run_create": [
        Case(method="post", expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)),
    ],
    "placement:run_detail": [
        Case(kwargs=lambda w: {"pk": _run(w.site_a).pk}, expect=PLANNER),
        Case(kwargs=lambda w: {"pk": _run(w.site_b).pk}, expect=roles(NOT_FOUND, admin=OK)),
    ],
    "placement:run_apply": [
        Case(kwargs=lambda w: {"pk": _run(w.site_a).pk}, method="post",
             expect=roles(NOT_FOUND, manager=REDIRECT, admin=REDIRECT)),
        Case(kwargs=lambda w: {"pk": _run(w.site_b).pk}, method="post", expect=roles(NOT_FOUND, admin=REDIRECT)),
    ],
    "placement:pick": [
        Case(expect=roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)),
        Case(method="post", data={}, expect=roles(NOT_FOUND, lead=OK, manager=OK, admin=OK)),
    ],
    "placement:report": [Case(expect=roles(NOT_FOUND, manager=OK, hr=OK, admin=OK))],
    "placement:know_how_list": [Case(expect=roles(OK))],
    "placement:know_how_create": [
        Case(expect=roles(NOT_FOUND, lead=OK, trainer=OK, manager=OK, admin=OK)),
        Case(method="post", data={}, expect=roles(NOT_FOUND, lead=OK, trainer=OK, manager=OK, admin=OK)),
    ],
    "placement:know_how_detail": [Case(kwargs=_know_how, expect=roles(OK))],
}
