"""Who sees which agents and which field groups: the one policy every view relies on."""

from __future__ import annotations

import pytest
from django.http import Http404

from zhiren.org import selectors
from zhiren.org.access import FieldGroup, load_access
from zhiren.org.models import Role

from ..factories import UserFactory, grant

D, E, P, S = FieldGroup.DIRECTORY, FieldGroup.EMPLOYMENT, FieldGroup.PERSONAL, FieldGroup.SENSITIVE

VISIBLE = {
    "agent": {"agent"},
    "lead": {"agent", "peer"},
    "qa": {"agent", "peer", "a2_agent"},
    "manager": {"agent", "peer", "a2_agent"},
    "trainer": {"agent", "peer", "a2_agent", "far"},
    "hr": {"agent", "peer", "a2_agent", "far"},
    "admin": {"agent", "peer", "a2_agent", "far"},
}

# Field groups each role sees of ``peer`` (team A1, site A).
PEER_GROUPS = {
    "agent": set(),
    "lead": {D, E, P, S},
    "qa": {D, E},
    "trainer": {D, E},
    "manager": {D, E, P},
    "hr": {D, E, P, S},
    "admin": {D, E, P},
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_visible_agents_per_role(world, role):
    names = {
        key: getattr(world, key).pk for key in ("agent", "peer", "a2_agent", "far")
    }
    seen = set(selectors.visible_agents(world.user(role)).values_list("pk", flat=True))
    assert seen == {names[key] for key in VISIBLE[role]}


@pytest.mark.parametrize("role", sorted(PEER_GROUPS))
def test_field_groups_of_a_team_member(world, role):
    assert selectors.agent_field_groups(world.user(role), world.peer) == PEER_GROUPS[role]


def test_agent_sees_every_group_of_own_record(world):
    assert selectors.agent_field_groups(world.user("agent"), world.agent) == set(FieldGroup)


def test_sensitive_fields_stay_with_own_lead_and_hr(world):
    far_lead = UserFactory()
    grant(far_lead, Role.TEAM_LEAD, teams=[world.team_b1])
    assert S not in selectors.agent_field_groups(far_lead, world.peer)
    assert S in selectors.agent_field_groups(far_lead, world.far)
    assert S not in selectors.agent_field_groups(world.user("manager"), world.peer)


def test_visible_fields_name_the_model_fields(world):
    assert "birthday" not in selectors.visible_agent_fields(world.user("qa"), world.peer)
    assert "hire_date" in selectors.visible_agent_fields(world.user("qa"), world.peer)
    assert "birthday" in selectors.visible_agent_fields(world.user("lead"), world.peer)


def test_get_visible_agent_raises_404_outside_scope(world):
    with pytest.raises(Http404):
        selectors.get_visible_agent(world.user("lead"), world.far.pk)
    with pytest.raises(Http404):
        selectors.get_visible_agent(world.user("lead"), "not-a-number")
    assert selectors.get_visible_agent(world.user("lead"), world.peer.pk) == world.peer


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.visible_agents(AnonymousUser()).exists()
    assert not selectors.visible_teams(AnonymousUser()).exists()


def test_teams_visible_per_role(world):
    def codes(role):
        return set(selectors.visible_teams(world.user(role)).values_list("code", flat=True))

    assert codes("lead") == {"a1"}
    assert codes("manager") == {"a1", "a2"}
    assert codes("hr") == {"a1", "a2", "b1"}
    assert codes("agent") == set()


def test_roles_combine(world):
    user = world.user("lead")
    grant(user, Role.QA, site=world.site_b)
    access = load_access(user)
    assert access.has_role(Role.TEAM_LEAD, Role.QA)
    seen = set(selectors.visible_agents(user).values_list("employee_no", flat=True))
    assert seen == {"A1001", "A1002", "B1001"}
    # QA on site B does not grant personal data there; the lead role does on A1.
    assert P not in selectors.agent_field_groups(user, world.far)
    assert P in selectors.agent_field_groups(user, world.peer)


def test_primary_role_picks_the_broadest_home(world):
    assert load_access(world.user("manager")).primary_role == Role.SITE_MANAGER
    assert load_access(world.user("agent")).primary_role == Role.AGENT


def test_site_scope_follows_new_teams(world):
    from ..factories import AgentFactory, TeamFactory

    new_team = TeamFactory(site=world.site_a)
    newcomer = AgentFactory(team=new_team)
    manager = UserFactory()
    grant(manager, Role.SITE_MANAGER, site=world.site_a)
    assert selectors.visible_agents(manager).filter(pk=newcomer.pk).exists()


def test_managed_sites_follow_the_site_runner_roles(world):
    assert list(selectors.managed_sites(world.user("manager"))) == [world.site_a]
    assert set(selectors.managed_sites(world.user("admin"))) == {world.site_a, world.site_b}
    assert not selectors.managed_sites(world.user("lead")).exists()
    assert not selectors.managed_sites(world.user("hr")).exists()
    with pytest.raises(Http404):
        selectors.get_managed_site(world.user("manager"), world.site_b.pk)
