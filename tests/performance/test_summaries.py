"""The summaries the dashboards read (team, month and site rollups): always equal to the rollups
they are derived from, to a from-scratch rebuild, and read back by the pages as plain sums."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from zhiren.imports.services import run_import
from zhiren.performance import kpis, months, selectors
from zhiren.performance.kpis import SUM_FIELDS
from zhiren.performance.models import (
    AgentMonthStat,
    DailyStat,
    Interaction,
    IntervalStat,
    SiteIntervalStat,
    SiteSlotMonthStat,
    TeamDayStat,
    TeamDayTotal,
    TeamMonthStat,
)
from zhiren.performance.rollups import SUMMARIES, aggregates, rebuild_all

from .helpers import contact, csv_bytes

# --- months: plain dates -------------------------------------------------------------------------

DATES = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))


@given(DATES, st.integers(min_value=0, max_value=400))
def test_a_split_covers_the_range_once(start, span):
    end = start + timedelta(days=span)
    split = months.split_by_month(start, end)
    covered = [d for m in split.months for d in months.buckets(m, months.month_end(m), months.DAY)]
    covered += [d for first, last in split.edges for d in months.buckets(first, last, months.DAY)]
    assert sorted(covered) == months.buckets(start, end, months.DAY)  # every day once, none outside
    assert len(split.edges) <= 2
    if months.grain_for(start, end) == months.MONTH:  # each end lies in one month: one bucket
        assert split.months
        for first, last in split.edges:
            assert months.month_start(first) == months.month_start(last)


def test_split_by_hand():
    split = months.split_by_month(date(2024, 1, 15), date(2024, 4, 10))
    assert split.months == (date(2024, 2, 1), date(2024, 3, 1))
    assert split.edges == (
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 4, 1), date(2024, 4, 10)),
    )
    assert (
        months.split_by_month(date(2024, 2, 1), date(2024, 2, 29)).edges == ()
    )  # a leap February, whole
    assert months.grain_for(date(2024, 1, 1), date(2024, 4, 1)) == months.DAY  # 92 days
    assert months.grain_for(date(2024, 1, 1), date(2024, 4, 2)) == months.MONTH
    assert months.buckets(date(2024, 1, 15), date(2024, 3, 1), months.MONTH) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]


# --- summaries equal their sources and a rebuild --------------------------------------------------


def _grouped(rows, key):
    """Sums by ``key(row)`` of rows given as dicts holding SUM_FIELDS."""
    found: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(SUM_FIELDS))
    for row in rows:
        total = found[key(row)]
        for i, name in enumerate(SUM_FIELDS):
            total[i] += row[name]
    return {k: tuple(v) for k, v in found.items() if any(v)}


def _month(day):
    return day.replace(day=1)


def expected_summaries(site_of):
    """Each summary recomputed in Python from the daily and 15-minute rollups."""
    daily = list(DailyStat.objects.values("team", "agent", "day", "queue", "channel", *SUM_FIELDS))
    interval = list(
        IntervalStat.objects.values("team", "day", "slot", "queue", "channel", *SUM_FIELDS)
    )
    return {
        TeamDayStat: _grouped(daily, lambda r: (r["team"], r["day"], r["queue"], r["channel"])),
        TeamDayTotal: _grouped(daily, lambda r: (r["team"], r["day"])),
        TeamMonthStat: _grouped(
            daily, lambda r: (r["team"], _month(r["day"]), r["queue"], r["channel"])
        ),
        AgentMonthStat: _grouped(
            [r for r in daily if r["agent"]],
            lambda r: (r["team"], r["agent"], _month(r["day"]), r["queue"], r["channel"]),
        ),
        SiteIntervalStat: _grouped(
            interval,
            lambda r: (site_of.get(r["team"]), r["day"], r["slot"], r["queue"], r["channel"]),
        ),
        SiteSlotMonthStat: _grouped(
            interval,
            lambda r: (
                site_of.get(r["team"]),
                _month(r["day"]),
                r["slot"],
                r["queue"],
                r["channel"],
            ),
        ),
    }


KEYS = {
    TeamDayStat: ("team", "day", "queue", "channel"),
    TeamDayTotal: ("team", "day"),
    TeamMonthStat: ("team", "month", "queue", "channel"),
    AgentMonthStat: ("team", "agent", "month", "queue", "channel"),
    SiteIntervalStat: ("site", "day", "slot", "queue", "channel"),
    SiteSlotMonthStat: ("site", "month", "slot", "queue", "channel"),
}


def stored_summaries():
    return {
        model: _grouped(
            model.objects.values(*KEYS[model], *SUM_FIELDS),
            lambda r, m=model: tuple(r[k] for k in KEYS[m]),
        )
        for model in SUMMARIES
    }


def snapshot(model):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(tuple(row) for row in model.objects.values_list(*fields))


def _random_batch(rng: random.Random, n: int, ids: list[str]) -> list[list]:
    """Contacts around a month's end (so repeats and corrections cross months), some abandoned,
    some corrections of earlier contacts (an id met before)."""
    rows = []
    for _ in range(n):
        ext = rng.choice(ids) if ids and rng.random() < 0.25 else f"R{rng.randrange(10**9)}"
        ids.append(ext)
        day = (date(2024, 2, 20) + timedelta(days=rng.randrange(20))).isoformat()
        hms = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        customer = f"c{rng.randrange(6)}"
        queue, channel = rng.choice((("售后", "电话"), ("售前", "在线"), ("投诉", "电话")))
        if rng.random() < 0.15:
            rows.append(
                contact(
                    ext,
                    "",
                    day,
                    hms,
                    answered=False,
                    wait=rng.randrange(1, 90),
                    customer=customer,
                    queue=queue,
                    channel=channel,
                )
            )
            continue
        rows.append(
            contact(
                ext,
                rng.choice(("A1001", "A1002", "A2001", "B1001")),
                day,
                hms,
                wait=rng.randrange(60),
                talk=rng.randrange(30, 600),
                acw=rng.randrange(60),
                customer=customer,
                queue=queue,
                channel=channel,
                csat=rng.choice(("", "1", "4", "5")),
                resolved=rng.choice(("是", "否", "")),
                transferred=rng.choice(("是", "否")),
            )
        )
    # a file names each contact once: keep the last row of an id
    return list({row[0]: row for row in rows}.values())


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_refreshed_summaries_equal_their_sources_and_a_rebuild(world, seed):
    rng = random.Random(seed)
    site_of = {t.pk: t.site_id for t in (world.team_a1, world.team_a2, world.team_b1)}
    ids: list[str] = []
    for _batch in range(3):
        assert run_import("interactions", csv_bytes(_random_batch(rng, 25, ids)), "r.csv").ok
        stored = stored_summaries()
        assert stored == expected_summaries(site_of)
    assert stored[TeamMonthStat] and stored[SiteSlotMonthStat]
    assert {key[2] for key in stored[AgentMonthStat]} == {
        date(2024, 2, 1),
        date(2024, 3, 1),
    }  # both months
    assert any(key[0] is None for key in stored[SiteIntervalStat])  # the abandoned: no site
    incremental = {model: snapshot(model) for model in SUMMARIES}
    rebuild_all()
    assert {model: snapshot(model) for model in SUMMARIES} == incremental


@pytest.mark.django_db
def test_the_daily_rollup_equals_the_contacts_summed(world):
    """The daily rollup of handled contacts comes from the agents' 15-minute rows: the same sums
    as aggregating the contacts directly."""
    rng = random.Random(7)
    assert run_import("interactions", csv_bytes(_random_batch(rng, 60, [])), "r.csv").ok
    dims = ("team", "day", "agent", "queue", "channel")
    direct = (
        Interaction.objects.order_by()
        .values(*dims)
        .annotate(**{f"s_{k}": v for k, v in aggregates().items()})
    )
    expected = {tuple(r[d] for d in dims): tuple(r[f"s_{k}"] for k in SUM_FIELDS) for r in direct}
    stored = _grouped(
        DailyStat.objects.values(*dims, *SUM_FIELDS), lambda r: tuple(r[d] for d in dims)
    )
    assert stored == {k: v for k, v in expected.items() if any(v)}


# --- pages over a long range read months and end days: the same sums ----------------------------


def _plain(**filters):
    total = dict.fromkeys(SUM_FIELDS, 0)
    for row in DailyStat.objects.filter(**filters).values(*SUM_FIELDS):
        for key in SUM_FIELDS:
            total[key] += row[key]
    return total


def _load_long_range(world, start: date, days: int):
    rng = random.Random(3)
    rows = []
    for n in range(days):
        day = (start + timedelta(days=n)).isoformat()
        for agent in ("A1001", "A1002", "A2001", "B1001"):
            if rng.random() < 0.4:
                rows.append(
                    contact(
                        f"L{agent}{n}",
                        agent,
                        day,
                        f"{9 + n % 8:02d}:{n % 60:02d}:00",
                        talk=rng.randrange(60, 500),
                        csat=rng.choice(("2", "5", "")),
                        customer=f"k{rng.randrange(30)}",
                        queue=rng.choice(("售后", "售前")),
                    )
                )
        if n % 9 == 0:
            rows.append(
                contact(f"LX{n}", "", day, "10:00:00", answered=False, wait=45, queue="售后")
            )
    assert run_import("interactions", csv_bytes(rows), "long.csv").ok


@pytest.fixture
def year(world, _clock):
    _clock.move_to("2024-12-20 10:00:00+08:00", tick=False)
    _load_long_range(world, date(2024, 1, 1), 366)
    return selectors.Filters(start=date(2024, 1, 17), end=date(2024, 12, 19), period="custom")


@pytest.mark.django_db
def test_team_page_over_a_year_by_month(world, year):
    assert year.grain == months.MONTH
    data = selectors.team_dashboard(world.user("lead"), world.team_a1, year)
    assert data["trend"]["days"][0] == "2024-01-01" and data["trend"]["days"][-1] == "2024-12-01"
    in_period = {"team": world.team_a1, "day__gte": year.start, "day__lte": year.end}
    cards = {c["code"]: c for c in data["cards"]}
    for code in kpis.TEAM_KPIS:
        assert cards[code]["value"] == pytest.approx(kpis.KPIS[code].value(_plain(**in_period))), (
            code
        )
    before = _plain(
        team=world.team_a1, day__gte=year.previous().start, day__lte=year.previous().end
    )
    assert cards["aht"]["change"] == pytest.approx(
        cards["aht"]["value"] - kpis.KPIS["aht"].value(before)
    )
    for i, month in enumerate(year.buckets):
        period = {
            **in_period,
            "day__gte": max(month, year.start),
            "day__lte": min(months.month_end(month), year.end),
        }
        for code in selectors.TREND_KPIS:
            assert data["trend"][code][i] == selectors._rounded(
                kpis.KPIS[code].value(_plain(**period))
            ), (code, month)
        for line in data["lines"]:
            expected = kpis.KPIS["csat"].value(_plain(agent=line.agent, **period))
            assert line.spark[i] == selectors._rounded(expected)
    for line in data["lines"]:
        assert line.kpis == pytest.approx(
            kpis.values(_plain(agent=line.agent, **in_period), kpis.AGENT_KPIS)
        )


@pytest.mark.django_db
def test_agent_page_over_a_year_by_month(world, year):
    data = selectors.agent_dashboard(world.user("agent"), world.agent, year)
    cards = {c["code"]: c for c in data["cards"]}
    mine = {"agent": world.agent, "day__gte": year.start, "day__lte": year.end}
    assert cards["aht"]["value"] == pytest.approx(kpis.KPIS["aht"].value(_plain(**mine)))
    peer = kpis.KPIS["aht"].value(_plain(agent=world.peer, day__gte=year.start, day__lte=year.end))
    assert cards["aht"]["median"] == pytest.approx((cards["aht"]["value"] + peer) / 2)
    march = year.buckets.index(date(2024, 3, 1))
    own_march = _plain(agent=world.agent, day__gte=date(2024, 3, 1), day__lte=date(2024, 3, 31))
    assert data["trend"]["aht"][march] == selectors._rounded(kpis.KPIS["aht"].value(own_march))
    assert len(data["daily"]) == DailyStat.objects.filter(**mine).values("day").distinct().count()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "manager", "lead"])
def test_overview_over_a_year_equals_plain_sums(world, year, who):
    """Admin: everything; the site manager: site A whole (site summaries); the lead: team A1 of
    site A only (its own 15-minute rows, and the abandoned calls of the queues it served)."""
    data = selectors.overview(world.user(who), year)
    period = {"day__gte": year.start, "day__lte": year.end}
    for row in data["teams"]:
        expected = kpis.values(_plain(team=row["team"], **period), kpis.TEAM_KPIS)
        assert row["kpis"] == pytest.approx(expected), row["team"]
    teams = {"admin": None, "manager": [world.team_a1, world.team_a2], "lead": [world.team_a1]}[who]
    scope = {"team__isnull": False} if teams is None else {"team__in": teams}
    handled = _plain(**scope, **period)
    abandoned = _plain(
        team__isnull=True, **period
    )  # every queue with abandons is served by each scope here
    everything = {k: handled[k] + abandoned[k] for k in SUM_FIELDS}
    cards = {c["code"]: c["value"] for c in data["cards"]}
    assert cards == pytest.approx(kpis.values(everything, kpis.QUEUE_KPIS))
    offered = IntervalStat.objects.filter(**scope, **period).aggregate(n=Sum("offered"))["n"]
    offered += IntervalStat.objects.filter(team__isnull=True, **period).aggregate(n=Sum("offered"))[
        "n"
    ]
    assert sum(data["intraday"]["offered"]) == pytest.approx(offered / len(year.days), abs=0.1)
    assert len(data["trend"]["days"]) == 12


def _point(code, filters):
    """A trend's point: the KPI over the rows, None (a gap) without any row."""
    sums = _plain(**filters)
    return selectors._rounded(kpis.KPIS[code].value(sums)) if sums["offered"] else None


@pytest.mark.django_db
def test_overview_by_day_equals_plain_sums(world, _clock):
    """A quarter drawn by day, as the scoped site manager and as a lead of one team, unfiltered
    and with a queue or a channel picked: the team table, the site's trend, each team's CSAT
    line, the queue table and the queue filter's choices are plain sums of the daily rollup
    (the overview sums each at its own grain in the database and looks the served queues up once)."""
    _clock.move_to("2024-05-20 10:00:00+08:00", tick=False)
    _load_long_range(world, date(2024, 3, 1), 75)
    flt = selectors.Filters(start=date(2024, 3, 20), end=date(2024, 5, 10), period="custom")
    assert flt.grain == months.DAY
    scopes = {"manager": [world.team_a1, world.team_a2], "lead": [world.team_a1]}
    for who, teams in scopes.items():
        period = {"team__in": teams, "day__gte": flt.start, "day__lte": flt.end}
        served = set(DailyStat.objects.filter(**period).values_list("queue", flat=True))
        for picked in ({}, {"queue": "售后"}, {"channel": "voice"}):
            data = selectors.overview(world.user(who), replace(flt, **picked))
            mine = {**period, **picked}
            assert data["queue_options"] == sorted(served)
            assert [r["team"] for r in data["teams"]] == teams
            for row in data["teams"]:
                assert row["kpis"] == pytest.approx(
                    kpis.values(_plain(**{**mine, "team": row["team"]}), kpis.TEAM_KPIS)
                )
            for i, day in enumerate(flt.days):
                today = {**mine, "day__gte": day, "day__lte": day}
                for code in ("volume", "csat", "aht"):
                    assert data["trend"][code][i] == _point(code, today), (who, picked, day, code)
                for team, line in zip(teams, data["trend"]["teams"], strict=True):
                    assert line["csat"][i] == _point("csat", {**today, "team": team})
            nobody = {"team__isnull": True, "day__gte": flt.start, "day__lte": flt.end, **picked}
            picked_queues = [q for q in served if q == picked.get("queue", q)]
            queues = {q: _plain(**{**mine, "queue": q}) for q in picked_queues}
            for q in picked_queues:
                extra = _plain(**{**nobody, "queue": q})
                queues[q] = {k: queues[q][k] + extra[k] for k in SUM_FIELDS}
            shown = {r["queue"]: r["kpis"] for r in data["queues"]}
            expected_rows = {
                q: kpis.values(s, kpis.QUEUE_KPIS) for q, s in queues.items() if s["offered"]
            }
            assert shown.keys() == expected_rows.keys(), (who, picked)
            for q, values in expected_rows.items():
                assert shown[q] == pytest.approx(values), (who, picked, q)
