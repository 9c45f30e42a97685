"""Demo data for the lead's workspace: the demo lead's teams get yesterday's huddle (held, with
attendance and one follow-up left open), today's and tomorrow's generated agendas (the open
follow-up carried over), and a few own tasks on the board.

Idempotent: the demo lead's huddles, tasks and card decisions are removed and made again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus, Role, Team

from . import services
from .models import CardState, Huddle, Task


def _start(team: Team, day) -> datetime:
    starts = services.huddle_starts(team.pk, day)
    if starts:
        return starts[0]
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def load(context) -> None:
    lead = context.users.get("lead") or get_user_model().objects.filter(username="lead").first()
    if lead is None:
        return
    teams = list(
        Team.objects.filter(
            role_assignments__user=lead, role_assignments__role=Role.TEAM_LEAD
        ).distinct()
    )
    if not teams:
        return
    today = context.today
    with transaction.atomic():
        Huddle.objects.filter(team__in=teams).delete()
        Task.objects.filter(owner=lead).delete()
        CardState.objects.filter(owner=lead).delete()
        for team in teams:
            held = services.plan_huddle(team, _start(team, today - timedelta(days=1)))
            services.start(held, actor=lead, now=held.shift_start - timedelta(minutes=15))
            agents = list(
                Agent.objects.filter(team=team, status=AgentStatus.ACTIVE).order_by("employee_no")
            )
            services.record_attendance(held, {a.pk for a in agents[1:]}, actor=lead)
            services.add_point(
                held, actor=lead, text="跟进工单系统查询慢的问题（已报 IT）", follow_up=True
            )
            done = services.add_point(held, actor=lead, text="提醒大家本周五前完成产品知识测试")
            services.update_point(done, "resolve", actor=lead)
            services.finish(
                held, actor=lead, notes="气氛不错；两位同学提出系统卡顿。", now=held.shift_start
            )
            for day in (today, today + timedelta(days=1)):
                services.plan_huddle(team, _start(team, day))
        services.add_task(
            lead,
            title="准备月度汇报（KPI、质检、出勤）",
            due=today + timedelta(days=3),
            important="kpi",
        )
        services.add_task(lead, title="与新人导师对一次带教进度", due=None, important="person")
        services.add_task(lead, title="整理共享盘里的旧话术", due=None, important="")
