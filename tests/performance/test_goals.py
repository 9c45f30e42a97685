"""Goal cascade: rate targets add up weighted by contact volume (hand-computed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiren.performance.goals import cascade_sum
from zhiren.performance.models import Goal, GoalLevel
from zhiren.performance.selectors import goal_progress

from .test_views import load_days


def test_cascade_weighs_rate_targets_by_volume():
    # Team X handles 300 contacts aiming at 320 s, team Y 100 contacts aiming at 200 s:
    # (320·300 + 200·100) / 400 = 290 s, not the plain mean of 260 s.
    result = cascade_sum("aht", 280, [(320, 300), (200, 100)])
    assert result["combined"] == pytest.approx(290.0)
    assert result["covers"] is False  # 290 s is slower than the manager's 280 s
    assert cascade_sum("aht", 295, [(320, 300), (200, 100)])["covers"] is True


def test_cascade_sums_counts_and_falls_back_to_the_mean_without_volume():
    assert cascade_sum("volume", 1000, [(600, 0), (500, 0)])["combined"] == 1100
    result = cascade_sum("csat", 85, [(80, 0), (90, 0)])
    assert result["combined"] == pytest.approx(85.0) and result["covers"] is True
    assert cascade_sum("csat", 85, [])["combined"] is None


@pytest.mark.django_db
def test_goal_page_weighs_team_targets_by_handled_contacts(world, client_for):
    # 3 days × 2 contacts: team A1 (A1001, A1002) handles 12 contacts, team A2 (A2001) 6.
    load_days(world, 3)
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today + timedelta(days=20)
    parent = Goal.objects.create(title="site", level=GoalLevel.SITE, site=world.site_a, kpi="aht", target=270,
                                 start=start, end=end, owner=world.user("manager"), rationale="r")
    for team, target in ((world.team_a1, 320), (world.team_a2, 200)):
        Goal.objects.create(title=team.code, level=GoalLevel.TEAM, team=team, kpi="aht", target=target,
                            start=start, end=end, owner=world.user("manager"), rationale="r", parent=parent)
    client = client_for(world.user("manager"))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("performance:goal_detail", kwargs={"pk": parent.pk})).content.decode()
    # (320·12 + 200·6) / 18 = 280 s > 270 s: short of the goal (a plain mean, 260 s, would pass).
    assert "280s" in page
    assert "targets weighted by contact volume" in page.lower()
    assert "falls short of the goal above" in page


@pytest.mark.django_db
def test_goal_progress_per_subject_and_period(world):
    # 4 days × 2 contacts for A1001 (AHT 330 s, CSAT 2), A1002 (AHT 141 s, CSAT 5), A2001 (330 s), B1001 (330 s)
    load_days(world, 4)
    today = timezone.localdate()

    def goal(level, kpi, start, end, **subject):
        return Goal.objects.create(title=level, level=level, kpi=kpi, target=1, start=start, end=end,
                                   owner=world.user("admin"), rationale="r", **subject)

    goals = [
        goal(GoalLevel.AGENT, "aht", today - timedelta(days=1), today + timedelta(days=5), agent=world.peer),
        goal(GoalLevel.TEAM, "aht", today - timedelta(days=10), today, team=world.team_a1),
        goal(GoalLevel.SITE, "csat", today - timedelta(days=10), today, site=world.site_a),
        goal(GoalLevel.SITE, "volume", today - timedelta(days=2), today, site=world.site_b),
        goal(GoalLevel.TEAM, "aht", today + timedelta(days=1), today + timedelta(days=9), team=world.team_a1),
    ]
    rows = goal_progress(goals, today)
    assert rows[0]["actual"] == pytest.approx(141.0) and rows[0]["volume"] == 4  # 2 days × 2 contacts
    assert rows[1]["actual"] == pytest.approx((330 + 141) / 2) and rows[1]["volume"] == 16
    # site A: A1001 (2), A1002 (5), A2001 (2) rate 8 contacts each → 8 of 24 satisfied
    assert rows[2]["actual"] == pytest.approx(100 * 8 / 24) and rows[2]["volume"] == 24
    assert rows[3]["actual"] == 6  # B1001: 3 days × 2 contacts
    assert rows[4]["actual"] is None and rows[4]["status"] == "not_started"
