"""Demo data for the people module: profiles, consented life stages, talks, ledgers.

Everything belongs to the demo lead (``context.users["lead"]``) and the agents of
team ``hz-aftersales``. Idempotent: profiles are upserted, ledger entries carry a
stable ``source_ref``, talks are created only when the lead has none yet.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus

from .models import (
    AgentProfile,
    CareerAspiration,
    ConsentAction,
    ConsentEvent,
    EntryKind,
    FollowUp,
    HomeSituation,
    ImportantDate,
    JobFit,
    LifeStage,
    MaritalStatus,
    Motivator,
    Talk,
    TalkParticipant,
    TalkPrompt,
    TalkSetting,
)
from .services import record_entry

TEAM = "hz-aftersales"
LIKES = ["奶茶、猫", "羽毛球、周末爬山", "追剧、烘焙", "摄影、旅行", "篮球、游戏", "读书、咖啡", "K歌、火锅"]
GIFTS = ["喜茶兑换券", "猫咪周边", "运动护腕", "烘焙模具", "相机背带", "手冲咖啡豆", "蓝牙耳机套"]
PERSONALITY = [
    "稳重耐心，遇到投诉不急躁；不太主动表达想法。",
    "外向活泼，爱钻研话术；需要及时肯定。",
    "细心严谨，注重规则，适合带新人核对流程。",
    "慢热，熟悉后很可靠；压力大时会沉默。",
]
FAMILY = ["和父母同住，周末常回老家。", "刚结婚，计划明年买房。", "一个人在杭州，家人在外地。"]


@transaction.atomic
def load(context) -> None:
    lead = context.users.get("lead")
    if lead is None:
        return
    rng = context.rng
    today = context.today
    agents = list(
        Agent.objects.filter(team__code=TEAM).exclude(status=AgentStatus.LEFT).order_by("employee_no")
    )
    if not agents:
        return
    motivators = list(Motivator.values)
    for i, agent in enumerate(agents):
        ranked = motivators[:]
        rng.shuffle(ranked)
        AgentProfile.objects.update_or_create(
            agent=agent,
            defaults={
                "career_aspiration": rng.choice(CareerAspiration.values),
                "job_fit": rng.choice(JobFit.values),
                "motivators": ranked[: rng.randint(3, 5)],
                "likes": LIKES[i % len(LIKES)],
                "gift_ideas": GIFTS[i % len(GIFTS)],
                "personality_notes": PERSONALITY[i % len(PERSONALITY)],
            },
        )
        if i % 3 == 0:  # a third of the team shared their life stage, with consent
            stage, created = LifeStage.objects.update_or_create(
                agent=agent,
                defaults={
                    "marital_status": rng.choice(MaritalStatus.values),
                    "has_dependents": rng.random() < 0.4,
                    "home": rng.choice(HomeSituation.values),
                    "family_situation": FAMILY[i % len(FAMILY)],
                    "consent_given_at": timezone.now(),
                },
            )
            if not ConsentEvent.objects.filter(agent=agent).exists():
                ConsentEvent.objects.create(agent=agent, action=ConsentAction.GIVEN, actor=agent.user)
    # An important date and a birthday this week, so reminders show on the first run.
    ImportantDate.objects.get_or_create(
        agent=agents[1 % len(agents)], label="入职转正纪念", defaults={"date": today + dt.timedelta(days=3)}
    )
    birthday_agent = agents[2 % len(agents)]
    if birthday_agent.birthday:
        born = birthday_agent.birthday
        soon = today + dt.timedelta(days=2)
        birthday_agent.birthday = dt.date(born.year, soon.month, min(soon.day, 28))
        birthday_agent.save(update_fields=["birthday"])

    active = [a for a in agents if a.status == AgentStatus.ACTIVE]
    if not Talk.objects.filter(lead=lead).exists():
        # Recent talks with the first half; the rest are left overdue.
        half = active[: len(active) // 2]
        for n, start in enumerate(range(0, len(half), 3)):
            group = half[start : start + 3]
            talk = Talk.objects.create(
                lead=lead, team=group[0].team, held_on=today - dt.timedelta(days=10 + 9 * n),
                setting=[TalkSetting.MEAL, TalkSetting.TEA, TalkSetting.WALK][n % 3],
                prompts_used=[TalkPrompt.PROUDEST, TalkPrompt.RECENT_JOYS, TalkPrompt.WHAT_NEXT],
                summary="一起吃了午饭，聊了最近大促的辛苦和下半年的想法。",
            )
            TalkParticipant.objects.bulk_create(
                [TalkParticipant(talk=talk, agent=a, private_note=f"{a.name}：想多接触质检，最近睡眠不太好。")
                 for a in group]
            )
            FollowUp.objects.create(
                talk=talk, description="帮忙申请质检旁听名额", owner_agent=None,
                due_on=today + dt.timedelta(days=1 - n * 4),
            )
        # One talk long ago, so some agents are overdue rather than never talked to.
        old = active[len(active) // 2 : len(active) // 2 + 2]
        if old:
            talk = Talk.objects.create(
                lead=lead, team=old[0].team, held_on=today - dt.timedelta(weeks=11),
                setting=TalkSetting.TEA, prompts_used=[TalkPrompt.WHY_JOINED], summary="下午茶。",
            )
            TalkParticipant.objects.bulk_create([TalkParticipant(talk=talk, agent=a) for a in old])

    deposit_kinds = [EntryKind.PRAISE, EntryKind.CARE_CHECK_IN, EntryKind.HELP, EntryKind.KEPT_PROMISE]
    for i, agent in enumerate(active):
        if i == len(active) - 1:
            # A negative balance: imposed overtime and a broken promise, no deposit since.
            record_entry(lead, agent, EntryKind.IMPOSED_OVERTIME, "大促连续加班三天", occurred_on=today - dt.timedelta(days=20),
                         source="demo", source_ref=f"{agent.pk}:overtime")
            record_entry(lead, agent, EntryKind.BROKEN_PROMISE, "答应的调休没有兑现", occurred_on=today - dt.timedelta(days=16),
                         source="demo", source_ref=f"{agent.pk}:broken")
            continue
        stale = i % 4 == 3  # some agents have had no deposit for weeks
        for k in range(4):
            days_ago = (20 + 7 * k) if stale else (1 + 6 * k + i % 3)
            kind = deposit_kinds[(i + k) % len(deposit_kinds)]
            record_entry(lead, agent, kind, "", occurred_on=today - dt.timedelta(days=days_ago),
                         source="demo", source_ref=f"{agent.pk}:{k}")
        if i % 5 == 1:
            record_entry(lead, agent, EntryKind.CRITICISM, "私下指出了工单漏填", occurred_on=today - dt.timedelta(days=5),
                         source="demo", source_ref=f"{agent.pk}:criticism")
