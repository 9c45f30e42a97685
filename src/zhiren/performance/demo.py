"""Demo data: 12 weeks of simulated contacts for the demo centre, targets, goals, an appraisal cycle.

Deterministic (own seed) and idempotent: the demo's contacts, goals and cycle
are replaced on every run.
"""

from __future__ import annotations

import random
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from zhiren.org.models import Agent, AgentStatus, Channel, Position, Team

from . import traffic
from .models import (
    Appraisal,
    AppraisalComponent,
    AppraisalCycle,
    AppraisalStage,
    AppraisalTemplate,
    ComponentKind,
    Goal,
    GoalLevel,
    Interaction,
    KpiTarget,
)
from .rollups import rebuild_all

SEED = 4242
WEEKS = 12
PREFIX = "DEMO-"
QUEUE_NAMES = {
    "hz-presales": "售前咨询", "hz-aftersales": "售后热线", "hz-complaints": "投诉专线", "cd-presales": "售前咨询",
    "cd-aftersales": "售后热线", "cd-online": "在线售后", "cd-email": "邮件工单",
}
TEMPLATE_NAME = "一线客服季度考核"
CYCLE_NAME = "示范季度考核"


def generate(today, teams: list[Team], agents_by_team: dict[int, list[Agent]]):
    rng = random.Random(SEED)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    first = today - timedelta(days=WEEKS * 7 - 1)
    promotion = {today - timedelta(days=n) for n in (24, 25, 26)}  # a 大促 three weeks ago
    queues = []
    for team in teams:
        members = agents_by_team.get(team.pk, [])
        if not members or team.code not in QUEUE_NAMES:
            continue
        profiles = tuple(traffic.agent_profile(rng, a.pk, a.employee_no) for a in members)
        channel = team.main_channel if team.main_channel in traffic.CHANNEL_PROFILE else Channel.VOICE
        queues.append(
            traffic.QueueSpec(QUEUE_NAMES[team.code], channel, profiles, customers=len(members) * 1000, key=team.code)
        )
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        spike = 2.6 if day in promotion else 1.0
        for queue in queues:
            yield from traffic.simulate_day(rng, queue, day, tz, spike=spike)


def _build(record: dict, team_of: dict[int, int], tz) -> Interaction:
    local = record["offered_at"].astimezone(tz)
    return Interaction(
        **{**record, "external_id": PREFIX + record["external_id"]},
        team_id=team_of.get(record["agent_id"]),
        day=local.date(),
        slot=(local.hour * 60 + local.minute) // 15,
    )


@transaction.atomic
def load(context) -> None:
    today = context.today
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    teams = list(Team.objects.order_by("code"))
    agents = list(
        Agent.objects.filter(status=AgentStatus.ACTIVE).exclude(position=Position.QA).order_by("employee_no")
    )
    by_team: dict[int, list[Agent]] = {}
    for agent in agents:
        by_team.setdefault(agent.team_id, []).append(agent)
    team_of = {a.pk: a.team_id for a in agents}
    Interaction.objects.filter(external_id__startswith=PREFIX).delete()
    batch: list[Interaction] = []
    for record in generate(today, teams, by_team):
        batch.append(_build(record, team_of, tz))
        if len(batch) >= 5000:
            Interaction.objects.bulk_create(batch)
            batch = []
    Interaction.objects.bulk_create(batch)
    rebuild_all()
    _targets()
    _goals(context, teams, by_team)
    _appraisal(context, teams, today)


def _targets() -> None:
    for kpi, value in (("csat", 85.0), ("aht", 420.0), ("fcr", 75.0), ("service_level", 80.0)):
        KpiTarget.objects.update_or_create(kpi=kpi, team=None, defaults={"value": value})


def _goals(context, teams, by_team) -> None:
    lead = context.users.get("lead")
    manager = context.users.get("manager")
    if lead is None or manager is None:
        return
    Goal.objects.filter(title__startswith="【示范】").delete()
    today = context.today
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    by_code = {t.code: t for t in teams}
    hz = by_code["hz-aftersales"].site
    site_goal = Goal.objects.create(
        title="【示范】杭州中心本月满意度 88%", level=GoalLevel.SITE, site=hz, kpi="csat", target=88.0,
        start=start, end=end, owner=manager,
        rationale="大促后投诉上升，满意度是本季度客户体验的第一目标。",
    )
    for code, target in (("hz-aftersales", 88.0), ("hz-presales", 90.0), ("hz-complaints", 84.0)):
        if code in by_code:
            Goal.objects.create(
                title=f"【示范】{by_code[code].name}满意度 {target:.0f}%", level=GoalLevel.TEAM, team=by_code[code],
                kpi="csat", target=target, start=start, end=end, owner=lead if code == "hz-aftersales" else manager,
                rationale="分解中心满意度目标：各组按自身业务难度承担。", parent=site_goal,
            )
    team = by_code.get("hz-aftersales")
    members = by_team.get(team.pk, []) if team else []
    demo_agent = context.users.get("agent")
    for agent in members[:4]:
        mine = getattr(demo_agent, "agent", None) if demo_agent else None
        Goal.objects.create(
            title=f"【示范】{agent.name} 平均处理时长 ≤ 6 分钟", level=GoalLevel.AGENT, agent=agent, kpi="aht",
            target=360.0, start=start, end=end, owner=lead,
            rationale="缩短处理时长以缓解高峰排队；辅导中已约定使用知识库快捷话术。"
            if mine is None or mine.pk != agent.pk else "提升效率，向组内标杆看齐。",
        )
    Goal.objects.create(
        title="【示范】售后服务一组首解率 78%", level=GoalLevel.TEAM, team=team, kpi="fcr", target=78.0,
        start=start, end=end, owner=lead, rationale="减少客户重复来电，也减轻一线压力。",
    )


def _appraisal(context, teams, today) -> None:
    template, _created = AppraisalTemplate.objects.get_or_create(
        name=TEMPLATE_NAME, defaults={"description": "KPI 60%、质检 20%、出勤 10%、行为 10%"}
    )
    if not template.components.exists():
        parts = (
            (ComponentKind.KPI, "客户满意度", "csat", 30, [[92, 100], [88, 90], [84, 75], [80, 60]]),
            (ComponentKind.KPI, "平均处理时长", "aht", 15, [[330, 100], [390, 85], [450, 70], [540, 55]]),
            (ComponentKind.KPI, "首次解决率", "fcr", 15, [[85, 100], [78, 85], [70, 70], [60, 55]]),
            (ComponentKind.QA, "质检得分", "", 20, []),
            (ComponentKind.ATTENDANCE, "出勤", "", 10, []),
            (ComponentKind.BEHAVIOUR, "组长行为评价", "", 10, []),
        )
        for order, (kind, label, kpi, weight, bands) in enumerate(parts):
            AppraisalComponent.objects.create(template=template, kind=kind, label=label, kpi=kpi, weight=weight,
                                              bands=bands, order=order)
    AppraisalCycle.objects.filter(name=CYCLE_NAME).delete()
    cycle = AppraisalCycle.objects.create(
        name=CYCLE_NAME, template=template, start=today - timedelta(days=WEEKS * 7 - 1), end=today
    )
    hz_teams = [t for t in teams if t.code.startswith("hz-") and t.code != "hz-qa"]
    agents = Agent.objects.filter(team__in=hz_teams, status=AgentStatus.ACTIVE).order_by("employee_no")
    rng = random.Random(SEED + 1)
    rows = []
    for agent in agents:
        reviewed = rng.random() < 0.5
        rows.append(Appraisal(
            cycle=cycle, agent=agent, team_id=agent.team_id,
            stage=AppraisalStage.SIGN_OFF if reviewed else AppraisalStage.SELF_REVIEW,
            self_review="本季度大促期间坚持完成排班，处理时长有所下降。" if reviewed else "",
            lead_review="沟通耐心，客户评价好；投诉类问题升级前可以更主动求助。" if reviewed else "",
            behaviour_rating=rng.choice((3, 4, 4, 5)) if reviewed else None,
            inputs={"attendance": round(rng.uniform(92, 100), 1)} if rng.random() < 0.8 else {},
        ))
    Appraisal.objects.bulk_create(rows)
