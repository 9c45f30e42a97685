"""The dashboards' figures equal the KPI formulas over plainly summed rollup rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiren.performance import kpis, selectors
from zhiren.performance.kpis import SUM_FIELDS
from zhiren.performance.models import DailyStat

from .test_views import load_days

pytestmark = pytest.mark.django_db


def _plain(**filters):
    """Sums of the matching rollup rows, added up in Python row by row."""
    total = dict.fromkeys(SUM_FIELDS, 0)
    for row in DailyStat.objects.filter(**filters).values(*SUM_FIELDS):
        for key in SUM_FIELDS:
            total[key] += row[key]
    return total


def test_team_dashboard_equals_plain_sums(world):
    load_days(world, 6, per_day=3)
    load_days(world, 3, per_day=1, agents=("A1001",), prefix="X")  # uneven volume
    today = timezone.localdate()
    flt = selectors.Filters(start=today - timedelta(days=3), end=today, period="custom")
    data = selectors.team_dashboard(world.user("lead"), world.team_a1, flt)
    in_period = {"team": world.team_a1, "agent__isnull": False, "day__gte": flt.start, "day__lte": flt.end}
    cards = {c["code"]: c for c in data["cards"]}
    totals = _plain(**in_period)
    previous = _plain(team=world.team_a1, agent__isnull=False, day__gte=flt.start - timedelta(days=4),
                      day__lt=flt.start)
    for code in kpis.TEAM_KPIS:
        assert cards[code]["value"] == pytest.approx(kpis.KPIS[code].value(totals)), code
        before = kpis.KPIS[code].value(previous)
        if before is not None and cards[code]["value"] is not None:
            assert cards[code]["change"] == pytest.approx(cards[code]["value"] - before), code
    for line in data["lines"]:
        mine = _plain(agent=line.agent, **in_period)
        assert line.kpis == pytest.approx(kpis.values(mine, kpis.AGENT_KPIS)), line.agent
        assert line.spark == [
            selectors._rounded(kpis.KPIS["csat"].value(_plain(agent=line.agent, day=d, team=world.team_a1)))
            for d in flt.days
        ]
    for i, day in enumerate(flt.days):
        for code in selectors.TREND_KPIS:
            expected = kpis.KPIS[code].value(_plain(team=world.team_a1, agent__isnull=False, day=day))
            assert data["trend"][code][i] == selectors._rounded(expected), (code, day)
    assert [ln.agent.employee_no for ln in data["lines"]] == ["A1001", "A1002"]  # by volume
    assert data["lines"][0].kpis["volume"] == 3 * 4 + 3  # 3 a day for 4 days, plus 3 extra


def test_agent_dashboard_medians_and_own_days(world):
    load_days(world, 5, per_day=2)
    today = timezone.localdate()
    flt = selectors.Filters(start=today - timedelta(days=4), end=today, period="custom")
    data = selectors.agent_dashboard(world.user("agent"), world.agent, flt)
    cards = {c["code"]: c for c in data["cards"]}
    period = {"day__gte": flt.start, "day__lte": flt.end}
    own = _plain(agent=world.agent, **period)
    peer = _plain(agent=world.peer, **period)
    assert cards["aht"]["value"] == pytest.approx(330.0)  # talk 300 + after-contact work 30
    assert cards["aht"]["median"] == pytest.approx((330.0 + 141.0) / 2)  # the two agents' median
    assert cards["csat"]["median"] == pytest.approx(
        (kpis.KPIS["csat"].value(own) + kpis.KPIS["csat"].value(peer)) / 2)
    assert [row["day"] for row in data["daily"]] == list(reversed(flt.days))
    assert data["trend"]["aht_median"] == [pytest.approx(235.5)] * 5
