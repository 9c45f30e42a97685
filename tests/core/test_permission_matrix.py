"""Every URL pattern × every role (plus anonymous): allowed, 404, or redirect to login.

Entries live here for the foundation's URLs and in ``tests/<app>/permission_cases.py``
for each app. Adding a URL without an entry fails ``test_every_url_is_in_the_matrix``.
The Django admin is left to Django's own staff check (see ``test_admin_needs_staff``).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..permissions import (
    FAR,
    FAR_API,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Case,
    far_agent,
    roles,
    staff_only,
    team_b1,
)
from ..world import ROLES

FOUNDATION: dict[str, list[Case]] = {
    "core:home": [Case(expect=roles(OK))],
    "healthz": [Case(expect=roles(OK, OK))],
    "accounts:login": [Case(expect=roles(REDIRECT, OK))],
    "accounts:logout": [Case(method="post", expect=roles(REDIRECT, REDIRECT))],
    "accounts:password_change": [Case(expect=roles(OK))],
    "accounts:password_change_done": [Case(expect=roles(OK))],
    "set_language": [
        Case(method="post", data={"language": "en", "next": "/"}, expect=roles(REDIRECT, REDIRECT))
    ],
    "org:team_list": [Case(expect=staff_only())],
    "org:team_detail": [
        Case(kwargs=team_b1, expect=FAR),
        Case(kwargs=lambda w: {"pk": w.team_a1.pk}, expect=roles(OK, agent=NOT_FOUND)),
    ],
    "org:agent_list": [Case(expect=staff_only())],
    "org:agent_detail": [
        Case(kwargs=far_agent, expect=FAR),
        Case(kwargs=lambda w: {"pk": w.peer.pk}, expect=roles(OK, agent=NOT_FOUND)),
        Case(kwargs=lambda w: {"pk": w.agent.pk}, expect=roles(OK)),
    ],
    "org:my_profile": [Case(expect=roles(NOT_FOUND, agent=OK))],
    "audit:list": [Case(expect=roles(NOT_FOUND, admin=OK))],
    "api:api-root": [Case(expect=roles(OK, UNAUTHORIZED))],
    "api:team-list": [
        Case(expect=roles(OK, UNAUTHORIZED)),
        Case(method="post", data={"code": "x", "name": "x"},
             expect=roles(NOT_ALLOWED, UNAUTHORIZED)),
    ],
    "api:team-detail": [Case(kwargs=team_b1, expect=FAR_API)],
    "api:agent-list": [
        Case(expect=roles(OK, UNAUTHORIZED)),
        Case(method="post", data={"employee_no": "X1", "name": "x"},
             expect=roles(NOT_ALLOWED, UNAUTHORIZED)),
    ],
    "api:agent-detail": [
        Case(kwargs=far_agent, expect=FAR_API),
        # The API is read-only: a write is refused before the object is looked up,
        # so the answer is the same whether or not the caller may see the agent.
        Case(kwargs=far_agent, method="delete", expect=roles(NOT_ALLOWED, UNAUTHORIZED)),
    ],
    "api-schema": [Case(expect=roles(OK, UNAUTHORIZED))],
    "api-docs": [Case(expect=roles(OK, UNAUTHORIZED))],
}


def collect_matrix() -> dict[str, list[Case]]:
    matrix = dict(FOUNDATION)
    tests_dir = Path(__file__).resolve().parent.parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if not info.ispkg or not (tests_dir / info.name / "permission_cases.py").exists():
            continue
        module = importlib.import_module(f"tests.{info.name}.permission_cases")
        overlap = set(matrix) & set(module.CASES)
        assert not overlap, f"URL names declared twice in the matrix: {sorted(overlap)}"
        matrix.update(module.CASES)
    return matrix


MATRIX = collect_matrix()


DENIED = {NOT_FOUND, LOGIN, UNAUTHORIZED, NOT_ALLOWED}


def database_snapshot() -> dict[str, list]:
    """Every row of every table but sessions: a denied write must leave all of it as it was."""
    from django.apps import apps

    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def url_names(patterns=None, namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            if full == "admin":
                continue
            yield from url_names(p.url_patterns, full)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_is_in_the_matrix():
    names = set(url_names())
    missing = names - set(MATRIX)
    assert not missing, f"URL patterns without a permission-matrix entry: {sorted(missing)}"
    stale = set(MATRIX) - names
    assert not stale, f"matrix entries for URLs that no longer exist: {sorted(stale)}"


PARAMS = [
    pytest.param(name, index, role, id=f"{name}[{index}]-{role}")
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "index", "role"), PARAMS)
def test_permission_matrix(world, client_for, name, index, role):
    case = MATRIX[name][index]
    assert set(case.expect) == set(ROLES), f"{name}[{index}] must state every role"
    client = client_for(world.user(role))
    url = reverse(name, kwargs=case.kwargs(world))
    expected = case.expect[role]
    denied_write = case.method != "get" and expected in DENIED
    before = database_snapshot() if denied_write else None
    response = getattr(client, case.method)(url, case.data)
    if denied_write:
        assert database_snapshot() == before, f"denied {case.method.upper()} {url} wrote data"
    status = response.status_code
    if expected == OK:
        assert status == 200, f"{role} {case.method.upper()} {url}: {status}"
    elif expected == NOT_FOUND:
        assert status == 404, f"{role} {case.method.upper()} {url}: {status}"
    elif expected == LOGIN:
        assert status == 302 and response.url.startswith(reverse("accounts:login")), (
            f"{role} {url}: {status} {getattr(response, 'url', '')}"
        )
    elif expected == REDIRECT:
        assert status == 302 and not response.url.startswith(reverse("accounts:login") + "?")
    elif expected == UNAUTHORIZED:
        assert status == 401, f"{role} {url}: {status}"
    elif expected == NOT_ALLOWED:
        assert status == 405, f"{role} {case.method.upper()} {url}: {status}"
    else:  # pragma: no cover
        raise AssertionError(expected)


def test_denied_api_writes_leave_the_database_unchanged(world, client_for):
    from zhiren.org.models import Agent, Team

    before = (
        list(Agent.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
    )
    for role in ROLES:
        client = client_for(world.user(role))
        client.post(reverse("api:agent-list"), {"employee_no": "NEW1", "name": "x", "team": "a1"})
        client.delete(reverse("api:agent-detail", kwargs={"pk": world.far.pk}))
        client.patch(
            reverse("api:agent-detail", kwargs={"pk": world.peer.pk}),
            {"name": "changed"},
            content_type="application/json",
        )
    after = (
        list(Agent.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
    )
    assert after == before


def test_admin_needs_staff(world, client_for):
    response = client_for(world.user("lead")).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
