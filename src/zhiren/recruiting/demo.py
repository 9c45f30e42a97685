"""Demo data for recruiting at the Hangzhou site: six months of hiring across five channels.

Planted story (what the channel report should show): referrals stay and score well;
campus hires score well but more of them leave; job sites are middling; agencies and
above all the labour market bring people who leave early and score lower. Hires join
a new-hire team (新员工班组) so the other demo teams keep their own story; leavers are
marked left with the day privacy noticed it; each hire gets released QA evaluations in
their first 60 days. A few candidates are still open, some with interviews whose
scorecards are submitted (panel agreement) and one waiting for the demo HR login.

Deterministic (own seed) and idempotent: the site's recruiting rows are made again.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus, Channel, Position, Site, Team
from zhiren.performance.models import Interaction
from zhiren.placement.models import RoleProfile
from zhiren.privacy.models import Departure
from zhiren.quality.models import Evaluation, Scorecard

from . import catalogue, figures, timebudget
from .models import (
    AssessmentKind,
    AssessmentResult,
    Candidate,
    ChannelCost,
    Interview,
    InterviewKit,
    InterviewScorecard,
    Offer,
    OfferStatus,
    Requisition,
    RequisitionStatus,
    Source,
    Stage,
    StageChange,
)

SEED = 20261221
SITE = "hz"
TEAM = "hz-newhires"
DAYS = 182

# channel: applicants, share hired, offer acceptance, daily hazard of leaving, mean QA of the first 60 days
CHANNELS = {
    Source.REFERRAL: (45, 0.45, 0.92, 0.0010, 88.0),
    Source.CAMPUS: (75, 0.32, 0.75, 0.0032, 85.0),
    Source.JOB_SITE: (95, 0.22, 0.70, 0.0028, 80.0),
    Source.AGENCY: (55, 0.32, 0.85, 0.0050, 76.0),
    Source.LABOUR_MARKET: (65, 0.28, 0.80, 0.0085, 71.0),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玲"
# what each channel costs the site a month (yuan): referral bonuses, campus events, job-site
# fees, agency fees, labour-market stalls — the agency's and the labour market's cheap-looking
# hires cost the most per hire still here at 90 days
MONTHLY_COST = {
    Source.REFERRAL: 3000,
    Source.CAMPUS: 4000,
    Source.JOB_SITE: 5000,
    Source.AGENCY: 8000,
    Source.LABOUR_MARKET: 2500,
}
REJECT_REASONS = ("knockout", "test_score", "interview", "fit", "overqualified", "no_show")
DECLINE_REASONS = ("other_offer", "salary", "shifts", "location")


def _name(rng: random.Random, used: set[str]) -> str:
    """A two- or three-character name no agent or earlier candidate of the demo has."""
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _clear(site: Site, team: Team | None) -> None:
    Candidate.objects.filter(site=site).delete()
    ChannelCost.objects.filter(site=site).delete()
    Requisition.objects.filter(site=site).delete()
    if team is not None:
        agents = Agent.objects.filter(team=team)
        Evaluation.objects.filter(agent__in=agents).delete()
        Interaction.objects.filter(agent__in=agents).delete()
        agents.delete()


@transaction.atomic
def load(context) -> None:
    site = Site.objects.filter(code=SITE).first()
    if site is None:
        return
    rng = random.Random(SEED)
    today = context.today
    hr = context.users.get("hr") or User.objects.filter(username="hr").first()
    manager = context.users.get("manager") or User.objects.filter(username="manager").first()
    lead = context.users.get("lead") or User.objects.filter(username="lead").first()
    qa = context.users.get("qa") or User.objects.filter(username="qa").first()
    _clear(site, Team.objects.filter(code=TEAM).first())
    team, _created = Team.objects.get_or_create(
        code=TEAM, defaults={"site": site, "name": "新员工班组", "main_channel": Channel.VOICE}
    )
    month = (today - dt.timedelta(days=DAYS)).replace(day=1)
    while month <= today:
        ChannelCost.objects.bulk_create(
            ChannelCost(site=site, source=source, month=month, amount=amount)
            for source, amount in MONTHLY_COST.items()
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    role, _created = RoleProfile.objects.get_or_create(
        code=Position.AFTERSALES, defaults={"name": "售后客服"}
    )
    kit, _created = InterviewKit.objects.get_or_create(
        role=role,
        name="售后客服结构化面试",
        defaults={"competencies": catalogue.DEFAULT_KIT, "stages": catalogue.DEFAULT_STAGES},
    )
    requisition = Requisition.objects.create(
        site=site,
        team=team,
        role=role,
        queue_code="aftersales",
        headcount=60,
        needed_by=today - dt.timedelta(days=150),
        training_days=21,
        budget=Decimal("180000"),
        status=RequisitionStatus.APPROVED,
        hiring_manager=lead,
        created_by=hr,
        decided_by=manager,
        decided_at=_at(today - dt.timedelta(days=DAYS)),
        note="旺季前扩编（演示）",
    )
    Requisition.objects.create(
        site=site,
        role=role,
        queue_code="aftersales",
        headcount=8,
        needed_by=today + dt.timedelta(days=35),
        training_days=21,
        budget=Decimal("24000"),
        gap_fte=6.4,
        created_by=hr,
        note="双十一备战（演示）",
    )
    version = None
    card = Scorecard.objects.filter(site=site, channel=Channel.VOICE).first()
    if card is not None:
        version = card.current()

    serial = 0
    used = set(Agent.objects.exclude(team=team).values_list("name", flat=True))
    interactions, evaluations, departures = [], [], []
    for source, (count, hire_share, acceptance, hazard, qa_mean) in CHANNELS.items():
        for _ in range(count):
            serial += 1
            applied = today - dt.timedelta(days=rng.randint(5, DAYS))
            candidate = Candidate.objects.create(
                site=site,
                requisition=requisition,
                name=_name(rng, used),
                phone=f"139{SEED % 1000:03d}{serial:05d}",
                source=source,
                applied_on=applied,
                recruiter=hr,
                stage_changed_at=_at(applied),
                talent_pool=rng.random() < 0.2,
            )
            typing = max(15.0, rng.gauss(52 + (qa_mean - 80) * 0.8, 11))
            tested = rng.random() < 0.85
            if tested:
                AssessmentResult.objects.create(
                    candidate=candidate,
                    kind=AssessmentKind.TYPING,
                    issued_at=_at(applied + dt.timedelta(days=2)),
                    submitted_at=_at(applied + dt.timedelta(days=2)) + dt.timedelta(minutes=3),
                    score=round(typing, 1),
                    detail={
                        "passage": "p1",
                        "net_cpm": round(typing, 1),
                        "accuracy": 0.95,
                        "seconds": 180,
                    },
                )
            age = (today - applied).days
            hired = rng.random() < hire_share and age > 24
            if hired:
                accepted = rng.random() < acceptance
                start = applied + dt.timedelta(days=rng.randint(14, 21))
                offer = Offer.objects.create(
                    candidate=candidate,
                    team=team,
                    start_date=start,
                    made_at=_at(applied + dt.timedelta(days=10)),
                    decided_at=_at(applied + dt.timedelta(days=12)),
                    status=OfferStatus.ACCEPTED if accepted else OfferStatus.DECLINED,
                )
                if not accepted:
                    _close(
                        candidate,
                        Stage.WITHDRAWN,
                        rng.choice(DECLINE_REASONS),
                        applied + dt.timedelta(days=12),
                    )
                    continue
                leave_after = int(-math.log(1 - rng.random()) / hazard)
                left_on = start + dt.timedelta(days=leave_after)
                left = left_on <= today
                agent = Agent.objects.create(
                    employee_no=f"RD{serial:04d}",
                    name=candidate.name,
                    team=team,
                    position=Position.AFTERSALES,
                    hire_date=start,
                    birthday=dt.date(
                        today.year - rng.randint(19, 30), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    channel_skills=[Channel.VOICE],
                    status=AgentStatus.LEFT if left else AgentStatus.ACTIVE,
                )
                if left:
                    departures.append(Departure(agent=agent, noticed_on=left_on))
                candidate.agent, candidate.hired_on, candidate.stage = agent, start, Stage.ONBOARDED
                candidate.stage_changed_at = _at(start)
                candidate.save(update_fields=["agent", "hired_on", "stage", "stage_changed_at"])
                offer.onboarding_log = [f"Agent {agent.employee_no} created on {team.name}."]
                offer.save(update_fields=["onboarding_log"])
                if version is not None and qa is not None:
                    last = min(start + dt.timedelta(days=59), today, left_on)
                    for i in range(4):
                        day = start + dt.timedelta(days=5 + i * 13)
                        if day > last:
                            break
                        score = min(100.0, max(40.0, rng.gauss(qa_mean + (typing - 52) * 0.25, 6)))
                        contact = Interaction(
                            external_id=f"RD-{serial}-{i}",
                            agent=agent,
                            team=team,
                            offered_at=_at(day),
                            answered_at=_at(day),
                            day=day,
                            slot=40,
                            talk_seconds=rng.randint(120, 600),
                        )
                        interactions.append(contact)
                        evaluations.append((contact, agent, day, round(score, 2)))
                continue
            if age < 20:
                stage = rng.choice((Stage.APPLIED, Stage.SCREENED, Stage.TESTED, Stage.INTERVIEWED))
                candidate.stage = stage
                candidate.save(update_fields=["stage"])
                if stage == Stage.INTERVIEWED:
                    _interview(candidate, kit, [lead, manager, hr], rng, submitted=2)
                continue
            if rng.random() < 0.3:
                _interview(candidate, kit, [lead, manager], rng, submitted=2)
            _close(
                candidate,
                Stage.REJECTED,
                rng.choice(REJECT_REASONS),
                applied + dt.timedelta(days=rng.randint(1, 9)),
            )
    Departure.objects.bulk_create(departures)
    Interaction.objects.bulk_create(interactions)
    if version is not None and qa is not None:
        now = timezone.now()
        Evaluation.objects.bulk_create(
            Evaluation(
                interaction=contact,
                agent=agent,
                team=team,
                version=version,
                inspector=qa,
                answers={},
                score=Decimal(str(score)),
                day=day,
                submitted_at=now,
                released_at=now,
                status="released",
            )
            for contact, agent, day, score in evaluations
        )
    # the evaluations and statistics above were written in bulk (no signals)
    figures.refresh(Candidate.objects.filter(site=site))


def _close(candidate: Candidate, stage: str, reason: str, day: dt.date) -> None:
    StageChange.objects.create(
        candidate=candidate, from_stage=candidate.stage, to_stage=stage, reason=reason, at=_at(day)
    )
    candidate.stage, candidate.reason, candidate.stage_changed_at = stage, reason, _at(day)
    candidate.save(update_fields=["stage", "reason", "stage_changed_at"])


def _interview(
    candidate: Candidate, kit: InterviewKit, panel, rng: random.Random, *, submitted: int
) -> None:
    people = [p for p in panel if p is not None]
    interview = Interview.objects.create(
        candidate=candidate,
        kit=kit,
        scheduled_at=_at(candidate.applied_on + dt.timedelta(days=4), 14),
        planned_minutes=timebudget.planned_minutes(kit.plan()),
    )
    level = rng.choice((2, 3, 3, 4, 4, 5))
    if level <= 2:  # clearly not a fit after the knock-outs: let go kindly after five minutes
        interview.stopped_after, interview.stop_reason = "knockout", "unfit"
        interview.minutes_spent = timebudget.minutes_until(kit.plan(), "knockout")
    elif submitted:  # a promising one gets more time than planned
        interview.minutes_spent = interview.planned_minutes + (15 if level >= 4 else 0)
    interview.save(update_fields=["stopped_after", "stop_reason", "minutes_spent"])
    for n, person in enumerate(people):
        done = n < submitted
        ratings = {
            c["key"]: min(5, max(1, level + rng.choice((-1, 0, 0, 0, 1)))) for c in kit.competencies
        }
        InterviewScorecard.objects.create(
            interview=interview,
            interviewer=person,
            ratings=ratings if done else {},
            recommendation=("yes" if level >= 4 else "no") if done else "",
            submitted_at=_at(candidate.applied_on + dt.timedelta(days=4), 15) if done else None,
        )
