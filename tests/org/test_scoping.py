"""The one scope API: ``visible_to``, ``get_visible_or_404`` and the user's own agent."""

from __future__ import annotations

import pytest
from django.http import Http404

from zhiren.discipline.models import Exemption, Violation
from zhiren.org.access import FieldGroup
from zhiren.org.models import Agent, Role, Team
from zhiren.org.scoping import (
    ANY_ROLE,
    NO_ROLE,
    get_or_404,
    get_visible_or_404,
    own_agent,
    own_agent_or_404,
    visible_to,
)
from zhiren.performance.models import DailyStat

from ..factories import AgentFactory, UserFactory, agent_user, grant

pytestmark = pytest.mark.django_db

AGENTS = ("agent", "peer", "a2_agent", "far")


def seen(queryset, world) -> set[str]:
    by_pk = {getattr(world, key).pk: key for key in AGENTS}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", set()),
        ("agent", {"agent"}),  # own record: the policy of every field group
        ("lead", {"agent", "peer"}),
        ("qa", set()),
        ("manager", set()),
        ("hr", {"agent", "peer", "a2_agent", "far"}),
        ("admin", set()),
    ],
)
def test_agents_by_field_group(world, role, expected):
    assert seen(Agent.objects.visible_to(world.user(role), FieldGroup.SENSITIVE), world) == expected


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        ("lead", None, {"agent", "peer"}),
        ("manager", None, {"agent", "peer", "a2_agent"}),
        ("agent", None, set()),  # roles do not include the own record by default
        ("agent", True, {"agent"}),
        ("hr", None, set()),
    ],
)
def test_agents_by_roles(world, role, own, expected):
    roles = (Role.TEAM_LEAD, Role.SITE_MANAGER)
    assert seen(Agent.objects.visible_to(world.user(role), roles, own=own), world) == expected


def test_any_role_and_no_role(world):
    assert seen(Agent.objects.visible_to(world.user("qa"), ANY_ROLE), world) == {"agent", "peer", "a2_agent"}
    assert seen(Agent.objects.visible_to(world.user("hr"), NO_ROLE), world) == set()
    assert seen(Agent.objects.visible_to(world.user("agent"), NO_ROLE, own=True), world) == {"agent"}


def test_one_role_given_bare(world):
    assert seen(Agent.objects.visible_to(world.user("lead"), Role.TEAM_LEAD), world) == {"agent", "peer"}


def test_teams_with_the_own_team(world):
    agent_user_ = world.user("agent")
    assert set(Team.objects.visible_to(agent_user_, ANY_ROLE)) == set()
    assert set(Team.objects.visible_to(agent_user_, ANY_ROLE, own=True)) == {world.team_a1}
    assert set(Team.objects.visible_to(world.user("manager"), ANY_ROLE)) == {world.team_a1, world.team_a2}


def test_path_is_found_or_given(world):
    from zhiren.discipline.models import Rule

    rule = Rule.objects.create(site=world.site_a, title="Late", announced_on=None)
    peer_violation = Violation.objects.create(agent=world.peer, team=world.team_b1, rule=rule, day="2026-03-02")
    far_violation = Violation.objects.create(agent=world.far, team=world.team_a1, rule=rule, day="2026-03-02")
    lead = world.user("lead")
    # Without via, the agent's current team decides; via="team" follows the team recorded on the row.
    assert list(Violation.objects.visible_to(lead, (Role.TEAM_LEAD,))) == [peer_violation]
    assert list(Violation.objects.visible_to(lead, (Role.TEAM_LEAD,), via="team")) == [far_violation]
    exemption = Exemption.objects.create(violation=far_violation, reason="doctor", granted_by=lead)
    assert list(Exemption.objects.visible_to(lead, (Role.TEAM_LEAD,), via="violation__team")) == [exemption]
    assert list(Exemption.objects.visible_to(lead, (Role.TEAM_LEAD,), via="violation__agent")) == []


def test_own_rows_through_another_path(world):
    agent = world.agent
    other_team_row = DailyStat.objects.create(day="2026-03-02", agent=agent, team=world.team_b1)
    team_row = DailyStat.objects.create(day="2026-03-02", agent=world.peer, team=world.team_a1)
    user = world.user("agent")
    assert list(DailyStat.objects.visible_to(user, (Role.TEAM_LEAD,), via="team", own=True,
                                             own_via="agent")) == [other_team_row]
    lead = world.user("lead")
    assert list(DailyStat.objects.visible_to(lead, (Role.TEAM_LEAD,), via="team")) == [team_row]


def test_a_path_that_leads_nowhere_is_an_error(world):
    with pytest.raises(ValueError, match="not to an agent or a team"):
        visible_to(Violation.objects.all(), world.user("lead"), via="rule")
    with pytest.raises(ValueError, match="no field 'nope'"):
        visible_to(Violation.objects.all(), world.user("lead"), via="nope")
    from zhiren.discipline.models import Rule

    with pytest.raises(ValueError, match="say via="):  # a site and many teams: no one path to guess
        visible_to(Rule.objects.all(), world.user("lead"))


def test_get_visible_or_404_is_404_when_missing_or_hidden(world):
    lead = world.user("lead")
    assert get_visible_or_404(Agent, lead, world.peer.pk) == world.peer
    assert get_visible_or_404(Agent.objects.select_related("team"), lead, str(world.peer.pk)) == world.peer
    for pk in (world.far.pk, 10**9, "not-a-number", None):
        with pytest.raises(Http404):
            get_visible_or_404(Agent, lead, pk)
    with pytest.raises(Http404):
        get_visible_or_404(Agent, world.user("manager"), world.peer.pk, FieldGroup.SENSITIVE)


def test_get_or_404_catches_malformed_keys(world):
    with pytest.raises(Http404):
        get_or_404(Team.objects.all(), "x")
    assert get_or_404(Team.objects.all(), world.team_a1.pk) == world.team_a1


def test_own_agent(world):
    assert own_agent(world.user("agent")) == world.agent
    assert own_agent(world.user("lead")) is None
    assert own_agent(None) is None
    assert own_agent_or_404(world.user("agent")) == world.agent
    with pytest.raises(Http404):
        own_agent_or_404(world.user("hr"))


def test_coverage_changes_are_seen_on_the_next_request(world):
    user = UserFactory()
    assert not Agent.objects.visible_to(user, (Role.TEAM_LEAD,)).exists()
    grant(user, Role.TEAM_LEAD, teams=[world.team_b1])
    assert seen(Agent.objects.visible_to(user, (Role.TEAM_LEAD,)), world) == {"far"}
    led = agent_user(AgentFactory(team=world.team_b1))
    grant(led, Role.TEAM_LEAD, teams=[world.team_a2])
    assert seen(Agent.objects.visible_to(led, (Role.TEAM_LEAD,)), world) == {"a2_agent"}
