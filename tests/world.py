"""A small centre with one user per role, shared by access, matrix and API tests.

Site A has teams A1 and A2, site B has team B1. ``lead`` leads A1, ``manager``
runs site A, ``qa`` inspects site A, ``trainer`` and ``hr`` cover everything.
``agent`` is on A1; ``peer`` is another agent on A1; ``far`` is on B1.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhiren.org.models import Agent, Role, Site, Team

from .factories import AgentFactory, SiteFactory, TeamFactory, UserFactory, agent_user, grant

ROLES = ("anonymous", "agent", "lead", "qa", "trainer", "hr", "manager", "admin")


@dataclass
class World:
    site_a: Site
    site_b: Site
    team_a1: Team
    team_a2: Team
    team_b1: Team
    agent: Agent
    peer: Agent
    a2_agent: Agent
    far: Agent
    users: dict

    def user(self, role: str):
        return self.users.get(role)


def build_world() -> World:
    site_a = SiteFactory(code="site-a", name="站点A")
    site_b = SiteFactory(code="site-b", name="站点B", center=site_a.center)
    team_a1 = TeamFactory(site=site_a, code="a1", name="售后一组")
    team_a2 = TeamFactory(site=site_a, code="a2", name="售前一组")
    team_b1 = TeamFactory(site=site_b, code="b1", name="投诉组")
    agent = AgentFactory(team=team_a1, name="张三", employee_no="A1001")
    peer = AgentFactory(team=team_a1, name="李四", employee_no="A1002")
    a2_agent = AgentFactory(team=team_a2, name="王五", employee_no="A2001")
    far = AgentFactory(team=team_b1, name="赵六", employee_no="B1001")
    users = {"anonymous": None, "agent": agent_user(agent, username="agent")}
    specs = {
        "lead": (Role.TEAM_LEAD, {"teams": [team_a1]}),
        "qa": (Role.QA, {"site": site_a}),
        "trainer": (Role.TRAINER, {}),
        "hr": (Role.HR, {}),
        "manager": (Role.SITE_MANAGER, {"site": site_a}),
        "admin": (Role.ADMIN, {}),
    }
    for name, (role, kwargs) in specs.items():
        user = UserFactory(username=name)
        grant(user, role, **kwargs)
        users[name] = user
    return World(site_a, site_b, team_a1, team_a2, team_b1, agent, peer, a2_agent, far, users)
