"""The plan list names each goal's KPI as the performance app labels it, not by its code."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhiren.coaching.models import ImprovementPlan, PlanGoal


def test_plan_list_shows_kpi_labels_joined_for_the_language(world, client):
    day = dt.date(2026, 3, 2)
    plan = ImprovementPlan.objects.create(agent=world.agent, lead=world.user("lead"), started_on=day,
                                          review_on=day + dt.timedelta(days=30))
    PlanGoal.objects.create(plan=plan, kpi="fcr", baseline=60, target=75)
    PlanGoal.objects.create(plan=plan, kpi="csat", baseline=70, target=85)
    client.force_login(world.user("lead"))
    client.cookies["django_language"] = "zh-hans"
    zh = client.get(reverse("coaching:plan_list")).content.decode()
    assert "fcr, csat" not in zh and "csat, fcr" not in zh
    assert "首次解决率、客户满意度" in zh or "客户满意度、首次解决率" in zh
    client.cookies["django_language"] = "en"
    en = client.get(reverse("coaching:plan_list")).content.decode()
    assert ("First contact resolution, Customer satisfaction" in en
            or "Customer satisfaction, First contact resolution" in en)
