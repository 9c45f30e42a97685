"""KPI formulas on a hand-computed day: abandons (short and long), transfers, missing CSAT, repeats."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from zhiren.imports.services import run_import
from zhiren.performance import kpis
from zhiren.performance.kpis import SUM_FIELDS, band_score, weighted_score
from zhiren.performance.models import DailyStat

from .helpers import contact, csv_bytes

DAY = "2024-03-04"


def _sums(**filters):
    return DailyStat.objects.filter(**filters).aggregate(**{f: Sum(f) for f in SUM_FIELDS})


@pytest.fixture
def day(world):
    rows = [
        # agent A1001: 3 handled; waits 10, 30, 5; handle (talk+hold+acw) 230, 150, 400
        contact("K1", "A1001", DAY, "09:00:00", wait=10, talk=200, acw=30, csat="5", customer="u1"),
        contact("K2", "A1001", DAY, "09:30:00", wait=30, talk=100, acw=50, csat="3", customer="u2",
                resolved="否"),
        contact("K3", "A1001", DAY, "10:00:00", wait=5, talk=300, hold=60, acw=40, transferred="是",
                customer="u3"),
        # agent A1002: 1 handled, no rating, no customer id; resolution unknown
        contact("K4", "A1002", DAY, "10:10:00", wait=20, talk=100, acw=20, resolved=""),
        # u1 comes back 2 days later (handled by A1002): K1 is no first-contact resolution
        contact("K5", "A1002", "2024-03-06", "09:00:00", wait=8, talk=100, csat="4", customer="u1"),
        # abandons: one short (3 s, left out of SL and abandon rate), one after 50 s
        contact("K6", "", DAY, "10:20:00", answered=False, wait=3),
        contact("K7", "", DAY, "10:30:00", answered=False, wait=50),
    ]
    result = run_import("interactions", csv_bytes(rows), "day.csv")
    assert result.ok, [str(e) for e in result.errors]
    return world


def test_agent_formulas(day):
    s = _sums(agent=day.agent, day=date(2024, 3, 4))
    values = kpis.values(s)
    assert values["volume"] == 3
    assert values["aht"] == pytest.approx((230 + 150 + 400) / 3)
    assert values["asa"] == pytest.approx((10 + 30 + 5) / 3)
    assert values["csat"] == pytest.approx(50.0)  # one of two ratings is 4–5; the unrated contact is left out
    assert values["csat_avg"] == pytest.approx(4.0)
    assert values["transfer_rate"] == pytest.approx(100 / 3)
    assert values["resolution_rate"] == pytest.approx(200 / 3)  # K2 not resolved
    # FCR: K1 repeated (u1 back within 7 days), K2 unresolved, K3 ok → 1 of 3
    assert values["fcr"] == pytest.approx(100 / 3)
    assert values["nps"] is None  # nobody answered: missing, not zero
    assert values["frt"] is None


def test_queue_formulas_with_abandons(day):
    s = _sums(day=date(2024, 3, 4))
    values = kpis.values(s)
    assert s["offered"] == 6 and s["abandoned"] == 2 and s["short_abandoned"] == 1
    # SL (20 s, voice): K1 (10), K3 (5), K4 (20) answered in time; K2 (30) not → 3 / (6 − 1 short abandon)
    assert values["service_level"] == pytest.approx(60.0)
    assert values["abandon_rate"] == pytest.approx(20.0)  # 1 long abandon / 5
    assert values["resolution_rate"] == pytest.approx(200 / 3)  # K4's resolution is unknown: left out
    assert DailyStat.objects.filter(day=date(2024, 3, 4), agent__isnull=True).get().abandoned == 2


def test_empty_sums_are_missing_not_zero():
    values = kpis.values({})
    assert all(v is None for code, v in values.items() if code not in ("volume", "offered"))


def test_band_and_weighted_scores():
    bands = [[90, 100], [80, 80], [70, 60]]
    assert band_score(92, bands, True) == 100
    assert band_score(75, bands, True) == 60
    assert band_score(50, bands, True) == 0
    assert band_score(None, bands, True) is None
    assert band_score(300, [[330, 100], [400, 80]], False) == 100
    score, coverage = weighted_score([(80, 60), (None, 20), (100, 20)])
    assert score == pytest.approx((80 * 60 + 100 * 20) / 80) and coverage == pytest.approx(0.8)
    assert weighted_score([(None, 50)]) == (None, 0.0)
