"""Demo data for coaching: the demo lead's team ``hz-aftersales``.

Willingness ratings now and five weeks ago (so the map shows movement), skill
assessments, BIA praise (some on the wall) and BID corrections written through the
services (so the emotional bank account gets its entries), a GROW session with
commitments and an interference, an improvement plan and a delegated task.
Deterministic (own seed) and idempotent: rows are keyed, records created once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from zhiren.org.models import Agent, AgentStatus

from . import services
from .models import (
    Delegation,
    Feedback,
    FeedbackKind,
    GrowSession,
    ImprovementPlan,
    SkillAssessment,
    StateRating,
)

TEAM = "hz-aftersales"
SEED = 20240607

# (motivation, confidence, commitment, lead's ability rating) by profile; None: not rated yet.
PROFILES = [
    (4, 4, 5, 2),  # eager newcomer → coaching
    (2, 3, 2, 5),  # skilled but flat → motivating
    (5, 4, 4, 5),  # star → delegating
    (2, 2, 3, 2),  # struggling → directing
]
EVIDENCE = [
    "主动请教复杂退货流程，下班后还在整理话术笔记。",
    "投诉处理很熟练，但最近两周晨会不发言，排班调整后情绪低落。",
    "连续三周满意度第一，主动带新人熟悉系统。",
    "近期多次未按标准流程核实订单，自己也说没信心处理投诉电话。",
]
SKILLS = ["产品知识", "系统操作", "投诉处理"]
PRAISE = [
    ("客户第三次来电时，你主动调出历史工单，一次讲清楚退款进度。", "客户当场撤回了投诉，还在评价里点名表扬。",
     "谢谢你这么用心，这就是我们想要的专业和耐心！"),
    ("大促当天你主动多接了一个小时的电话，并把常见问题整理成一页纸发到群里。", "组里接通率保住了，新人也少走了弯路。",
     "你的主动和分享让全组受益，非常感谢！"),
    ("你把复杂的换货规则画成了一张流程图。", "新人培训时间缩短了一半。", "这个做法很有创意，谢谢你！"),
]
CORRECTION = [
    ("今天上午两通电话没有按流程核实订单号就承诺了退款。", "其中一单退错了金额，客户再次来电投诉。",
     "以后先核实订单号和金额，再告诉客户处理时间；不确定时先问我。"),
    ("昨天的通话中有三次打断了客户说话。", "客户情绪变得更激动，通话时长也拉长了。",
     "先让客户说完，再复述确认问题，然后给方案。"),
]


@transaction.atomic
def load(context) -> None:
    lead = context.users.get("lead")
    if lead is None:
        return
    today = context.today
    rng = random.Random(SEED)
    agents = list(Agent.objects.filter(team__code=TEAM, status=AgentStatus.ACTIVE).order_by("employee_no"))
    if len(agents) < 4:
        return
    before = today - dt.timedelta(days=35)
    rated = agents[:-2]  # the last two stay unrated: shown as unknown, never guessed
    for i, agent in enumerate(rated):
        motivation, confidence, commitment, ability = PROFILES[i % len(PROFILES)]
        earlier = PROFILES[(i + 1) % len(PROFILES)] if i % 3 == 1 else PROFILES[i % len(PROFILES)]
        for day, (m, c, k, a) in ((before, earlier), (today - dt.timedelta(days=3), (motivation, confidence, commitment, ability))):
            StateRating.objects.get_or_create(
                agent=agent, rated_by=lead, rated_on=day, is_self=False,
                defaults={"motivation": m, "confidence": c, "commitment": k, "ability": a,
                          "evidence": EVIDENCE[i % len(EVIDENCE)]},
            )
        for skill in SKILLS:
            base = 2 if ability <= 2 else 4
            SkillAssessment.objects.get_or_create(
                agent=agent, skill=skill, assessed_on=before,
                defaults={"score": min(5, base + rng.randint(0, 1)), "assessed_by": lead},
            )
        services.refresh_snapshot(agent, before)
        services.refresh_snapshot(agent, today)

    own = next((a for a in agents if a.user_id), agents[0])
    if not Feedback.objects.filter(lead=lead, agent__team__code=TEAM).exists():
        praised = [own, *[a for a in rated if a.pk != own.pk][:2]]
        for n, (agent, (b, i_, a)) in enumerate(zip(praised, PRAISE, strict=False)):
            services.record_feedback(lead, agent, FeedbackKind.PRAISE, behavior=b, impact=i_, appreciation=a,
                                     given_on=today - dt.timedelta(days=2 + 3 * n), kpi="csat", share=n < 2)
        corrected = [a for a in rated if a.pk != own.pk][3:5]
        for n, (agent, (b, i_, d)) in enumerate(zip(corrected, CORRECTION, strict=False)):
            services.record_feedback(lead, agent, FeedbackKind.CORRECTIVE, behavior=b, impact=i_, desired=d,
                                     given_on=today - dt.timedelta(days=1 + 2 * n))

    if not GrowSession.objects.filter(lead=lead, agent__team__code=TEAM).exists():
        from .models import GrowQuestion

        questions = list(GrowQuestion.objects.filter(active=True).values_list("pk", flat=True)[::3])
        services.record_grow_session(
            lead, own, held_on=today - dt.timedelta(days=6), topic="提升一次解决率",
            goal="一个月内把一次解决率从 68% 提到 75%。",
            reality="退换货类来电常常要二次回访，原因是不熟悉新规则，查知识库太慢。",
            options="整理常见问题清单；请组里的骨干陪听两通电话；每天下班前复盘一通难的电话。",
            will="先做常见问题清单，下周一前完成；每周五和组长一起看进度。",
            questions=questions,
            commitments=[("整理退换货常见问题清单", today + dt.timedelta(days=3)),
                         ("每天复盘一通难处理的电话", today - dt.timedelta(days=1))],
            interferences=[("tools", "知识库搜索太慢，找不到最新的退换货规则")],
        )

    if not ImprovementPlan.objects.filter(lead=lead, agent__team__code=TEAM).exists():
        struggling = rated[3] if len(rated) > 3 else rated[-1]
        buddy = rated[2] if len(rated) > 2 else None
        plan = services.start_plan(
            lead, struggling, goals=[("fcr", 62.0, 75.0), ("csat", 78.0, 85.0)],
            started_on=today - dt.timedelta(days=14), review_on=today + dt.timedelta(days=28),
            reason="连续四周一次解决率低于目标。", training="投诉处理技巧（第二期）", buddy=buddy,
            coaching_every_days=7,
        )
        services.check_in_plan(lead, plan, progress="at_risk", note="流程熟悉了，但仍然不敢主动给方案。",
                               on=today - dt.timedelta(days=7))

    if not Delegation.objects.filter(lead=lead, agent__team__code=TEAM).exists():
        star = rated[2]
        services.delegate_task(
            lead, star, "带教两名新人熟悉售后系统",
            {"what": "两周内带两名新人完成系统操作和退换货流程实操。", "why": "新人上线快，全组接通压力就小。",
             "good": "两人独立处理退换货来电，首周质检无红线。", "resources": "培训手册、沙箱账号、每天半小时。",
             "obstacles": "大促期间来电量大，带教时间可能被挤占。", "check": "每周五一起看新人的质检结果。"},
            assigned_on=today - dt.timedelta(days=2),
        )
