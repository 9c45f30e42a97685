"""Demo data for discipline: the Hangzhou site's teams over the last three weeks.

An enforced attendance rule with a ladder ("first one free per month"), a conduct
rule announced three days ago (in its grace period, so it shows as the one new
rule at a time), punches for the last weeks judged against the published schedule
(workforce's demo schedule where it covers the day, 09:00–18:00 on the demo
rota's days before that, weekends included), a few habitual latecomers, an absence, a forgotten
clock-out, responses by the lead, an exception with its reason, a pending punch
correction and one violation left unanswered past its due date — the broken
window the consistency report is for. Deterministic (own seed) and idempotent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhiren.demo import rotation
from zhiren.org.models import Agent, AgentStatus, Site, Team

from . import services
from .attendance import Shift
from .models import (
    AttendanceDay,
    AttendancePolicy,
    ClockCorrection,
    ClockEvent,
    Exemption,
    PunchSource,
    Rule,
    Violation,
)

SITE = "hz"
LEAD_TEAM = "hz-aftersales"
SEED = 20250308
DAYS = 21
ATTENDANCE_RULE = "准时上下班"
GRACE_RULE = "未经批准不得居家办公"
CONDUCT_RULE = "按标准流程核实订单"


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _shifts(agents: list[Agent], start: date, end: date) -> list[Shift]:
    """The published schedule where it exists; before it, 09:00–18:00 on the demo rota's days."""
    published = services.scheduled_shifts([a.pk for a in agents], start, end)
    covered_from = min((s.day for s in published), default=end + timedelta(days=1))
    shifts = [s for s in published if s.day <= end]
    rest = rotation.rest_days(agents)
    day = start
    while day < covered_from and day <= end:
        shifts.extend(Shift(a.pk, day, _local(day, 9), _local(day, 18)) for a in agents
                      if rotation.works(rest[a.pk], day))
        day += timedelta(days=1)
    return shifts


def _two_absences(shifts: list[Shift], agent_id: int) -> set[tuple[int, date]]:
    """The agent's last two shifts in the latest month holding two: the second absence of a
    month is never the free one, so the lead always has an absence to excuse."""
    by_month: dict[tuple[int, int], list[date]] = {}
    for s in shifts:
        if s.agent_id == agent_id:
            by_month.setdefault((s.day.year, s.day.month), []).append(s.day)
    days = next((sorted(d)[-2:] for _, d in sorted(by_month.items(), reverse=True) if len(d) >= 2), [])
    return {(agent_id, day) for day in days}


def _punches(rng: random.Random, shifts: list[Shift], habitual: set[int], absent: set, forgot: tuple):
    rows = []
    for s in shifts:
        key = (s.agent_id, s.day)
        if key in absent:
            continue
        late_odds = 0.2 if s.agent_id in habitual else 0.02
        arrive = rng.randint(6, 28) if rng.random() < late_odds else -rng.randint(1, 12)
        rows.append((s.agent_id, s.start + timedelta(minutes=arrive, seconds=rng.randint(0, 59)), "in"))
        if key == forgot:
            continue
        roll = rng.random()
        leave = rng.randint(30, 70) if roll < 0.08 else (-rng.randint(10, 40) if roll > 0.99 else rng.randint(0, 12))
        rows.append((s.agent_id, s.end + timedelta(minutes=leave, seconds=rng.randint(0, 59)), "out"))
    return rows


def load(context) -> None:
    site = Site.objects.filter(code=SITE).first()
    if site is None:
        return
    rng = random.Random(SEED)
    today = context.today
    end = today - timedelta(days=1)
    start = today - timedelta(days=DAYS)
    users = context.users
    lead = users.get("lead") or get_user_model().objects.filter(username="lead").first()
    manager = users.get("manager") or get_user_model().objects.filter(username="manager").first()
    teams = list(Team.objects.filter(site=site).order_by("code"))
    agents = list(Agent.objects.filter(team__in=teams, status=AgentStatus.ACTIVE).select_related("user")
                  .order_by("team__code", "employee_no"))
    if not agents or lead is None or manager is None:
        return
    lead_team = next((t for t in teams if t.code == LEAD_TEAM), teams[0])
    with transaction.atomic():
        ids = [a.pk for a in agents]
        Exemption.objects.filter(violation__agent_id__in=ids).delete()
        Violation.objects.filter(agent_id__in=ids).delete()
        AttendanceDay.objects.filter(agent_id__in=ids).delete()
        ClockCorrection.objects.filter(agent_id__in=ids).delete()
        ClockEvent.objects.filter(agent_id__in=ids).delete()
        Rule.objects.filter(site=site, title__in=[ATTENDANCE_RULE, GRACE_RULE, CONDUCT_RULE]).delete()
        AttendancePolicy.objects.update_or_create(site=site, defaults={"late_grace": 5, "early_grace": 5,
                                                                       "response_due_days": 3})

        Rule.objects.create(
            title=ATTENDANCE_RULE, site=site, category="attendance", kinds=["late", "early_leave", "absence"],
            text="按排班时间准时上岗、按时下班：迟到、早退、缺勤都计入。每月第一次不计，之后依次为提醒、面谈、书面警告，再犯上报现场经理。",
            ladder=["reminder", "talk", "written_warning", "escalation"], free_per_window=1,
            announced_on=today - timedelta(days=75), grace_days=7, created_by=manager, announced_by=manager,
            announcement="从下月起按排班考勤，给大家一周缓冲期调整作息。",
        )
        conduct_rule = Rule.objects.create(
            title=CONDUCT_RULE, site=site, category="conduct",
            text="承诺退款、换货前先核实订单号和金额，不确定时先问组长。",
            ladder=["reminder", "talk", "written_warning"], announced_on=today - timedelta(days=45), grace_days=7,
            created_by=lead, announced_by=lead,
        )
        conduct_rule.teams.set([lead_team])
        grace_rule = Rule.objects.create(
            title=GRACE_RULE, site=site, category="conduct",
            text="居家办公须提前一天向组长申请并获批准；未经批准居家办公按缺勤处理。",
            ladder=["talk", "written_warning", "escalation"], announced_on=today - timedelta(days=3), grace_days=7,
            created_by=lead, announced_by=lead, announcement="下周一起执行，这一周内只提醒不处理。",
        )
        grace_rule.teams.set([lead_team])

        shifts = _shifts(agents, start, end)
        team_agents = [a for a in agents if a.team_id == lead_team.pk]
        habitual = {team_agents[1].pk, team_agents[4].pk} if len(team_agents) > 4 else set()
        habitual |= {a.pk for a in agents[::13]}
        absent = _two_absences(shifts, team_agents[2].pk)
        demo_agent = next((a for a in team_agents if a.user_id and a.user.get_username() == "agent"), team_agents[3])
        forgot = next(((s.agent_id, s.day) for s in shifts if s.agent_id == demo_agent.pk
                       and s.day >= end - timedelta(days=6)), None)
        services.record_punches(_punches(rng, shifts, habitual, absent, forgot), source=PunchSource.API,
                                device="前台考勤机")
        services.evaluate_attendance(start, end, ids, shifts=shifts)

        # Violations are noticed at the end of their day; most are answered within a day or two.
        now = timezone.now()
        violations = list(Violation.objects.filter(agent_id__in=ids).select_related("agent").order_by("day", "pk"))
        for v in violations:
            v.recorded_at = _local(v.day, 19)
        Violation.objects.bulk_update(violations, ["recorded_at"])
        manual = [
            (team_agents[0], end - timedelta(days=12), "两通电话未核实订单号就承诺退款，其中一单金额有误。"),
            (team_agents[0], end - timedelta(days=4), "再次未核实订单金额就答复客户。"),
            (team_agents[5 % len(team_agents)], end - timedelta(days=1), "换货前未核实收货地址。"),
        ]
        for agent, day, note in manual:
            v = services.record_violation(lead, agent=agent, rule=conduct_rule, day=day, note=note)
            Violation.objects.filter(pk=v.pk).update(recorded_at=_local(day, 16))
        services.record_violation(lead, agent=team_agents[1], rule=grace_rule, day=today - timedelta(days=1),
                                  note="未申请就在家登录接线。")

        open_ones = [v for v in Violation.objects.filter(agent_id__in=ids).select_related("agent", "rule")
                     .order_by("day", "pk") if v.is_open]
        broken = next((v for v in reversed(open_ones)
                       if v.agent.team_id == lead_team.pk and now - v.recorded_at > timedelta(days=4)), None)
        excused = next((v for v in open_ones if v.agent.team_id == lead_team.pk and v.kind == "absence"
                        and v is not broken), None)
        for v in open_ones:
            if v is broken or v is excused or now - v.recorded_at < timedelta(days=2):
                continue
            responder = lead if v.agent.team_id == lead_team.pk else manager
            if responder is manager and rng.random() < 0.25:
                continue  # another broken window, in a team without its own lead login
            when = v.recorded_at + timedelta(hours=rng.choice([1, 3, 14, 18, 26, 40]))
            if when >= now:
                continue
            note = {"warning": "晨会上提醒了新规定。", "reminder": "私下提醒，约定下次提前十分钟到。",
                    "talk": "一对一面谈，了解到最近搬家通勤变远，约定调整出门时间。",
                    "written_warning": "已发书面警告并签收。", "escalation": "已上报现场经理。"}.get(v.consequence, "已处理。")
            Violation.objects.filter(pk=v.pk).update(responded_at=when, responded_by=responder,
                                                     response_note=note)
        if excused is not None:
            exemption = services.grant_exception(lead, excused, reason="孩子突发高烧送医，当天早上电话请假未来得及补假条，已补交病历。")
            granted = excused.recorded_at + timedelta(hours=15)
            Exemption.objects.filter(pk=exemption.pk).update(granted_at=granted)
            Violation.objects.filter(pk=excused.pk).update(responded_at=granted)

        if forgot is not None:
            ClockCorrection.objects.create(
                agent_id=forgot[0], action="add", at=_local(forgot[1], 18, 3), kind="out",
                reason="下班时考勤机排队，忘记打卡，18:03离开，有工单系统记录。",
                requested_by=next((a.user for a in agents if a.pk == forgot[0] and a.user_id), None) or lead,
            )
