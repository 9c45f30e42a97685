"""Per-agent 15-minute rollups: kept current by imports, equal to a recomputation and to the contacts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from zhiren.imports.services import run_import
from zhiren.performance.models import AgentIntervalStat, DailyStat
from zhiren.performance.rollups import AGENT_INTERVAL_FIELDS, rebuild_all

from .helpers import contact, csv_bytes

pytestmark = pytest.mark.django_db


def snapshot(model):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(tuple(row) for row in model.objects.values_list(*fields))


def test_agent_intervals_by_hand(world):
    rows = [
        contact("S1", "A1001", "2024-03-04", "09:00:00", talk=200, acw=30, csat="5"),   # slot 36
        contact("S2", "A1001", "2024-03-04", "09:14:59", talk=100, acw=20),              # slot 36
        contact("S3", "A1001", "2024-03-04", "09:15:00", talk=300, acw=0, csat="2"),     # slot 37
        contact("S4", "A1002", "2024-03-04", "09:05:00", talk=50, acw=10),               # slot 36, peer
        contact("S5", "", "2024-03-04", "09:06:00", answered=False, wait=40),            # abandoned: no agent
    ]
    assert run_import("interactions", csv_bytes(rows), "a.csv").ok
    mine = {r.slot: r for r in AgentIntervalStat.objects.filter(agent=world.agent)}
    assert set(mine) == {36, 37}
    assert (mine[36].answered, mine[36].handle_sum) == (2, 350)
    assert (mine[37].answered, mine[37].handle_sum) == (1, 300)
    assert mine[36].team_id == world.team_a1.pk and mine[36].queue == "售后" and mine[36].channel == "voice"
    assert AgentIntervalStat.objects.filter(agent=world.peer).get().slot == 36
    assert AgentIntervalStat.objects.count() == 3  # the abandoned call is in no agent's intervals


def test_agent_intervals_add_up_to_the_daily_rows(world):
    rows = [contact(f"D{i}", ("A1001", "A1002", "A2001")[i % 3], f"2024-03-0{1 + i % 3}",
                    f"{8 + i % 9:02d}:{(i * 7) % 60:02d}:00", talk=60 + i, csat=str(1 + i % 5), customer=f"c{i % 4}")
            for i in range(40)]
    rows.append(contact("DX", "", "2024-03-02", "10:00:00", answered=False))
    assert run_import("interactions", csv_bytes(rows), "d.csv").ok
    sums = {f: Sum(f) for f in AGENT_INTERVAL_FIELDS}
    by_interval = AgentIntervalStat.objects.order_by().values("agent", "day").annotate(**sums)
    by_day = DailyStat.objects.filter(agent__isnull=False).order_by().values("agent", "day").annotate(**sums)
    key = lambda r: (r["agent"], r["day"])  # noqa: E731
    assert sorted(by_interval, key=key) == sorted(by_day, key=key)


def test_incremental_refreshes_equal_a_recomputation(world):
    batches = [
        [contact("I1", "A1001", "2024-03-01", "09:00:00", customer="x"),
         contact("I2", "A1002", "2024-03-01", "09:05:00", csat="4", customer="y")],
        [contact("I3", "A1001", "2024-03-05", "14:00:00", customer="x"),  # x is back: I1 becomes a repeat
         contact("I4", "", "2024-03-05", "14:01:00", answered=False, wait=30)],
        # a correction: I2 moves to another day and agent, with a new rating
        [contact("I2", "A2001", "2024-03-02", "16:45:00", csat="1", customer="y")],
    ]
    for batch in batches:
        assert run_import("interactions", csv_bytes(batch), "b.csv").ok
    incremental = snapshot(AgentIntervalStat)
    assert not AgentIntervalStat.objects.filter(day=date(2024, 3, 1), agent=world.peer).exists()
    assert DailyStat.objects.get(agent=world.agent, day=date(2024, 3, 1)).fcr_hits == 0  # I1 repeated
    rebuild_all()
    assert snapshot(AgentIntervalStat) == incremental


def _flags():
    from zhiren.performance.models import Interaction

    return dict(Interaction.objects.values_list("external_id", "repeat_contact"))


def test_repeat_window_edges_in_either_import_order(world):
    """The later contacts are looked for on a day range: a repeat 6 days 23 hours later (the window's
    last local day) counts whichever contact is imported first; one just past 7 days does not."""
    first = [contact("E1", "A1001", "2024-03-01", "23:50:00", customer="c1"),
             contact("F1", "A1001", "2024-03-01", "00:10:00", customer="c2")]
    later = [contact("E2", "A1002", "2024-03-08", "23:49:00", customer="c1"),   # within 7 days of E1
             contact("F2", "A1002", "2024-03-08", "00:10:01", customer="c2")]   # 7 days and 1 s after F1
    for order in ((first, later), (later, first)):
        from zhiren.performance.models import Interaction

        Interaction.objects.all().delete()
        for batch in order:
            assert run_import("interactions", csv_bytes(batch), "w.csv").ok
        assert _flags() == {"E1": True, "F1": False, "E2": False, "F2": False}
        incremental = (snapshot(DailyStat), snapshot(AgentIntervalStat))
        rebuild_all()
        assert (snapshot(DailyStat), snapshot(AgentIntervalStat)) == incremental


def test_sqlite_keeps_an_index_by_customer():
    """SQLite has no hash join: the repeat-contact query needs its index there (migration 0005)."""
    from django.db import connection

    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "performance_interaction"))
    assert ("interaction_customer_sqlite_idx" in names) == (connection.vendor == "sqlite")


def test_a_failed_refresh_rolls_the_import_back(world, monkeypatch):
    """The rollups are refreshed inside the import's transaction: contacts never stand without figures."""
    from django.db import DatabaseError

    from zhiren.performance import rollups
    from zhiren.performance.models import Interaction

    def broken(*args, **kwargs):
        raise DatabaseError("refresh failed")

    monkeypatch.setattr(rollups, "refresh_days", broken)
    rows = [contact("X1", "A1001", "2024-03-04", "09:00:00")]
    with pytest.raises(DatabaseError):
        run_import("interactions", csv_bytes(rows), "x.csv")
    assert not Interaction.objects.exists() and not DailyStat.objects.exists()
