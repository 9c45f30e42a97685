"""Fixtures for the workforce app tests: a site with a queue, history and shift templates."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from zhiren.performance.models import IntervalStat
from zhiren.workforce.models import Queue, ShiftTemplate
from zhiren.workforce.planning import services


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def add_history(team, queue_name: str, end: date, days: int = 28, per_slot: float = 6.0) -> None:
    rng = random.Random(1)
    rows = []
    for n in range(days):
        day = end - timedelta(days=n)
        for slot in range(36, 84):  # 09:00-21:00
            offered = max(0, int(rng.gauss(per_slot, 1.5)))
            rows.append(IntervalStat(day=day, slot=slot, team=team, queue=queue_name, channel="voice",
                                     offered=offered, answered=offered, handle_sum=offered * 240))
    IntervalStat.objects.bulk_create(rows)


@pytest.fixture
def wfm(world):
    """Site A set up for planning: one voice queue with 4 weeks of history, one 8-hour template."""
    services.ensure_site_setup(world.site_a)
    ShiftTemplate.objects.filter(site=world.site_a).delete()
    ShiftTemplate.objects.create(
        site=world.site_a, name="day", earliest_start=9 * 60, latest_start=13 * 60, length_minutes=8 * 60,
        start_step=60, breaks=[{"kind": "lunch", "length": 30, "earliest_after": 180, "latest_after": 300}],
    )
    queue = Queue.objects.create(site=world.site_a, code="after", name="售后热线", history_name="售后热线",
                                 channel="voice")
    add_history(world.team_a1, "售后热线", date.today() - timedelta(days=1), per_slot=3.0)
    return queue
