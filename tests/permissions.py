"""Vocabulary for the permission matrix (``tests/core/test_permission_matrix.py``).

Each app declares its URLs' expected outcomes in ``tests/<app>/permission_cases.py``
as ``CASES: dict[str, list[Case]]`` (URL name → cases); the matrix test collects
them all and fails when a URL pattern has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .world import ROLES, World

OK, NOT_FOUND, LOGIN, UNAUTHORIZED, NOT_ALLOWED, REDIRECT = (
    "ok", "404", "login", "401", "405", "redirect",
)
STAFF = ("lead", "qa", "trainer", "hr", "manager", "admin")


@dataclass
class Case:
    """One URL with the target objects it is called on and the expected outcome per role."""

    kwargs: Callable[[World], dict] = lambda w: {}
    expect: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)


def roles(default: str, anonymous: str = LOGIN, **overrides: str) -> dict[str, str]:
    result = dict.fromkeys(ROLES, default)
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


def staff_only(anonymous: str = LOGIN) -> dict[str, str]:
    return roles(OK, anonymous, agent=NOT_FOUND)


def far_agent(w):
    return {"pk": w.far.pk}


def team_b1(w):
    return {"pk": w.team_b1.pk}


# Outside site A only trainer, HR and admin (scope: everything) see anything.
FAR = roles(NOT_FOUND, trainer=OK, hr=OK, admin=OK)
FAR_API = {**FAR, "anonymous": UNAUTHORIZED}
