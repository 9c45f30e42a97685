"""The demo's emotion cycles (issue #19, item 10): a Monday dip, a month-end low and a lift
before public holidays are planted, found by the nightly run and shown on the agent's own
page and on the lead's page of that agent, in both languages, whatever day the demo is loaded."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from zhiren.core.registries import DemoContext
from zhiren.demo.org_data import load as load_org
from zhiren.wellbeing import cycles, demo
from zhiren.wellbeing.models import CycleKind, MoodCycle

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _load(today: date) -> DemoContext:
    with time_machine.travel(
        datetime.combine(today, datetime.min.time(), SHANGHAI).replace(hour=9)
    ):
        context = DemoContext(today=today, rng=random.Random(7))
        load_org(context)
        demo.load(context)
    return context


# Days CI runs on and days far from any holiday (late August: the last one was in June).
@pytest.mark.django_db
@pytest.mark.parametrize(
    "today", [date(2026, 12, 6), date(2026, 9, 20), date(2026, 8, 26), date(2026, 3, 11)]
)
def test_demo_plants_three_cycles_the_nightly_run_finds(today):
    context = _load(today)
    found = {(c.agent_id, c.kind, c.key): c for c in MoodCycle.objects.all()}
    assert any(
        kind == cycles.WEEKDAY and key == 0 and c.effect < 0 for (_a, kind, key), c in found.items()
    )
    assert any(kind == cycles.MONTH_END and c.effect < 0 for (_a, kind, _k), c in found.items())
    own = context.users["agent"].agent
    lift = found.get((own.pk, cycles.BEFORE_HOLIDAY, 0))
    assert lift is not None, [k for k in found if k[0] == own.pk]
    assert lift.effect >= 0.5 and lift.n_in >= 8 and lift.p_value < 0.05


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_agent_and_lead_pages_show_the_demo_cycles(client, lang, _clock):
    context = _load(date(2026, 12, 6))
    _clock.move_to(datetime(2026, 12, 6, 10, tzinfo=SHANGHAI))
    own = context.users["agent"].agent
    with translation.override(lang):
        label = translation.gettext("Days before a public holiday")
        month_end_label = str(CycleKind.MONTH_END.label)
    if lang == "zh-hans":
        assert label == "节前几天"
    client.force_login(context.users["agent"])
    client.cookies["django_language"] = lang
    response = client.get(reverse("wellbeing:my_moods"))
    assert response.status_code == 200
    body = response.content.decode()
    assert label in body and 'data-testid="no-cycles"' not in body
    # every block closed: an open header swallowed the page and widened it past a phone
    assert body.count("<div") == body.count("</div>")
    client.force_login(context.users["lead"])
    client.cookies["django_language"] = lang
    body = client.get(reverse("wellbeing:agent_moods", args=[own.pk])).content.decode()
    assert label in body and body.count("<div") == body.count("</div>")
    month_end = MoodCycle.objects.filter(kind=cycles.MONTH_END).first()
    body = client.get(reverse("wellbeing:agent_moods", args=[month_end.agent_id])).content.decode()
    assert month_end_label in body


def test_before_holiday_mask_marks_the_days_before_each_run_of_holidays():
    # National Day 1–7 October and a single holiday on 10 October.
    holidays = [date(2026, 10, d) for d in range(1, 8)] + [date(2026, 10, 10)]
    days = [date(2026, 9, 26) + timedelta(days=n) for n in range(16)]  # 26 Sep – 11 Oct
    mask = cycles.before_holiday_mask(np.array([d.toordinal() for d in days]), holidays, 3)
    marked = [d.isoformat() for d, m in zip(days, mask, strict=True) if m]
    assert marked == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]
    assert not cycles.before_holiday_mask(np.array([d.toordinal() for d in days]), [], 3).any()


def _holiday_series(seed: int, lift: float):
    """A year of check-ins six days a week; ``lift`` added on the three days before a holiday."""
    from chinese_calendar import get_holiday_detail

    rng = np.random.default_rng(seed)
    year = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    # statutory holidays (weekend days inside a holiday block included), not ordinary weekends
    holidays = [
        d for d in year if get_holiday_detail(d)[1] is not None and get_holiday_detail(d)[0]
    ]
    eves = cycles.before_holiday_mask(np.array([d.toordinal() for d in year]), holidays, 3)
    days, scores = [], []
    for day, eve in zip(year, eves, strict=True):
        if day.weekday() == 2 or day in holidays:
            continue  # a rest day, and nobody checks in on a holiday
        days.append(day)
        scores.append(int(np.clip(round(rng.normal(3.5 + (lift if eve else 0.0), 0.8)), 1, 5)))
    return days, scores, holidays


def test_finds_a_planted_lift_before_holidays_and_not_on_noise():
    found = sum(
        any(
            p.kind == cycles.BEFORE_HOLIDAY and not p.is_low
            for p in cycles.detect(d, s, holidays=h).patterns
        )
        for d, s, h in (_holiday_series(seed, lift=1.3) for seed in range(10))
    )
    assert found >= 9
    flagged = sum(
        any(p.kind == cycles.BEFORE_HOLIDAY for p in cycles.detect(d, s, holidays=h).patterns)
        for d, s, h in (_holiday_series(100 + seed, lift=0.0) for seed in range(40))
    )
    assert flagged <= 2


def test_without_holidays_the_days_before_them_are_not_tested():
    days, scores, holidays = _holiday_series(1, lift=1.3)
    assert not any(p.kind == cycles.BEFORE_HOLIDAY for p in cycles.detect(days, scores).tested)
    assert any(
        p.kind == cycles.BEFORE_HOLIDAY
        for p in cycles.detect(days, scores, holidays=holidays).tested
    )
    fast = cycles.detect(days, scores, holidays=holidays)
    slow = cycles.naive_detect(days, scores, holidays=holidays)
    lift = [p for p in fast.tested if p.kind == cycles.BEFORE_HOLIDAY][0]
    same = [p for p in slow.tested if p.kind == cycles.BEFORE_HOLIDAY][0]
    assert lift.p_value == pytest.approx(same.p_value, rel=1e-6) and lift.n_in == same.n_in
