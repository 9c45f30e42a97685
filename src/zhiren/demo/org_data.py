"""The demo centre's organisation: 2 sites, 8 teams, ~100 agents, the demo logins."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from zhiren.core.registries import DemoContext
from zhiren.org.models import (
    Agent,
    AgentStatus,
    Center,
    Channel,
    Position,
    Role,
    RoleAssignment,
    Scope,
    Site,
    Team,
)

from .names import person_names

DEMO_PASSWORD = "zhiren-demo"  # noqa: S105 - documented demo credential, refused outside demo mode

SITES = (
    ("hz", "杭州滨江中心", "杭州"),
    ("cd", "成都高新中心", "成都"),
)
# code, name, site, main channel, position of most agents, head count
TEAMS = (
    ("hz-presales", "售前咨询一组", "hz", Channel.CHAT, Position.PRESALES, 14),
    ("hz-aftersales", "售后服务一组", "hz", Channel.VOICE, Position.AFTERSALES, 16),
    ("hz-complaints", "投诉处理组", "hz", Channel.VOICE, Position.COMPLAINTS, 10),
    ("hz-qa", "质检组", "hz", Channel.TICKET, Position.QA, 6),
    ("cd-presales", "售前咨询二组", "cd", Channel.CHAT, Position.PRESALES, 15),
    ("cd-aftersales", "售后服务二组", "cd", Channel.VOICE, Position.AFTERSALES, 18),
    ("cd-online", "在线客服组", "cd", Channel.CHAT, Position.AFTERSALES, 14),
    ("cd-email", "邮件工单组", "cd", Channel.EMAIL, Position.AFTERSALES, 8),
)
LEAD_TEAM = "hz-aftersales"

# login, first name, last name, role, scope, teams or site
DEMO_USERS = (
    ("admin", "管理员", "", Role.ADMIN, Scope.ALL, None),
    ("manager", "建国", "周", Role.SITE_MANAGER, Scope.SITE, "hz"),
    ("lead", "丽华", "陈", Role.TEAM_LEAD, Scope.TEAMS, (LEAD_TEAM,)),
    ("qa", "敏", "吴", Role.QA, Scope.SITE, "hz"),
    ("trainer", "静", "孙", Role.TRAINER, Scope.ALL, None),
    ("hr", "芳", "郑", Role.HR, Scope.ALL, None),
)

SKILLS_BY_CHANNEL = {
    Channel.VOICE: ["voice"],
    Channel.CHAT: ["chat"],
    Channel.EMAIL: ["email", "ticket"],
    Channel.TICKET: ["ticket", "voice", "chat"],
}


def _upsert_user(username: str, first: str, last: str, *, staff: bool = False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.first_name, user.last_name = first, last
    user.is_staff = user.is_superuser = staff
    user.save()
    return user


@transaction.atomic
def load(context: DemoContext) -> None:
    rng = context.rng
    today = context.today
    center, _ = Center.objects.get_or_create(pk=1, defaults={"name": "知人示范客服中心"})
    sites = {}
    for code, name, city in SITES:
        sites[code], _ = Site.objects.update_or_create(
            code=code, defaults={"name": name, "city": city, "center": center}
        )
    teams = {}
    for code, name, site, channel, _position, _size in TEAMS:
        teams[code], _ = Team.objects.update_or_create(
            code=code, defaults={"name": name, "site": sites[site], "main_channel": channel}
        )

    total = sum(t[5] for t in TEAMS)
    names = person_names(total, seed=20240601)
    index = 0
    for code, _name, _site, channel, position, size in TEAMS:
        for i in range(size):
            employee_no = f"{code.split('-')[0].upper()}{1000 + index}"
            hired = today - timedelta(days=rng.randint(20, 6 * 365))
            born = date(rng.randint(1985, 2003), rng.randint(1, 12), rng.randint(1, 28))
            status = AgentStatus.ACTIVE
            roll = rng.random()
            if roll < 0.05:
                status = AgentStatus.ON_LEAVE
            elif roll < 0.08:
                status = AgentStatus.LEFT
            skills = list(SKILLS_BY_CHANNEL[channel])
            if channel == Channel.VOICE and rng.random() < 0.4:
                skills.append("chat")
            agent_position = position
            if i == 0 and position not in (Position.QA,):
                agent_position = Position.LEAD_RESERVE
            Agent.objects.update_or_create(
                employee_no=employee_no,
                defaults={
                    "name": names[index],
                    "team": teams[code],
                    "position": agent_position,
                    "channel_skills": skills,
                    "hire_date": hired,
                    "birthday": born,
                    "status": status,
                },
            )
            index += 1

    for username, first, last, role, scope, target in DEMO_USERS:
        user = _upsert_user(username, first, last, staff=role == Role.ADMIN)
        RoleAssignment.objects.filter(user=user).delete()
        assignment = RoleAssignment.objects.create(
            user=user, role=role, scope=scope, site=sites[target] if scope == Scope.SITE else None
        )
        if scope == Scope.TEAMS:
            assignment.teams.set([teams[code] for code in target])
        context.users[username] = user

    # The demo agent: an active member of the lead's team, with a login.
    agent_user = _upsert_user("agent", "", "")
    Agent.objects.filter(user=agent_user).update(user=None)
    agent = (
        Agent.objects.filter(team=teams[LEAD_TEAM], status=AgentStatus.ACTIVE)
        .exclude(position=Position.LEAD_RESERVE)
        .order_by("employee_no")
        .first()
    )
    agent.user = agent_user
    agent.save(update_fields=["user"])
    surname, given = agent.name[0], agent.name[1:]
    agent_user.first_name, agent_user.last_name = given, surname
    agent_user.save(update_fields=["first_name", "last_name"])
    RoleAssignment.objects.filter(user=agent_user).delete()
    RoleAssignment.objects.create(user=agent_user, role=Role.AGENT, scope=Scope.OWN)
    context.users["agent"] = agent_user
