"""The dashboards' figures equal the KPI formulas over plainly summed rollup rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiren.imports.services import run_import
from zhiren.performance import kpis, selectors
from zhiren.performance.kpis import SUM_FIELDS
from zhiren.performance.models import DailyStat

from .helpers import contact, csv_bytes
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


def test_agent_intraday_from_the_interval_rollup(world, client_for):
    # 3 days, contacts at 09:00 and 10:00 each day (AHT 330 s); on one day two more at 09:20 and 09:40.
    load_days(world, 3, per_day=2, agents=("A1001",))
    today = timezone.localdate().isoformat()
    extra = [contact("E1", "A1001", today, "09:20:00", talk=100, acw=0),
             contact("E2", "A1001", today, "09:40:00", talk=200, acw=0)]
    assert run_import("interactions", csv_bytes(extra), "e.csv").ok
    flt = selectors.Filters(start=timezone.localdate() - timedelta(days=6), end=timezone.localdate(), period="7")
    data = selectors.agent_dashboard(world.user("agent"), world.agent, flt)["intraday"]
    assert data["days"] == 3
    at = {slot: (data["volume"][i], data["aht"][i]) for i, slot in enumerate(data["slots"])}
    assert at["09:00"] == (pytest.approx(4 / 3, abs=0.01), pytest.approx((3 * 330 + 100) / 4))  # 09:00 + 09:20
    assert at["09:30"] == (pytest.approx(1 / 3, abs=0.01), 200.0)
    assert at["10:00"] == (1.0, 330.0)
    assert at["11:00"] == (0, None)
    page = client_for(world.user("agent")).get("/performance/me/").content.decode()
    assert 'data-testid="chart-intraday"' in page


def test_overview_equals_plain_sums(world):
    load_days(world, 4, per_day=2)
    rows = [contact("AB1", "", timezone.localdate().isoformat(), "09:00:00", answered=False, wait=40)]
    assert run_import("interactions", csv_bytes(rows), "ab.csv").ok
    today = timezone.localdate()
    flt = selectors.Filters(start=today - timedelta(days=6), end=today, period="7")
    data = selectors.overview(world.user("admin"), flt)
    period = {"day__gte": flt.start, "day__lte": flt.end}
    for row in data["teams"]:
        expected = kpis.values(_plain(team=row["team"], **period), kpis.TEAM_KPIS)
        assert row["kpis"] == pytest.approx(expected), row["team"]
    everything = _plain(**period)
    cards = {c["code"]: c["value"] for c in data["cards"]}
    assert cards == pytest.approx(kpis.values(everything, kpis.QUEUE_KPIS))
    assert cards["abandon_rate"] == pytest.approx(100 / everything["offered"])  # the one long abandon
    assert sum(data["intraday"]["offered"]) == pytest.approx(everything["offered"] / 7, abs=0.05)  # rounded per slot
