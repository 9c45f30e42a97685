"""Building training data for the tests (also used by the permission cases)."""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2026, 3, 2)  # a Monday before the frozen "now" (2026-03-11)


def queue(site, code="faq", history_name=""):
    from zhiren.workforce.models import Queue

    found, _ = Queue.objects.get_or_create(
        site=site, code=code, defaults={"name": code, "history_name": history_name}
    )
    return found


def programme(site, *, name="新员工培训", with_queue=True, quiz=False, **fields):
    from zhiren.training.models import Milestone, Programme

    item = Programme.objects.create(
        site=site, name=name, queue=queue(site) if with_queue else None, **fields
    )
    Milestone.objects.create(
        programme=item, order=1, title="产品知识", topic="product", format="case_study"
    )
    Milestone.objects.create(
        programme=item, order=2, title="服务礼仪", topic="soft_skills", format="role_play"
    )
    if quiz:
        item.certification_quiz = make_quiz(site, item)
        item.save(update_fields=["certification_quiz"])
    return item


def make_quiz(site, prog=None, n=3, title="上岗考试"):
    from zhiren.training.models import Item, Quiz

    found = Quiz.objects.create(site=site, programme=prog, title=title, pass_mark=60)
    for k in range(n):
        found.items.add(
            Item.objects.create(
                site=site, stem=f"问题{k + 1}", choices=["甲", "乙", "丙"], key=k % 3
            )
        )
    return found


def cohort(prog, starts_on=DAY, **fields):
    from zhiren.training.models import Cohort

    fields.setdefault(
        "exposure",
        [
            {"key": "simple", "weeks": 2, "queues": ["faq"]},
            {"key": "moderate", "weeks": 2, "queues": ["faq", "orders"]},
        ],
    )
    return Cohort.objects.create(programme=prog, name="三月班", starts_on=starts_on, **fields)


def enrolment(agent, prog=None, *, nesting=True, status=None, **fields):
    from zhiren.training.models import Enrolment

    prog = prog or programme(agent.team.site)
    group = cohort(prog) if nesting else None
    return Enrolment.objects.create(
        programme=prog,
        agent=agent,
        cohort=group,
        enrolled_on=DAY - dt.timedelta(days=14),
        status=status or ("nesting" if nesting else "active"),
        **fields,
    )


def session(prog, day=DAY, fmt="role_play"):
    from zhiren.training.models import Session

    return Session.objects.create(programme=prog, held_on=day, format=fmt)


def attendance(agent, prog=None, rating=None):
    from zhiren.training.models import Attendance

    prog = prog or programme(agent.team.site)
    return Attendance.objects.create(
        session=session(prog), agent=agent, present=True, rating=rating
    )


def plan(site):
    from zhiren.training.models import PlanGoal, TrainingPlan

    item = TrainingPlan.objects.create(
        site=site, name="三年培训规划", first_year=2025, last_year=2027
    )
    PlanGoal.objects.create(plan=item, year=2025, quarter=4, title="案例库建成", status="done")
    PlanGoal.objects.create(plan=item, year=2025, quarter=4, title="带教师认证", status="dropped")
    PlanGoal.objects.create(plan=item, year=2026, quarter=1, title="角色扮演工作坊")
    return item
