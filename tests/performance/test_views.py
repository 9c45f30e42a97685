"""Dashboards: scope (agent: own numbers only; lead: own teams), query counts, goals and appraisals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhiren.imports.services import run_import
from zhiren.performance.appraisal import score_appraisals
from zhiren.performance.goals import status
from zhiren.performance.models import (
    Appraisal,
    AppraisalComponent,
    AppraisalCycle,
    AppraisalTemplate,
    ComponentKind,
    Goal,
    GoalLevel,
)

from ..factories import AgentFactory
from .helpers import contact, csv_bytes

pytestmark = pytest.mark.django_db


def load_days(world, days: int, per_day: int = 2, agents=("A1001", "A1002", "A2001", "B1001"), prefix="V"):
    today = timezone.localdate()
    rows = []
    for d in range(days):
        day = (today - timedelta(days=d)).isoformat()
        for a in agents:
            for n in range(per_day):
                csat = "5" if a == "A1002" else "2"
                rows.append(contact(f"{prefix}{a}{d}-{n}", a, day, f"{9 + n:02d}:00:00", talk=111 if a == "A1002" else 300,
                                    csat=csat, customer=f"{a}-{d}-{n}"))
    assert run_import("interactions", csv_bytes(rows), "v.csv").ok


def test_agent_sees_own_numbers_and_team_median_only(world, client_for):
    load_days(world, 5)
    client = client_for(world.user("agent"))
    body = client.get(reverse("performance:mine")).content.decode()
    assert "A1001" in body
    assert "李四" not in body and "A1002" not in body and "王五" not in body
    assert "111" not in body.replace("1110", "")  # the peer's AHT (111 s) appears nowhere, only the median
    assert client.get(reverse("performance:agent", kwargs={"pk": world.peer.pk})).status_code == 404
    assert client.get(reverse("performance:team", kwargs={"pk": world.team_a1.pk})).status_code == 404
    export = client.get(reverse("performance:export", kwargs={"table": "ranking", "fmt": "csv"})).content.decode("utf-8-sig")
    assert "A1001" in export and "A1002" not in export


def test_lead_sees_own_team_only(world, client_for):
    load_days(world, 3)
    client = client_for(world.user("lead"))
    body = client.get(reverse("performance:team", kwargs={"pk": world.team_a1.pk})).content.decode()
    assert "张三" in body and "李四" in body and "赵六" not in body
    assert client.get(reverse("performance:team", kwargs={"pk": world.team_a2.pk})).status_code == 404
    assert client.get(reverse("performance:agent", kwargs={"pk": world.far.pk})).status_code == 404
    export = client.get(
        reverse("performance:export", kwargs={"table": "ranking", "fmt": "csv"}), {"team": world.team_b1.pk}
    )
    assert export.status_code == 404
    overview = client.get(reverse("performance:overview")).content.decode()
    assert "售后一组" in overview and "投诉组" not in overview


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("page", ["team", "mine", "overview"])
def test_query_counts_do_not_grow_with_data(world, client_for, page):
    role = "agent" if page == "mine" else "lead"
    kwargs = {"pk": world.team_a1.pk} if page == "team" else {}
    url = reverse(f"performance:{page}", kwargs=kwargs)
    client = client_for(world.user(role))
    load_days(world, 2, per_day=1)
    Goal.objects.create(title="g1", level=GoalLevel.AGENT, agent=world.agent, kpi="aht", target=300,
                        start=date.today() - timedelta(days=5), end=date.today() + timedelta(days=5),
                        owner=world.user("lead"), rationale="r")
    small = _count(client, url, {"period": "30"})
    for n in range(5):
        AgentFactory(team=world.team_a1, employee_no=f"A19{n}")
    load_days(world, 20, per_day=3, agents=("A1001", "A1002", "A2001", "A190", "A191", "A192"), prefix="W")
    for n in range(4):
        Goal.objects.create(title=f"g{n + 2}", level=GoalLevel.TEAM, team=world.team_a1, kpi="csat", target=85,
                            start=date.today() - timedelta(days=5), end=date.today() + timedelta(days=5),
                            owner=world.user("lead"), rationale="r")
    assert _count(client, url, {"period": "30"}) == small


def test_goal_status_flags_risk_before_the_end():
    assert status("csat", 80.0, 85.0, 0.5) == "at_risk"
    assert status("csat", 80.0, 85.0, 0.1) == "on_track"  # too early to tell
    assert status("csat", 90.0, 85.0, 0.5) == "on_track"
    assert status("aht", 400.0, 360.0, 1.0) == "missed"
    assert status("volume", 300.0, 1000.0, 0.5) == "at_risk"  # 300 < 90 % of the pro-rata 500
    assert status("volume", 480.0, 1000.0, 0.5) == "on_track"
    assert status("csat", None, 85.0, 0.5) == "no_data"


def test_goal_progress_and_cascade_page(world, client_for):
    load_days(world, 3)
    today = timezone.localdate()
    parent = Goal.objects.create(title="site", level=GoalLevel.SITE, site=world.site_a, kpi="csat", target=60,
                                 start=today - timedelta(days=10), end=today + timedelta(days=20),
                                 owner=world.user("manager"), rationale="r")
    child = Goal.objects.create(title="team", level=GoalLevel.TEAM, team=world.team_a1, kpi="csat", target=55,
                                start=parent.start, end=parent.end, owner=world.user("lead"), rationale="r",
                                parent=parent)
    client = client_for(world.user("lead"))
    page = client.get(reverse("performance:goal_detail", kwargs={"pk": child.pk})).content.decode()
    assert "50.0%" in page  # team A1: A1001 rates 2, A1002 rates 5 → half satisfied
    manager = client_for(world.user("manager"))
    manager.cookies["django_language"] = "en"
    page = manager.get(reverse("performance:goal_detail", kwargs={"pk": parent.pk}))
    assert "falls short of the goal above" in page.content.decode()


def test_lead_creates_goal_in_scope_only(world, client_for):
    client = client_for(world.user("lead"))
    data = {"title": "AHT", "level": "agent", "agent": world.agent.pk, "kpi": "aht", "target": "300",
            "start": "2024-03-01", "end": "2024-03-31", "rationale": "queue at peak"}
    response = client.post(reverse("performance:goals"), data)
    assert response.status_code == 302 and Goal.objects.get().owner == world.user("lead")
    response = client.post(reverse("performance:goals"), {**data, "agent": world.far.pk})
    assert response.status_code == 200 and Goal.objects.count() == 1


def test_appraisal_missing_components_are_missing_not_zero(world, client_for):
    load_days(world, 3)
    template = AppraisalTemplate.objects.create(name="t")
    AppraisalComponent.objects.create(template=template, kind=ComponentKind.KPI, label="CSAT", kpi="csat", weight=50,
                                      bands=[[90, 100], [40, 70]])
    AppraisalComponent.objects.create(template=template, kind=ComponentKind.QA, label="QA", weight=30)
    AppraisalComponent.objects.create(template=template, kind=ComponentKind.BEHAVIOUR, label="B", weight=20)
    today = timezone.localdate()
    cycle = AppraisalCycle.objects.create(name="Q", template=template, start=today - timedelta(days=30), end=today)
    appraisal = Appraisal.objects.create(cycle=cycle, agent=world.agent, team=world.team_a1)
    card = score_appraisals([appraisal])[0]
    assert card["missing"] == ["QA", "B"]
    assert card["score"] == 0.0 and card["coverage"] == pytest.approx(0.5)  # CSAT 0 % → band score 0; rest missing
    agent_client = client_for(world.user("agent"))
    url = reverse("performance:appraisal_detail", kwargs={"pk": appraisal.pk})
    assert agent_client.post(url, {"action": "self", "self-text": "我做到了"}).status_code == 302
    lead_client = client_for(world.user("lead"))
    assert lead_client.post(url, {"action": "lead", "lead-text": "好", "lead-behaviour_rating": "4"}).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.stage == "sign_off" and appraisal.score == pytest.approx((0 * 50 + 80 * 20) / 70)
    agent_client = client_for(world.user("agent"))  # the test client is shared: log the agent in again
    assert agent_client.post(url, {"action": "sign"}).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.stage == "signed" and appraisal.signed_at is not None
    page = client_for(world.user("lead")).get(reverse("performance:cycle_detail", kwargs={"pk": cycle.pk}))
    assert page.status_code == 200
