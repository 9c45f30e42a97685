from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiren.org.models import AgentStatus

from ..factories import AgentFactory


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_lead_home_shows_the_roster_with_status_counts(world, client_for):
    AgentFactory(team=world.team_a1, status=AgentStatus.ON_LEAVE, name="请假人")
    client = client_for(world.user("lead"))
    response = client.get(reverse("core:home"))
    section = response.context["sections"][0]
    assert section["team"] == world.team_a1
    assert section["counts"] == {"active": 2, "on_leave": 1, "left": 0}
    body = response.content.decode()
    assert "张三" in body and "李四" in body and "赵六" not in body


def test_roster_page_query_count_is_constant_as_the_team_grows(world, client_for):
    client = client_for(world.user("lead"))
    url = reverse("core:home")
    small, _ = _count(client, url)
    AgentFactory.create_batch(25, team=world.team_a1)
    large, response = _count(client, url)
    assert len(response.context["sections"][0]["agents"]) == 27
    assert large == small


def test_team_page_query_count_is_constant(world, client_for):
    client = client_for(world.user("manager"))
    url = reverse("org:team_detail", kwargs={"pk": world.team_a1.pk})
    small, _ = _count(client, url)
    AgentFactory.create_batch(20, team=world.team_a1)
    large, _ = _count(client, url)
    assert large == small


def test_agent_home_shows_only_own_card(world, client_for):
    body = client_for(world.user("agent")).get(reverse("core:home")).content.decode()
    assert "张三" in body
    assert "李四" not in body and "赵六" not in body


def test_manager_overview_counts_only_own_site(world, client_for):
    response = client_for(world.user("manager")).get(reverse("core:home"))
    assert response.context["totals"] == {"teams": 2, "active": 3, "on_leave": 0, "left": 0}


def test_agent_directory_filters_and_paginates(world, client_for):
    AgentFactory.create_batch(60, team=world.team_a2)
    client = client_for(world.user("hr"))
    page = client.get(reverse("org:agent_list"), {"team": world.team_a2.pk}).context["page"]
    assert page.paginator.count == 61 and len(page.object_list) == 50
    page = client.get(reverse("org:agent_list"), {"q": "赵六"}).context["page"]
    assert [a.employee_no for a in page.object_list] == ["B1001"]


def test_qa_does_not_see_birthdays(world, client_for):
    body = client_for(world.user("qa")).get(
        reverse("org:agent_detail", kwargs={"pk": world.peer.pk})
    ).content.decode()
    assert 'data-testid="birthday"' not in body
    body = client_for(world.user("lead")).get(
        reverse("org:agent_detail", kwargs={"pk": world.peer.pk})
    ).content.decode()
    assert 'data-testid="birthday"' in body
