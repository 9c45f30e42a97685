"""The discipline demo loader: something to show on every page, deterministic and rerunnable."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from zhiren.core.registries import DemoContext
from zhiren.demo.org_data import load as load_org
from zhiren.discipline import demo
from zhiren.discipline.models import AttendanceDay, Exemption, Rule, Violation


def snapshot():
    return (
        sorted(Rule.objects.values_list("title", "announced_on")),
        sorted(Violation.objects.values_list("agent__employee_no", "day", "kind", "consequence", "responded_at")),
        list(Exemption.objects.values_list("reason", flat=True)),
    )


@pytest.mark.django_db
def test_demo_loader_is_deterministic_and_idempotent():
    context = DemoContext(today=timezone.localdate(), rng=random.Random(1))
    load_org(context)
    demo.load(context)
    first = snapshot()
    demo.load(context)
    assert snapshot() == first
    today = context.today
    assert [r.title for r in Rule.objects.all() if r.status_on(today) == "grace"] == [demo.GRACE_RULE]
    assert Rule.objects.get(title=demo.ATTENDANCE_RULE).status_on(today) == "enforced"
    assert Exemption.objects.count() == 1
    # Attendance is judged on the rota's days, and the floor is staffed at weekends.
    assert {d.weekday() for d in AttendanceDay.objects.values_list("day", flat=True)} == set(range(7))
    unanswered = [v for v in Violation.objects.all() if v.is_open and timezone.now() - v.recorded_at
                  > timezone.timedelta(days=3)]
    assert unanswered, "the consistency report needs a broken window"

