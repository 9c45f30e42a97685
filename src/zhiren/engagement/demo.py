"""Demo data for engagement at the Hangzhou site: a weekly pulse with eight waves of history
(the current one still open, the demo agent not yet answered), a twice-yearly engagement
survey with comments, a team action plan, suggestions at every stage, and the supervision
group (three members, items at every stage, one overdue and escalated).

Planted so that the guard has something to show: the QA team is below the minimum, one
person joins the complaints team's responders in the latest closed pulse (consecutive
waves), and the aftersales team's workload is lowest, with an action plan after which it
rises. Agents of the site get a login (unusable password) so that they can be invited.
Deterministic (own seed) and idempotent: the site's surveys and suggestions are made again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus, Site, Team

from . import services
from .items import TEMPLATES
from .models import (
    ActionItem,
    ActionStatus,
    Comment,
    Invitation,
    Response,
    Suggestion,
    SupervisionItem,
    SupervisionMember,
    Survey,
    Wave,
)

SEED = 20261207
SITE = "hz"
WEEKS = 8
# team code -> (share of agents who answer, mean on workload, mean elsewhere)
PROFILE = {
    "hz-presales": (0.85, 3.6, 3.9),
    "hz-aftersales": (0.8, 2.4, 3.5),
    "hz-complaints": (0.7, 3.0, 3.3),
    "hz-qa": (0.5, 3.8, 4.0),
}
COMMENTS = [
    "高峰期人手太紧，连续接线两小时没喘气。",
    "希望排班能提前两周公布。",
    "组长很照顾人，家里有事好请假。",
    "知识库搜索太慢，客户等不及。",
    "质检扣分标准希望再统一一些。",
    "新人带教做得不错。",
    "夜班补贴能不能提高一点？",
    "工单系统经常卡，影响效率。",
    "希望多一些内部转岗机会。",
    "表扬能再及时一些。",
    "调班规则对老员工更宽松，不太公平。",
    "培训内容很实用。",
]
SUGGESTIONS = [
    # title, body, anonymous, stage, days ago submitted, days to decision, reward
    (
        "知识库加全文搜索",
        "现在只能按标题找，政策更新后经常找不到，建议加全文搜索和更新提醒。",
        False,
        "implemented",
        40,
        3,
        300,
    ),
    (
        "夜班增加茶歇",
        "凌晨两点后精神很差，建议加十分钟茶歇并提供热饮。",
        True,
        "adopted",
        20,
        5,
        200,
    ),
    ("排班提前两周公布", "方便大家安排家里的事，也能减少临时调班。", False, "adopted", 15, 2, 150),
    ("取消每日晨会", "晨会内容和群消息重复。", True, "declined", 18, 6, 0),
    ("投诉组设置冷静角", "处理完激烈投诉后需要几分钟缓一缓。", True, "reviewing", 6, 0, 0),
    ("工单模板增加常用回复", "常见问题每次都要重新打字。", False, "received", 2, 0, 0),
]
DECLINE_REASON = "晨会用于当天政策变更与风险提示，群消息无法确认每人已知晓；改为缩短至十分钟。"


def _logins(site: Site) -> list[Agent]:
    """Every active agent of the site with a login (made with an unusable password when missing)."""
    agents = list(
        Agent.objects.filter(team__site=site, status=AgentStatus.ACTIVE)
        .select_related("team")
        .order_by("team__code", "employee_no")
    )
    for agent in agents:
        if agent.user_id is None:
            user, created = User.objects.get_or_create(
                username=f"{SITE}-{agent.employee_no}".lower(), defaults={"first_name": agent.name}
            )
            if created:
                user.set_unusable_password()
                user.save()
            if not Agent.objects.filter(user=user).exists():
                agent.user = user
                agent.save(update_fields=["user"])
    return [a for a in agents if a.user_id]


def _sheet(
    rng: random.Random, items: list[str], workload: float, other: float, lift: float = 0.0
) -> dict:
    answers = {}
    for key in items:
        centre = (workload + lift) if key.startswith("workload") else other
        answers[key] = max(1, min(5, round(rng.gauss(centre, 0.8))))
    return answers


def _answer(invitation: Invitation, answers: dict, enps: int | None, comment: str = "") -> None:
    """What ``services.submit_answer`` stores, for waves already closed in the demo's past."""
    groups = {
        "wave": invitation.wave,
        "team_id": invitation.team_id,
        "tenure_band": invitation.tenure_band,
        "channel": invitation.channel,
    }
    Response.objects.create(answers=answers, enps=enps, **groups)
    if comment:
        Comment.objects.create(text=comment, **groups)
    Invitation.objects.filter(pk=invitation.pk).update(responded=True)


@transaction.atomic
def load(context) -> None:
    site = Site.objects.filter(code=SITE).first()
    manager = context.users.get("manager") or User.objects.filter(username="manager").first()
    lead = context.users.get("lead") or User.objects.filter(username="lead").first()
    if site is None or manager is None:
        return
    rng = random.Random(SEED)
    today = context.today
    Survey.objects.filter(site=site).delete()
    Suggestion.objects.filter(site=site).delete()
    agents = _logins(site)
    demo_agent_user = context.users.get("agent")
    by_team: dict[str, list[Agent]] = {}
    for agent in agents:
        by_team.setdefault(agent.team.code, []).append(agent)
    responders = {
        code: set(
            rng.sample(
                [a.user_id for a in team],
                max(1, round(len(team) * PROFILE.get(code, (0.7, 3.2, 3.5))[0])),
            )
        )
        for code, team in by_team.items()
    }
    if demo_agent_user is not None:
        for users in responders.values():
            users.discard(demo_agent_user.pk)  # the demo agent answers the open wave themself

    pulse = services.create_survey(site, "pulse", "每周脉搏", user=manager)
    monday = today - dt.timedelta(days=today.weekday())
    complaints = by_team.get("hz-complaints", [])
    joiner = next(
        (a.user_id for a in complaints if a.user_id not in responders.get("hz-complaints", set())),
        None,
    )
    action_week = 4
    for week in range(WEEKS):
        opens = monday - dt.timedelta(weeks=WEEKS - 1 - week)
        wave = services.launch(
            pulse, user=manager, opens_on=opens, closes_on=opens + dt.timedelta(days=6)
        )
        Wave.objects.filter(pk=wave.pk).update(
            launched_at=timezone.make_aware(dt.datetime.combine(opens, dt.time(9)))
        )
        invitations = {i.user_id: i for i in Invitation.objects.filter(wave=wave)}
        for code, users in responders.items():
            _share, workload, other = PROFILE.get(code, (0.7, 3.2, 3.5))
            lift = 0.8 if code == "hz-aftersales" and week > action_week else 0.0
            answering = set(users)
            if code == "hz-complaints" and week == WEEKS - 2 and joiner is not None:
                answering.add(joiner)  # one more responder than last week: the guard hides the team
            if week == WEEKS - 1:
                answering = set(
                    sorted(answering)[: len(answering) * 2 // 3]
                )  # the open wave: in progress
            for user_id in sorted(answering):
                if user_id in invitations:
                    _answer(
                        invitations[user_id],
                        _sheet(rng, wave.items, workload, other, lift),
                        rng.choice([6, 7, 8, 8, 9, 9, 10]),
                    )
        if week == action_week:
            team = Team.objects.filter(code="hz-aftersales").first()
            if team is not None:
                ActionItem.objects.create(
                    wave=wave,
                    team=team,
                    factor="workload",
                    title="高峰时段增加弹性班，保证每两小时休息十分钟",
                    owner=lead or manager,
                    due_on=opens + dt.timedelta(days=21),
                    status=ActionStatus.DONE,
                    created_by=lead or manager,
                )
                ActionItem.objects.create(
                    wave=wave,
                    team=team,
                    factor="recognition",
                    title="每周班会点名表扬三位同事",
                    owner=lead or manager,
                    due_on=today + dt.timedelta(days=10),
                    status=ActionStatus.DOING,
                    created_by=lead or manager,
                )

    engagement = services.create_survey(site, "engagement", "2026 年度敬业度调查", user=manager)
    opens = today - dt.timedelta(days=60)
    wave = services.launch(
        engagement, user=manager, opens_on=opens, closes_on=opens + dt.timedelta(days=13)
    )
    comments = itertools.cycle(COMMENTS)
    for invitation in Invitation.objects.filter(wave=wave).order_by("user_id"):
        if rng.random() > 0.85 or (
            demo_agent_user is not None and invitation.user_id == demo_agent_user.pk
        ):
            continue
        code = next(
            (
                c
                for c, team in by_team.items()
                if any(a.user_id == invitation.user_id for a in team)
            ),
            "",
        )
        _share, workload, other = PROFILE.get(code, (0.7, 3.2, 3.5))
        _answer(
            invitation,
            _sheet(rng, list(TEMPLATES["engagement"]), workload, other),
            rng.randint(4, 10),
            next(comments) if rng.random() < 0.7 else "",
        )
    services.create_survey(site, "onboarding", "入职 30 天回访", user=manager)
    services.create_survey(site, "exit", "离职面谈问卷", user=manager)
    _suggestions(site, demo_agent_user, manager, timezone.now())
    _supervision(site, agents, demo_agent_user, manager, today)
    _team_life(site, manager, today)
    _offboarding(site, lead or manager, today)


def _team_life(site: Site, manager, today: dt.date) -> None:
    """Three events to sign up for, this month's swaps, last month's competition published."""
    from .models import Competition, RoleSwap, TeamEvent
    from .teamlife import services as life

    TeamEvent.objects.filter(site=site).delete()
    RoleSwap.objects.filter(site=site).delete()
    Competition.objects.filter(site=site).delete()
    evening = timezone.make_aware(dt.datetime.combine(today, dt.time(19)))
    aftersales = Team.objects.filter(code="hz-aftersales").first()
    for days, kind, title, team, place, places in (
        (3, "gathering", "月度 AA 聚餐：火锅", aftersales, "公司楼下火锅店", 12),
        (5, "interest", "羽毛球小组", None, "体育馆 3 号场", 8),
        (16, "family", "家庭开放日：带家人参观工作区", None, "三楼大厅", None),
    ):
        life.create_event(
            site, team, user=manager, kind=kind, title=title,
            starts_at=evening + dt.timedelta(days=days), place=place, capacity=places,
        )
    life.plan_month(site, today, user=manager)
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    competition = life.create_competition(
        site, user=manager, title="月度满意度竞赛", metric="csat",
        start=last_month_end.replace(day=1), end=last_month_end, min_volume=30,
    )
    life.publish(competition, user=manager)


def _offboarding(site: Site, lead, today: dt.date) -> None:
    """One agent leaving in ten days: the conversation held, reasons coded, half the handover."""
    from .models import Offboarding
    from .parting import services as parting

    Offboarding.objects.filter(agent__team__site=site).delete()
    agent = (
        Agent.objects.filter(team__code="hz-aftersales", status=AgentStatus.ACTIVE)
        .exclude(user__username="agent")
        .order_by("-employee_no")
        .first()
    )
    if agent is None:
        return
    item = parting.start(agent, today + dt.timedelta(days=10), user=lead)
    parting.record_conversation(
        item, user=lead, held_on=today, main_reason="schedule", other_reasons=["growth"],
        notes="夜班连续太多，家里孩子上小学需要接送；希望以后有白班岗位可以回来。",
    )
    for key in ("tickets", "knowledge", "customers"):
        parting.tick(item, key, True, user=lead)
    parting.set_alumni(item, user=lead, consent=True, rehire="yes", note="")


ITEMS = [
    # title, source, status, raised days ago, due in days (negative: past), done days ago
    ("夜班区域空调太冷", "floor", "done", 30, -20, 22),
    ("排班提前两周公布（建议已采纳）", "suggestion", "accepted", 14, 7, None),
    ("质检扣分标准不统一", "survey", "accepted", 25, -4, None),  # overdue: escalated to the manager
    ("休息室微波炉不够用", "floor", "raised", 3, None, None),
    ("希望增加停车位", "floor", "dropped", 20, None, None),
]


def _suggestions(site: Site, author, manager, now) -> None:
    agent = (
        Agent.objects.filter(user=author).select_related("team").first()
        if author is not None
        else None
    )
    for title, body, anonymous, stage, days_ago, to_decide, reward in SUGGESTIONS:
        named = not anonymous and agent is not None
        item = Suggestion.objects.create(
            site=site,
            anonymous=not named,
            title=title,
            body=body,
            author=author if named else None,
            team=agent.team if named else None,
            submitted_at=now - dt.timedelta(days=days_ago),
        )
        if stage == "received":
            continue
        item.status = "reviewing"
        if stage != "reviewing":
            item.decided_at = item.submitted_at + dt.timedelta(days=to_decide)
            item.decided_by = manager
            item.status = "declined" if stage == "declined" else "adopted"
            item.reason = DECLINE_REASON if stage == "declined" else ""
            item.reward_points = reward
        if stage == "implemented":
            item.status = "implemented"
            item.implemented_at = item.decided_at + dt.timedelta(days=10)
        item.save()


def _supervision(site: Site, agents: list[Agent], agent_user, manager, today: dt.date) -> None:
    SupervisionMember.objects.filter(site=site).delete()
    SupervisionItem.objects.filter(site=site).delete()
    seated = [
        a.user_id
        for a in agents
        if a.user_id and (agent_user is None or a.user_id != agent_user.pk)
    ][:2]
    if agent_user is not None:
        seated.insert(0, agent_user.pk)
    for n, user_id in enumerate(seated):
        SupervisionMember.objects.create(
            site=site,
            user_id=user_id,
            basis="elected" if n < 2 else "appointed",
            term_start=today - dt.timedelta(days=60),
            term_end=today + dt.timedelta(days=305),
        )
    adopted = Suggestion.objects.filter(site=site, title="排班提前两周公布").first()
    for title, source, status, ago, due, done in ITEMS:
        SupervisionItem.objects.create(
            site=site,
            title=title,
            source=source,
            status=status,
            suggestion=adopted if source == "suggestion" else None,
            owner=manager if status in ("accepted", "done") else None,
            due_on=today + dt.timedelta(days=due) if due is not None else None,
            reason="停车位由园区统一管理，已转交园区物业。" if status == "dropped" else "",
            raised_by_id=seated[0] if seated else None,
            raised_on=today - dt.timedelta(days=ago),
            done_on=today - dt.timedelta(days=done) if done is not None else None,
        )
