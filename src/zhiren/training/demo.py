"""Demo data for training at the Hangzhou site: three programmes by tier (new hires, tenured
agents, leads) with milestones in every format, an item bank and quizzes with pre-tests and
final attempts, sessions with attendance and ratings (case studies, games and role play rated
high, lectures low, as seed 003 found), a nesting cohort in its third week with graduated
queue exposure, one extension, certifications (one due for re-certification: the demo
agent's), a three-year plan in quarterly goals, and cases from QA evaluations and know-how.

Deterministic (own seed) and idempotent: the site's training rows are removed and made again.
Runs after quality (its evaluations are the gate's evidence and the cases' source).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from zhiren.org.models import Agent, AgentStatus, Site
from zhiren.placement.models import KnowHow
from zhiren.quality.models import Evaluation, EvaluationKind, EvaluationStatus
from zhiren.workforce.models import Queue

from . import services
from .models import (
    Attempt,
    Attendance,
    Case,
    Certification,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Extension,
    Item,
    Milestone,
    PlanGoal,
    Programme,
    Progress,
    Quiz,
    Response,
    Session,
    TrainingPlan,
)
from .plans import quarter_of

SEED = 20261207
SITE = "hz"
TEAM = "hz-aftersales"
QUEUES = (("aftersales", "售后热线"), ("presales", "售前咨询"), ("complaints", "投诉专线"))

PROGRAMMES = (
    (
        "新员工上岗培训（售后）",
        "new_hire",
        "aftersales",
        ["verify", "courtesy"],
        (
            ("公司产品与售后政策", "product", "case_study", 6),
            ("工单与CRM系统操作", "systems", "elearning", 4),
            ("服务礼仪与情绪管理", "soft_skills", "role_play", 4),
            ("个人信息保护与合规", "compliance", "lecture", 2),
            ("跟听带教", "soft_skills", "shadowing", 8),
        ),
    ),
    (
        "骨干进阶：投诉处理",
        "tenured",
        "",
        ["courtesy", "ownership"],
        (
            ("投诉升级案例复盘", "soft_skills", "case_study", 3),
            ("情景闯关游戏", "soft_skills", "game", 2),
            ("高难客户角色扮演", "soft_skills", "role_play", 3),
        ),
    ),
    (
        "班组长辅导技巧",
        "lead",
        "",
        [],
        (
            ("GROW 辅导对话", "soft_skills", "role_play", 3),
            ("质检结果解读", "systems", "lecture", 2),
        ),
    ),
)
RATINGS = {
    "case_study": (4, 5),
    "game": (4, 5),
    "role_play": (4, 5),
    "elearning": (3, 4),
    "shadowing": (4, 5),
    "lecture": (2, 3),
}
ITEMS = (
    ("客户来电要求退货，首先应做什么？", ["直接办理", "核实身份与订单", "转接主管"], 1),
    ("以下哪句属于服务禁语？", ["请您稍等", "这个不归我管", "感谢您的耐心"], 1),
    ("七天无理由退货从哪天起算？", ["下单日", "签收次日", "发货日"], 1),
    ("客户情绪激动时，第一步应当？", ["解释政策", "倾听并共情", "提醒通话录音"], 1),
    ("可以在通话中完整复述客户身份证号吗？", ["可以", "不可以", "客户同意即可"], 1),
    ("工单超时未处理，系统会？", ["自动关闭", "升级提醒组长", "无任何提示"], 1),
    ("首次解决率（FCR）指的是？", ["一次来电解决", "当天解决", "三天内解决"], 0),
    ("保修期内非人为损坏应？", ["收费维修", "免费维修或换新", "建议购买新品"], 1),
)


def _reset(site: Site) -> None:
    agents = Agent.objects.filter(team__site=site)
    Certification.objects.filter(agent__in=agents).delete()
    Case.objects.filter(site=site).delete()
    TrainingPlan.objects.filter(site=site).delete()
    Quiz.objects.filter(site=site).delete()
    Programme.objects.filter(site=site).delete()
    Item.objects.filter(site=site).delete()


def _attempt(
    quiz: Quiz, agent: Agent, mode: str, skill: float, rng: random.Random, when: dt.datetime
) -> Attempt:
    items = list(quiz.items.all())
    answers = [(item, rng.random() < skill) for item in items]
    attempt = Attempt.objects.create(
        quiz=quiz,
        agent=agent,
        mode=mode,
        submitted_at=when,
        score=round(100 * sum(ok for _i, ok in answers) / len(items), 2),
    )
    Response.objects.bulk_create(
        Response(
            attempt=attempt,
            item=item,
            correct=ok,
            choice=item.key if ok else (item.key + 1) % len(item.choices),
        )
        for item, ok in answers
    )
    return attempt


def load(context) -> None:
    site = Site.objects.filter(code=SITE).first()
    if site is None:
        return
    rng = random.Random(SEED)
    today = context.today
    trainer = context.users.get("trainer")
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    with transaction.atomic():
        _reset(site)
        queues = {}
        for code, name in QUEUES:
            queues[code], _ = Queue.objects.get_or_create(
                site=site, code=code, defaults={"name": name, "history_name": name}
            )
        bank = [
            Item.objects.create(site=site, stem=stem, choices=choices, key=key)
            for stem, choices, key in ITEMS
        ]
        programmes = []
        for name, tier, queue_code, criteria, milestones in PROGRAMMES:
            programme = Programme.objects.create(
                site=site,
                name=name,
                tier=tier,
                targeted_criteria=criteria,
                queue=queues.get(queue_code),
                role_code=queue_code,
            )
            if trainer is not None:
                programme.trainers.add(trainer)
            for order, (title, topic, fmt, hours) in enumerate(milestones, 1):
                Milestone.objects.create(
                    programme=programme,
                    order=order,
                    title=title,
                    topic=topic,
                    format=fmt,
                    hours=hours,
                    materials=f"《{title}》讲义\n内网课件库/{order:02d}",
                )
            quiz = Quiz.objects.create(
                site=site, programme=programme, title=f"{name}·考试", pass_mark=80
            )
            quiz.items.set(bank if tier == "new_hire" else bank[:5])
            programme.certification_quiz = quiz
            programme.save(update_fields=["certification_quiz"])
            programmes.append(programme)
        new_hire, tenured, leads = programmes

        team_agents = list(
            Agent.objects.filter(team__code=TEAM, status=AgentStatus.ACTIVE)
            .exclude(position__in=("team_lead", "qa", "trainer"))
            .order_by("-hire_date", "pk")
        )
        demo_agent = context.users.get("agent")
        demo_agent_id = getattr(getattr(demo_agent, "agent", None), "pk", None)
        nesting = [a for a in team_agents if a.pk != demo_agent_id][:4]
        veterans = [a for a in team_agents if a not in nesting][:8]

        # the nesting cohort: week 3 today (moderate stage)
        cohort = Cohort.objects.create(
            programme=new_hire,
            name=f"{today.year}年{today.month}月哺育期班",
            starts_on=today - dt.timedelta(days=16),
            weeks=6,
            trainer=trainer,
            min_evaluations=3,
            min_qa_score=80,
            exposure=[
                {"key": "simple", "weeks": 2, "queues": ["aftersales"]},
                {"key": "moderate", "weeks": 2, "queues": ["aftersales", "presales"]},
            ],
        )
        milestones = list(new_hire.milestones.all())
        for n, agent in enumerate(nesting):
            enrolment = Enrolment.objects.create(
                programme=new_hire,
                agent=agent,
                cohort=cohort,
                enrolled_on=cohort.starts_on - dt.timedelta(days=14),
                nesting_until=cohort.starts_on + dt.timedelta(weeks=cohort.weeks),
                status=EnrolmentStatus.NESTING if n < 3 else EnrolmentStatus.ACTIVE,
            )
            done = milestones if n < 3 else milestones[:3]
            Progress.objects.bulk_create(
                Progress(
                    enrolment=enrolment,
                    milestone=m,
                    marked_by=trainer,
                    done_on=enrolment.enrolled_on + dt.timedelta(days=2 * k),
                )
                for k, m in enumerate(done)
            )
            quiz = new_hire.certification_quiz
            _attempt(quiz, agent, "pre", 0.45, rng, now - dt.timedelta(days=30))
            _attempt(quiz, agent, "practice", 0.7, rng, now - dt.timedelta(days=10))
            if n < 3:
                _attempt(
                    quiz, agent, "final", 0.95 if n < 2 else 0.6, rng, now - dt.timedelta(days=3)
                )
            if n == 2 and trainer is not None:
                Extension.objects.create(
                    enrolment=enrolment,
                    previous_until=enrolment.nesting_until,
                    new_until=enrolment.nesting_until + dt.timedelta(weeks=2),
                    reason="认证考试未达80分，延长两周带教",
                    by=trainer,
                    at=now,
                )
                enrolment.nesting_until += dt.timedelta(weeks=2)
                enrolment.save(update_fields=["nesting_until"])

        # tenured programme, finished two months ago: the effect page has levels 2–4 to show
        for agent in veterans[:6]:
            Enrolment.objects.create(
                programme=tenured,
                agent=agent,
                enrolled_on=today - dt.timedelta(days=75),
                completed_on=today - dt.timedelta(days=60),
                status=EnrolmentStatus.COMPLETED,
            )
            _attempt(
                tenured.certification_quiz, agent, "pre", 0.5, rng, now - dt.timedelta(days=75)
            )
            _attempt(
                tenured.certification_quiz, agent, "final", 0.85, rng, now - dt.timedelta(days=60)
            )
        if demo_agent_id:
            demo = Agent.objects.get(pk=demo_agent_id)
            Enrolment.objects.get_or_create(
                programme=tenured,
                agent=demo,
                defaults={
                    "enrolled_on": today - dt.timedelta(days=75),
                    "completed_on": today - dt.timedelta(days=60),
                    "status": EnrolmentStatus.COMPLETED,
                },
            )
            _attempt(tenured.certification_quiz, demo, "pre", 0.5, rng, now - dt.timedelta(days=75))
            _attempt(
                tenured.certification_quiz, demo, "final", 0.9, rng, now - dt.timedelta(days=60)
            )
            Certification.objects.create(
                agent=demo,
                queue=queues["aftersales"],
                certified_on=today - dt.timedelta(days=340),
                expires_on=today + dt.timedelta(days=25),
            )

        # sessions with attendance and ratings
        for programme, people in ((new_hire, nesting), (tenured, veterans[:6])):
            for k, milestone in enumerate(programme.milestones.all()):
                session = Session.objects.create(
                    programme=programme,
                    milestone=milestone,
                    format=milestone.format,
                    held_on=today - dt.timedelta(days=40 - 3 * k),
                    trainer=trainer,
                )
                low, high = RATINGS[milestone.format]
                Attendance.objects.bulk_create(
                    Attendance(
                        session=session,
                        agent=a,
                        present=rng.random() > 0.1,
                        rating=rng.randint(low, high),
                    )
                    for a in people
                )
        Session.objects.create(
            programme=leads,
            milestone=leads.milestones.first(),
            format="role_play",
            held_on=today + dt.timedelta(days=7),
            trainer=trainer,
        )

        # graduates of earlier cohorts hold certifications
        for agent in veterans[:6]:
            Certification.objects.create(
                agent=agent,
                queue=queues["aftersales"],
                certified_on=today - dt.timedelta(days=200),
                expires_on=today + dt.timedelta(days=165),
            )

        # the long-term plan, quarter by quarter
        year, quarter = quarter_of(today)
        plan = TrainingPlan.objects.create(
            site=site,
            name=f"{year}–{year + 2} 客服培训规划",
            first_year=year - 1,
            last_year=year + 2,
            aim="从“讲业务”转向“练素质”：案例、游戏、角色扮演为主，分层施训，小目标按季度落地。",
        )
        goals = (
            "建成首批50个质检案例",
            "带教师认证（8人）",
            "新人哺育期缩短至6周",
            "投诉处理情景闯关上线",
            "班组长GROW辅导全员过关",
            "素质课占比达到50%",
            "季度培训满意度≥4.3",
            "知识库与考试题库打通",
        )
        for k, title in enumerate(goals):
            q_index = (year * 4 + quarter - 1) - 4 + k  # four quarters back to three ahead
            goal_year, goal_quarter = divmod(q_index, 4)
            goal_quarter += 1
            past = (goal_year, goal_quarter) < (year, quarter)
            status = (
                ("done" if rng.random() < 0.7 else "dropped")
                if past
                else ("in_progress" if (goal_year, goal_quarter) == (year, quarter) else "planned")
            )
            PlanGoal.objects.create(
                plan=plan,
                year=goal_year,
                quarter=goal_quarter,
                title=title,
                status=status,
                tier=(
                    "new_hire",
                    "trainer",
                    "new_hire",
                    "tenured",
                    "lead",
                    "tenured",
                    "tenured",
                    "trainer",
                )[k],
            )

        # cases: the best and the worst released inspections, and top performers' know-how
        released = Evaluation.objects.filter(
            team__site=site,
            kind=EvaluationKind.INSPECTION,
            status=EvaluationStatus.RELEASED,
            score__isnull=False,
        ).select_related("team", "agent__team", "version")
        qa_user = context.users.get("qa")
        for item, kind in [(e, "best") for e in released.order_by("-score", "pk")[:2]] + [
            (e, "worst") for e in released.order_by("score", "pk")[:2]
        ]:
            services.case_from_evaluation(item, kind, user=qa_user)
        for know_how in KnowHow.objects.order_by("pk")[:3]:
            services.case_from_know_how(know_how, site, user=trainer)
