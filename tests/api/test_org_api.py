from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ..factories import AgentFactory


def api_as(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_token_auth_lists_only_scoped_agents(world):
    data = api_as(world.user("lead")).get(reverse("api:agent-list")).json()
    assert {row["employee_no"] for row in data["results"]} == {"A1001", "A1002"}


def test_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(reverse("api:agent-list")).status_code == 401


def test_token_expires_after_its_lifetime_and_revoking_is_deleting(world, settings):
    from datetime import timedelta

    import time_machine

    settings.API_TOKEN_LIFETIME = timedelta(days=30)
    client = api_as(world.user("lead"))
    client.cookies["django_language"] = "en"
    assert client.get(reverse("api:agent-list")).status_code == 200
    with time_machine.travel(timedelta(days=30, minutes=1)):
        response = client.get(reverse("api:agent-list"))
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]
    Token.objects.filter(user=world.user("lead")).delete()
    assert client.get(reverse("api:agent-list")).status_code == 401


def test_fields_follow_the_field_groups(world):
    qa_rows = api_as(world.user("qa")).get(reverse("api:agent-list")).json()["results"]
    assert all("birthday" not in row and "hire_date" in row for row in qa_rows)
    lead_rows = api_as(world.user("lead")).get(reverse("api:agent-list")).json()["results"]
    assert all(row["birthday"] == "1998-06-15" for row in lead_rows)


def test_agent_sees_only_self(world):
    rows = api_as(world.user("agent")).get(reverse("api:agent-list")).json()["results"]
    assert [row["employee_no"] for row in rows] == ["A1001"]
    assert "birthday" in rows[0]


def test_detail_outside_scope_is_404(world):
    url = reverse("api:agent-detail", kwargs={"pk": world.far.pk})
    assert api_as(world.user("manager")).get(url).status_code == 404
    assert api_as(world.user("hr")).get(url).status_code == 200


def test_filters(world):
    client = api_as(world.user("hr"))
    rows = client.get(reverse("api:agent-list"), {"team": "b1"}).json()["results"]
    assert [row["employee_no"] for row in rows] == ["B1001"]
    teams = client.get(reverse("api:team-list")).json()["results"]
    assert {t["code"] for t in teams} == {"a1", "a2", "b1"}


def test_schema_lists_the_endpoints(world):
    response = api_as(world.user("admin")).get(reverse("api-schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/agents/" in paths and "/api/teams/{id}/" in paths


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_agent_list_query_count_is_constant(world):
    client = api_as(world.user("hr"))
    url = reverse("api:agent-list")
    small = _count_queries(client, url)
    AgentFactory.create_batch(30, team=world.team_a1)
    AgentFactory.create_batch(10, team=world.team_b1)
    assert _count_queries(client, url) == small
