"""Factories for the organisation, shared by every app's tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from zhiren.org.models import Agent, Center, Role, RoleAssignment, Scope, Site, Team


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = "测试中心"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    center = factory.SubFactory(CenterFactory)
    code = factory.Sequence(lambda n: f"site{n}")
    name = factory.Sequence(lambda n: f"站点{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"team{n}")
    name = factory.Sequence(lambda n: f"班组{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-secret-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"坐席{n}")
    team = factory.SubFactory(TeamFactory)
    channel_skills = factory.LazyFunction(lambda: ["voice"])
    hire_date = dt.date(2023, 3, 1)
    birthday = dt.date(1998, 6, 15)


def grant(user, role: str, scope: str | None = None, *, teams=(), site=None) -> RoleAssignment:
    """Give ``user`` a role. The scope defaults to what the arguments imply."""
    if scope is None:
        if role == Role.AGENT:
            scope = Scope.OWN
        elif teams:
            scope = Scope.TEAMS
        elif site is not None:
            scope = Scope.SITE
        else:
            scope = Scope.ALL
    assignment = RoleAssignment.objects.create(user=user, role=role, scope=scope, site=site)
    if teams:
        assignment.teams.set(teams)
    if hasattr(user, "_zhiren_access"):
        del user._zhiren_access
    return assignment


def agent_user(agent: Agent, **kwargs):
    """A login for ``agent`` holding the agent role."""
    user = UserFactory(**kwargs)
    agent.user = user
    agent.save(update_fields=["user"])
    grant(user, Role.AGENT)
    return user
