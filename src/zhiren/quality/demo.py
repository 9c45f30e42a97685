"""Demo data for quality at the Hangzhou site: scorecards for voice, chat and tickets, the
服务禁语 list and transcript rules, a weekly sampling plan per team, transcripts with planted
rule hits, a month of evaluations (most released, some awaiting review), one closed
calibration session and disputes at every stage on the demo agent's results.

Deterministic (own seed) and idempotent: the site's quality rows are removed and made again.
A second inspector login, ``qa2`` (QA over the lead's team, unusable password), joins the
calibration; the demo's ``qa`` login is the QA lead (QA at site scope).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Role, RoleAssignment, Scope, Site, Team
from zhiren.performance.models import Interaction

from . import services
from .models import (
    CalibrationSession,
    Evaluation,
    PhraseList,
    SamplingPlan,
    Scorecard,
    ScorecardVersion,
    Transcript,
    TranscriptRule,
)
from .rules import Turn as PlainTurn
from .rules.phrases import CLOSING_PHRASES, FORBIDDEN_PHRASES, GREETING_PHRASES, IDENTITY_PHRASES

SEED = 20261206
SITE = "hz"
LEAD_TEAM = "hz-aftersales"

DEFINITION = {
    "max_score": 100,
    "sections": [
        {"key": "open", "label": "开场与核实", "criteria": [
            {"key": "greet", "label": "标准开场问候", "points": 10, "scale": "yes_no"},
            {"key": "verify", "label": "身份核实", "points": 15, "scale": "yes_no", "critical": "total"},
        ]},
        {"key": "solve", "label": "问题解决", "criteria": [
            {"key": "accuracy", "label": "信息准确", "points": 30, "scale": "points", "na_allowed": True},
            {"key": "ownership", "label": "主动跟进", "points": 15, "scale": "one_to_five", "na_allowed": True},
        ]},
        {"key": "manner", "label": "服务态度", "criteria": [
            {"key": "courtesy", "label": "礼貌用语、无禁语", "points": 15, "scale": "yes_no", "critical": "section"},
            {"key": "pace", "label": "语速与倾听（不抢话）", "points": 10, "scale": "one_to_five"},
            {"key": "close", "label": "标准结束语", "points": 5, "scale": "yes_no"},
        ]},
        {"key": "bonus", "label": "加分项", "bonus": True, "criteria": [
            {"key": "wow", "label": "超出期待的服务", "points": 5, "scale": "yes_no"},
        ]},
    ],
}
CARDS = (("voice", "电话质检评分表"), ("chat", "在线质检评分表"), ("ticket", "工单质检评分表"))

RULES = [
    ("greeting", "开场问候", "required", {"phrases": list(GREETING_PHRASES), "speaker": "agent", "first": 15},
     None, "greet", "no"),
    ("identity", "身份核实", "required", {"phrases": list(IDENTITY_PHRASES), "speaker": "agent"}, None, "verify", "no"),
    ("closing", "标准结束语", "required", {"phrases": list(CLOSING_PHRASES), "speaker": "agent", "last": 20},
     None, "close", "no"),
    ("forbidden", "服务禁语", "forbidden", {"list": "forbidden", "speaker": "agent"}, None, "courtesy", "no"),
    ("promise", "投诉后承诺退款", "forbidden",
     {"near": [{"phrases": ["投诉"], "speaker": "customer"}, {"phrases": ["保证退款", "肯定给您退"],
                                                             "speaker": "agent"}], "within": 2, "ordered": True},
     None, "", ""),
    ("silence", "静音超过10秒", "silence", None, 10, "", ""),
    ("overlap", "抢话", "overlap", None, 1.5, "pace", "2"),
    ("rate", "语速过快", "speech_rate", None, 320, "pace", "2"),
]

GOOD_CALL = [
    ("agent", "您好，很高兴为您服务，请问有什么可以帮您？"),
    ("customer", "我上周买的电饭煲一直没发货。"),
    ("agent", "好的，先帮您核实一下您的身份，请提供您的手机号。"),
    ("customer", "一三八零零一二三四五六。"),
    ("agent", "谢谢，我这边查到订单已经出库，预计明天送达。"),
    ("customer", "好的，谢谢。"),
    ("agent", "还有其他可以帮您的吗？感谢您的来电，祝您生活愉快。"),
]
PLANTED = {
    "no_greeting": [("agent", "喂，说吧。")],
    "forbidden": [("agent", "這個不歸我管，你去投訴吧。")],
    "promise": [("customer", "你们再不发货我就投诉了。"), ("agent", "您别急。"), ("agent", "我保证退款，您放心。")],
}


def _site_and_team() -> tuple[Site | None, Team | None]:
    return Site.objects.filter(code=SITE).first(), Team.objects.filter(code=LEAD_TEAM).first()


def _second_inspector(team: Team) -> User:
    user, created = User.objects.get_or_create(username="qa2", defaults={"first_name": "磊", "last_name": "何"})
    if created:
        user.set_unusable_password()
        user.save()
    if not RoleAssignment.objects.filter(user=user, role=Role.QA).exists():
        RoleAssignment.objects.create(user=user, role=Role.QA, scope=Scope.TEAMS).teams.set([team])
    return user


def _turns(rng: random.Random, plant: str | None) -> list[tuple[str, float, float, str]]:
    lines = list(GOOD_CALL)
    if plant == "no_greeting":
        lines[0] = PLANTED["no_greeting"][0]
    elif plant in PLANTED:
        lines[3:3] = PLANTED[plant]
    turns, clock = [], 0.0
    for n, (speaker, text) in enumerate(lines):
        gap = 12.5 if plant == "silence" and n == 4 else rng.uniform(0.2, 0.8)
        start = clock + gap if n else 0.0
        if plant == "overlap" and n == 2:
            start = clock - 2.0  # the agent starts while the customer is still talking
        end = start + max(1.5, len(text) / 4.5)
        turns.append((speaker, round(start, 2), round(end, 2), text))
        clock = max(clock, end)
    return turns


def _answers(rng: random.Random, suggested: dict) -> dict:
    answers = {
        "greet": "yes", "verify": "yes", "accuracy": rng.choice([30, 30, 25, 20, 15]),
        "ownership": rng.choice([5, 4, 4, 3, "na"]), "courtesy": "yes", "pace": rng.choice([5, 4, 4, 3]),
        "close": "yes", "wow": "yes" if rng.random() < 0.1 else "no",
    }
    for key, entry in suggested.items():
        answers[key] = int(entry["answer"]) if entry["answer"].isdigit() else entry["answer"]
    if rng.random() < 0.04:
        answers["verify"] = "no"
    return {key: {"answer": value, "comment": "漏核实身份" if key == "verify" and value == "no" else ""}
            for key, value in answers.items()}


@transaction.atomic
def load(context) -> None:
    site, team = _site_and_team()
    qa = context.users.get("qa") or User.objects.filter(username="qa").first()
    if site is None or team is None or qa is None:
        return
    rng = random.Random(SEED)
    now = timezone.now()
    today = context.today
    Evaluation.objects.filter(version__scorecard__site=site).delete()
    CalibrationSession.objects.filter(site=site).delete()
    SamplingPlan.objects.filter(team__site=site).delete()
    Scorecard.objects.filter(site=site).delete()
    TranscriptRule.objects.filter(site=site).delete()
    PhraseList.objects.filter(site=site).delete()
    Transcript.objects.filter(team__site=site).delete()
    qa2 = _second_inspector(team)

    PhraseList.objects.create(site=site, name="forbidden", phrases=list(FORBIDDEN_PHRASES))
    for key, name, kind, expression, threshold, criterion, answer in RULES:
        TranscriptRule.objects.create(site=site, key=key, name=name, kind=kind, expression=expression,
                                      threshold=threshold, criterion_key=criterion, suggested_answer=answer)
    cards = {}
    for channel, name in CARDS:
        cards[channel] = Scorecard.objects.create(site=site, name=name, channel=channel)
        ScorecardVersion.objects.create(scorecard=cards[channel], number=1, definition=DEFINITION, published_by=qa)
    plan = SamplingPlan.objects.create(team=team, name="售后一组周抽检", scorecard=cards["voice"], per_agent=3,
                                       targets=["rule_hit", "low_csat", "new_hire"], seed=SEED, dispute_days=7)
    plan.inspectors.add(qa, qa2)

    start = today - dt.timedelta(days=27)
    contacts = list(Interaction.objects.filter(team=team, day__gte=start, day__lte=today, abandoned=False,
                                               agent__isnull=False).order_by("pk"))
    rng.shuffle(contacts)
    rule_set = services.ruleset_for(site.pk)
    plants = ["no_greeting", "forbidden", "promise", "silence", "overlap", None, None, None, None, None]
    for n, interaction in enumerate(contacts[:240]):
        transcript = Transcript.objects.create(interaction=interaction, agent_id=interaction.agent_id,
                                               team_id=interaction.team_id)
        services.save_turns(transcript, [PlainTurn(s, a, b, t) for s, a, b, t in _turns(rng, plants[n % len(plants)])])
        services.check_transcript(transcript, rule_set)

    week = today - dt.timedelta(days=today.weekday())
    samples = []
    for weeks_back in range(4, 0, -1):
        samples += services.draw_samples(plan, week - dt.timedelta(weeks=weeks_back))
    samples += services.draw_samples(plan, today)  # this week's: the queue
    this_week = week
    evaluations = []
    for sample in samples:
        if sample.period_start >= this_week:
            continue  # left in the inspector's queue
        interaction = sample.interaction
        transcript = Transcript.objects.filter(interaction=interaction).first()
        suggested = services.suggestions(transcript) if transcript else {}
        inspector = qa if rng.random() < 0.6 else qa2
        evaluation = services.submit_evaluation(interaction, cards["voice"].current(), _answers(rng, suggested),
                                                user=inspector, seconds_spent=rng.randint(180, 720), sample=sample)
        if rng.random() < 0.9:
            services.release(evaluation, user=qa)
        evaluations.append(evaluation)

    _calibration(site, cards["voice"].current(), qa, qa2, contacts[240:243], rng, today)
    _disputes(context, evaluations, qa, now)


def _calibration(site, version, qa, qa2, contacts, rng, today) -> None:
    session = CalibrationSession.objects.create(site=site, name="月度校准（售后）", version=version, benchmark=qa,
                                                held_on=today - dt.timedelta(days=3), closed=True)
    session.interactions.set(contacts)
    session.inspectors.set([qa, qa2])
    for interaction in contacts:
        base = _answers(rng, {})
        for inspector in (qa, qa2):
            answers = {k: dict(v) for k, v in base.items()}
            if inspector == qa2:
                answers["ownership"]["answer"] = rng.choice([3, 4, 5])
                answers["greet"]["answer"] = rng.choice(["yes", "no"])
            services.submit_evaluation(interaction, version, answers, user=inspector, kind="calibration",
                                       calibration=session)


def _disputes(context, evaluations, qa, now) -> None:
    """One dispute at each stage on the demo agent's (or their team's) released results."""
    agent_user = context.users.get("agent")
    lead = context.users.get("lead")
    released = [e for e in evaluations if e.status == "released"]
    own = [e for e in released if agent_user is not None and e.agent.user_id == agent_user.pk]
    pool = own + [e for e in released if e not in own]
    stages = ["open", "accepted", "partly", "rejected", "escalated", "upheld", "overturned"]
    for evaluation, stage in zip(pool, stages, strict=False):
        raiser = agent_user if evaluation in own else lead
        if raiser is None:
            continue
        dispute = services.raise_dispute(evaluation, user=raiser, comment="录音里我已经核实过身份，请复核。",
                                         criterion_key="accuracy")
        if stage == "open":
            continue
        if stage in ("accepted", "partly"):
            services.reply_dispute(dispute, user=evaluation.inspector, outcome=stage, reply="复听后调整。",
                                   changes={"accuracy": 30 if stage == "accepted" else 25})
            continue
        services.reply_dispute(dispute, user=evaluation.inspector, outcome="rejected", reply="录音显示信息有误。")
        if stage == "rejected":
            continue
        services.escalate_dispute(dispute, user=raiser, comment="请质检主管终审。")
        if stage == "upheld":
            services.rule_dispute(dispute, user=qa, overturn=False, ruling="维持原判。")
        elif stage == "overturned":
            services.rule_dispute(dispute, user=qa, overturn=True, ruling="终审改判。", changes={"accuracy": 30})
