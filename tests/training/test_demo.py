"""The training demo loader on a small Hangzhou site: every kind of row, rerunnable."""

import datetime as dt
import random

from tests.factories import AgentFactory, SiteFactory, TeamFactory, UserFactory
from zhiren.core.registries import DemoContext, demo_loaders
from zhiren.training import demo, selectors
from zhiren.training.models import (
    Attempt,
    Attendance,
    Certification,
    Cohort,
    Enrolment,
    Extension,
    PlanGoal,
    Programme,
)


def test_demo_loads_and_reruns(db):
    assert "training" in [e.name for e in demo_loaders.entries()]
    site = SiteFactory(code="hz", name="杭州")
    team = TeamFactory(site=site, code="hz-aftersales")
    agents = [
        AgentFactory(team=team, hire_date=dt.date(2025, 1, 1) + dt.timedelta(days=20 * n))
        for n in range(12)
    ]
    trainer = UserFactory(username="trainer")
    agent_user = UserFactory(username="agent")
    agents[-1].user = agent_user
    agents[-1].save()
    context = DemoContext(
        dt.date(2026, 3, 11), random.Random(1), {"trainer": trainer, "agent": agent_user}
    )
    demo.load(context)
    assert Programme.objects.count() == 3
    cohort = Cohort.objects.get()
    assert cohort.enrolments.count() == 4 and Extension.objects.count() == 1
    assert (
        Attempt.objects.filter(mode="pre").exists()
        and Attempt.objects.filter(mode="final").exists()
    )
    assert Attendance.objects.exclude(rating=None).exists()
    assert (
        PlanGoal.objects.filter(status="done").exists()
        and PlanGoal.objects.filter(status="planned").exists()
    )
    assert Certification.objects.filter(agent=agents[-1]).exists()
    assert Enrolment.objects.filter(agent=agents[-1]).exists()
    limits = selectors.nesting_queue_limits(
        [a.pk for a in agents], dt.date(2026, 3, 9), dt.date(2026, 3, 15)
    )
    assert set(next(iter(limits.values()))) == {
        "aftersales",
        "presales",
    }  # week 3: the moderate stage
    counts = (
        Programme.objects.count(),
        Enrolment.objects.count(),
        Attempt.objects.count(),
        Certification.objects.count(),
    )
    demo.load(context)
    assert (
        Programme.objects.count(),
        Enrolment.objects.count(),
        Attempt.objects.count(),
        Certification.objects.count(),
    ) == counts
