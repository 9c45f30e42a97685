from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


def add_stats(agent, *, csat=(90, 100), fcr=(80, 100), days=10, end=None, aht=300):
    """Daily KPI rows for an agent: csat/fcr as (hits, base) per day."""
    from zhiren.performance.models import DailyStat

    end = end or timezone.localdate()
    for n in range(days):
        DailyStat.objects.create(
            day=end - dt.timedelta(days=n), agent=agent, team=agent.team, channel="voice", queue="q",
            offered=100, answered=100, handle_sum=aht * 100, csat_count=csat[1], csat_top2=csat[0],
            fcr_base=fcr[1], fcr_hits=fcr[0], resolution_known=100, resolved=90,
        )


@pytest.fixture
def today():
    return timezone.localdate()
