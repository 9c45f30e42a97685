"""Demo data for placement: the catalogue, observed traits and stated wishes for the agents of
the Hangzhou site, a few open positions there, and some know-how. Deterministic (its own
seeded generator, agents in employee-number order) and idempotent (upserts; positions and
know-how are created once, by title)."""

from __future__ import annotations

import random

from django.db import transaction

from zhiren.org.models import Agent, AgentStatus, Position, Site

from . import services
from .models import (
    AgentTraits,
    KnowHow,
    KnowHowKind,
    OpenPosition,
    RoleProfile,
    RoleWish,
    Stance,
    Trait,
    WishSource,
)

SITE = "hz"
# traits that tend to go together, so the demo shows people suited to different roles
PROFILES = (
    (Trait.CURIOUS, Trait.LIVELY, Trait.AMBITIOUS, Trait.ARTICULATE),
    (Trait.CALM, Trait.STEADY, Trait.PATIENT, Trait.EMPATHETIC),
    (Trait.RIGOROUS, Trait.RULE_ABIDING, Trait.ANALYTICAL, Trait.ORGANISED),
    (Trait.MENTORING, Trait.DECISIVE, Trait.STEADY, Trait.ARTICULATE),
    (Trait.CALM, Trait.RESILIENT, Trait.EMPATHETIC, Trait.PATIENT),
    (Trait.ANALYTICAL, Trait.ORGANISED, Trait.CURIOUS, Trait.RIGOROUS),
)
POSITIONS = (
    (Position.QA, 2, "质检专员（扩编）"),
    (Position.TRAINER, 1, "新人培训师"),
    (Position.PRESALES, 2, "大促售前支援"),
)
KNOW_HOW = (
    (Position.PRESALES, KnowHowKind.SCRIPT, "犹豫型顾客的三步追问",
     "顾客说“再看看”时", "1. 先肯定：“您挑得很仔细。”\n2. 追问顾虑：“主要是在比较价格还是功能？”\n"
     "3. 给出对比：拿同价位的两款，各说一个最适合的场景，请顾客自己选。"),
    (Position.PRESALES, KnowHowKind.TIP, "大促前一天把爆款参数做成卡片",
     "大促备战", "把销量前十商品的尺寸、材质、保修整理成一张卡片贴在工位旁，回答速度明显更快。"),
    (Position.AFTERSALES, KnowHowKind.CASE, "物流延误却要求全额退款的顾客",
     "物流异常、顾客情绪激动", "先道歉并说明查件结果，再给两个选择：补偿券或加急补发。"
     "顾客选择补发后主动给了好评。关键是给选择，而不是直接拒绝。"),
    (Position.COMPLAINTS, KnowHowKind.SCRIPT, "投诉升级时的开场白",
     "顾客要求找领导", "“我理解您现在很生气，换作是我也会着急。我是专门处理这类问题的，"
     "接下来由我负责到底，处理完之前不会让您再重复一遍。”"),
    (Position.QA, KnowHowKind.TIP, "质检打分前先听最后一分钟",
     "抽检长通话", "先听结尾判断问题是否解决，再回头找关键节点，节省约三成时间，评分一致性更好。"),
)


@transaction.atomic
def load(context) -> None:
    services.ensure_catalogue()
    site = Site.objects.filter(code=SITE).first()
    if site is None:
        return
    rng = random.Random(20240607)
    roles = {r.code: r for r in RoleProfile.objects.all()}
    agents = list(
        Agent.objects.filter(team__site=site).exclude(status=AgentStatus.LEFT).order_by("employee_no")
    )
    lead = context.users.get("lead")
    for index, agent in enumerate(agents):
        profile = PROFILES[rng.randrange(len(PROFILES))]
        keep = [str(t) for t in profile if rng.random() < 0.75]
        known = index % 7 != 3  # some agents' traits are not recorded yet: shown as missing
        if known:
            AgentTraits.objects.update_or_create(agent=agent, defaults={"traits": sorted(keep), "updated_by": lead})
        roll = rng.random()
        wish = None
        if roll < 0.18:
            wish = (rng.choice([Position.QA, Position.TRAINER, Position.OPERATIONS, Position.LEAD_RESERVE]),
                    Stance.WANTS, "想换个方向发展")
        elif roll < 0.28:
            wish = (rng.choice([Position.COMPLAINTS, Position.PRESALES, Position.QA]), Stance.UNWILLING,
                    "不太适应这个岗位的节奏")
        if wish and wish[0] in roles:
            RoleWish.objects.update_or_create(
                agent=agent, role=roles[wish[0]],
                defaults={"stance": wish[1], "note": wish[2], "source": WishSource.SELF},
            )
    manager = context.users.get("manager")
    for code, seats, title in POSITIONS:
        if code in roles:
            OpenPosition.objects.get_or_create(
                site=site, title=title, defaults={"role": roles[code], "capacity": seats, "created_by": manager}
            )
    for index, (code, kind, title, situation, body) in enumerate(KNOW_HOW):
        if code in roles and not KnowHow.objects.filter(title=title).exists():
            author = agents[(index * 5) % len(agents)] if agents else None
            KnowHow.objects.create(role=roles[code], kind=kind, title=title, situation=situation, body=body,
                                   author=author, recorded_by=lead)
