"""The forecast's accuracy (holdout) is fitted once by a task and stored; the page only reads it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiren.performance.models import IntervalStat
from zhiren.workforce.dates import week_start
from zhiren.workforce.models import ForecastVersion
from zhiren.workforce.planning import forecasting
from zhiren.workforce.planning import services as planning

from .conftest import add_history, next_monday


def _no_fitting(monkeypatch):
    """Make any forecast fit fail the test: the page must not fit."""

    def refuse(*args, **kwargs):
        raise AssertionError("a forecast was fitted")

    monkeypatch.setattr(forecasting, "fit_forecast_model", refuse)
    monkeypatch.setattr(forecasting, "run_forecast", refuse)


def test_holdout_scores_each_past_week_with_the_engines_wape(wfm, world, monkeypatch):
    """Daily totals of 10 against a forecast of 12 are 20% off; a week without volume is skipped."""
    today = date.today()
    start = week_start(today) - timedelta(days=28)
    IntervalStat.objects.filter(queue="售后热线").delete()
    IntervalStat.objects.bulk_create(
        IntervalStat(day=start + timedelta(days=n), slot=40, team=world.team_a1, queue="售后热线",
                     channel="voice", offered=10, answered=10, handle_sum=3000)
        for n in range(28)
        if not 7 <= n < 14  # nothing happened in the second week
    )
    fitted_from = []

    def constant(queue, first, weeks, history_until=None):
        fitted_from.append(first)
        volume = [0.0] * 96
        volume[40] = 12.0
        days = [first + timedelta(days=n) for n in range(weeks * 7)]
        return forecasting.ForecastOutput({d.isoformat(): {"volume": volume, "aht": [300.0] * 96} for d in days}, [])

    monkeypatch.setattr(forecasting, "run_forecast", constant)
    result = forecasting.holdout(wfm, today)
    assert fitted_from == [start]  # fitted on the history before the four weeks only
    assert result.start == start
    assert [w["start"] for w in result.weeks] == [
        start.isoformat(), (start + timedelta(days=14)).isoformat(), (start + timedelta(days=21)).isoformat()
    ]
    assert all((w["actual"], w["forecast"], w["wape"]) == (70, 84, 20.0) for w in result.weeks)
    assert result.wape == 20.0


def test_holdout_without_history_scores_nothing(wfm, world, monkeypatch):
    IntervalStat.objects.filter(queue="售后热线").delete()
    _no_fitting(monkeypatch)
    result = forecasting.holdout(wfm, date.today())
    assert result.weeks == [] and result.wape is None


def test_the_task_stores_the_holdout_once(wfm, world, django_capture_on_commit_callbacks, monkeypatch):
    add_history(world.team_a1, "售后热线", date.today() - timedelta(days=29), days=56, per_slot=3.0)
    manager = world.user("manager")
    version = planning.create_forecast(manager, wfm, next_monday(), 1)
    version.refresh_from_db()
    assert version.holdout is None  # not scored on the way in: the task does it after commit

    with django_capture_on_commit_callbacks(execute=True):
        version = planning.create_forecast(manager, wfm, next_monday(), 1)
    version.refresh_from_db()
    made_on = date.today()
    assert version.holdout_start == week_start(made_on) - timedelta(days=28)
    assert len(version.holdout) == 4
    total = sum(IntervalStat.objects.filter(
        queue="售后热线", day__range=(version.holdout_start, version.holdout_start + timedelta(days=6))
    ).values_list("offered", flat=True))
    assert version.holdout[0]["actual"] == total
    assert 0 < version.holdout_wape < 100
    stored = (version.holdout, version.holdout_wape)

    _no_fitting(monkeypatch)  # a second run finds the score stored and fits nothing
    assert planning.score_forecast.call(version.pk)["weeks"] == 4
    version.refresh_from_db()
    assert (version.holdout, version.holdout_wape) == stored


def test_an_adjustment_keeps_its_parents_score(wfm, world, monkeypatch):
    first = next_monday()
    version = ForecastVersion.objects.create(
        queue=wfm, number=1, start=first, end=first,
        data={first.isoformat(): {"volume": [1.0] * 96, "aht": [300.0] * 96}},
        holdout_start=first - timedelta(days=35), holdout_wape=12.5,
        holdout=[{"start": (first - timedelta(days=35)).isoformat(), "actual": 700, "forecast": 650, "wape": 12.5}],
    )
    _no_fitting(monkeypatch)
    adjusted = planning.adjust_forecast(world.user("manager"), version, first, first, 40, 47, 2.0, "直播带货")
    adjusted.refresh_from_db()
    assert (adjusted.holdout, adjusted.holdout_start, adjusted.holdout_wape) == (
        version.holdout, version.holdout_start, version.holdout_wape
    )


@pytest.mark.parametrize("stored", [True, False])
def test_the_forecast_page_reads_the_stored_score_and_fits_nothing(wfm, world, client_for, monkeypatch, stored):
    start = next_monday()
    week = start - timedelta(days=35)
    version = ForecastVersion.objects.create(
        queue=wfm, number=1, start=start, end=start + timedelta(days=6),
        data={(start + timedelta(days=n)).isoformat(): {"volume": [1.0] * 96, "aht": [300.0] * 96} for n in range(7)},
        **({"holdout_start": week, "holdout_wape": 7.7,
            "holdout": [{"start": week.isoformat(), "actual": 4321, "forecast": 4100, "wape": 7.7}]} if stored else {}),
    )
    _no_fitting(monkeypatch)
    client = client_for(world.user("manager"))
    url = reverse("workforce:forecast", kwargs={"pk": wfm.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="accuracy"'):]
    if stored:
        assert week.isoformat() in table and "4321" in table and "7.7%" in table
    else:  # a version from before the score was stored shows what a page without history shows
        assert "Not enough history to score." in table
    assert response.context["current"] == version
    # session, user, scope, queue, versions, chart actuals, events…: 13; a fit would add its reads
    assert len(queries) <= 13, [q["sql"] for q in queries]
