"""A lead opens the team dashboard, changes the period, sees the charts drawn and a goal's progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ..world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data(world):
    from tests.performance.helpers import contact, csv_bytes
    from zhiren.imports.services import run_import
    from zhiren.performance.models import Goal, GoalLevel

    today = timezone.localdate()
    rows = []
    for d in range(40):
        day = (today - timedelta(days=d)).isoformat()
        rows.append(contact(f"P{d}a", "A1001", day, "09:00:00", csat="5", talk=250))
        rows.append(contact(f"P{d}b", "A1002", day, "10:00:00", csat="3", talk=420))
    assert run_import("interactions", csv_bytes(rows), "p.csv").ok
    Goal.objects.create(
        title="满意度冲刺", level=GoalLevel.TEAM, team=world.team_a1, kpi="csat", target=80, start=today - timedelta(days=9),
        end=today + timedelta(days=20), owner=world.user("lead"), rationale="大促后提升体验",
    )


def test_lead_team_dashboard_charts_and_goal(page_for, live_server):
    world = build_world()
    _data(world)
    page = page_for("lead")
    page.goto(f"{live_server.url}/performance/")
    page.wait_for_url(f"**/performance/teams/{world.team_a1.pk}/")
    ranking = page.get_by_test_id("ranking").inner_text()
    assert "张三" in ranking and "李四" in ranking
    page.select_option("[data-testid=period-select]", "90")
    page.wait_for_url("**period=90**")
    assert page.locator("[data-testid=period-select]").input_value() == "90"
    page.wait_for_function("document.querySelector('[data-testid=chart-trend] canvas') !== null")
    series = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-testid=chart-trend]'));
            return chart.getOption().series.map(s => s.data.filter(v => v !== null).length);
        }"""
    )
    assert series and series[0] >= 40  # 40 days of contacts drawn in the 90-day window
    assert page.locator("[data-testid=chart-distribution] canvas").count() == 1
    goal = page.get_by_test_id("goal").first
    assert "满意度冲刺" in goal.inner_text()
    assert "50.0%" in goal.inner_text()  # half of the ratings are 4–5
    width = page.get_by_test_id("goal-progress").first.evaluate("el => el.style.width")
    assert width == "62%"  # 50 % of an 80 % target
    # Screen readers get the same: the bar's name and value, the chart's data as a table.
    bar = page.locator("[role=progressbar]").first
    assert "满意度冲刺" in bar.get_attribute("aria-label") and bar.get_attribute("aria-valuenow") == "62"
    table = page.locator("[data-chart-alt=chart-trend] table")
    assert table.locator("caption").inner_text() == "每日趋势"
    assert table.locator("tbody tr").count() >= 40
    assert page.get_by_test_id("chart-trend").get_attribute("aria-hidden") == "true"
