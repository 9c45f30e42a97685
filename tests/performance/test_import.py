from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhiren.imports.services import run_import
from zhiren.performance.models import DailyStat, Interaction, IntervalStat
from zhiren.performance.rollups import rebuild_all
from zhiren.performance.services import import_records, save_mapping

from .helpers import contact, csv_bytes

pytestmark = pytest.mark.django_db


def snapshot(model):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(tuple(row) for row in model.objects.values_list(*fields))


def flags():
    return dict(Interaction.objects.values_list("external_id", "repeat_contact"))


def test_import_chinese_file_and_rollup(world):
    rows = [
        contact("C1", "A1001", "2024-03-04", "09:00:00", csat="5", customer="u1"),
        contact("C2", "A1001", "2024-03-04", "10:00:00", wait=40, csat="2", customer="u2"),
        contact("C3", "", "2024-03-04", "10:05:00", answered=False, wait=50),
        contact("C4", "A1002", "2024-03-04", "11:00:00", transferred="是", customer="u1"),
    ]
    result = run_import("interactions", csv_bytes(rows), "calls.csv")
    assert result.ok, [str(e) for e in result.errors]
    c1 = Interaction.objects.get(external_id="C1")
    assert c1.day == date(2024, 3, 4) and c1.slot == 36 and c1.team_id == world.team_a1.pk
    assert c1.repeat_contact and not Interaction.objects.get(external_id="C4").repeat_contact
    assert Interaction.objects.get(external_id="C3").abandoned
    assert IntervalStat.objects.filter(slot=36).exists()


def test_incremental_imports_equal_a_recomputation(world):
    """Rollups kept current day by day (with a correction and a late repeat) equal a full rebuild."""
    batches = [
        [contact("I1", "A1001", "2024-03-01", "09:00:00", customer="x"),
         contact("I2", "A1002", "2024-03-01", "09:05:00", csat="4", customer="y")],
        [contact("I3", "A1001", "2024-03-05", "14:00:00", customer="x"),  # x is back: I1 becomes a repeat
         contact("I4", "", "2024-03-05", "14:01:00", answered=False, wait=30)],
        # a correction of I2 (moved to another day, new rating) and a new day
        [contact("I2", "A1002", "2024-03-02", "09:05:00", csat="1", customer="y"),
         contact("I5", "A1002", "2024-03-20", "23:59:00", customer="y")],
    ]
    for batch in batches:
        assert run_import("interactions", csv_bytes(batch), "b.csv").ok
    incremental = (snapshot(DailyStat), snapshot(IntervalStat), flags())
    assert flags()["I1"] is True
    assert not DailyStat.objects.filter(day=date(2024, 3, 1), agent=world.peer).exists()
    rebuild_all()
    assert (snapshot(DailyStat), snapshot(IntervalStat), flags()) == incremental


def test_reimport_is_idempotent(world):
    data = csv_bytes([contact("R1", "A1001", "2024-03-04", "09:00:00", csat="5"),
                      contact("R2", "", "2024-03-04", "09:01:00", answered=False)])
    assert run_import("interactions", data, "a.csv").counts()["created"] == 2
    before = snapshot(DailyStat)
    again = run_import("interactions", data, "a.csv")
    assert again.counts()["created"] == 0 and again.counts()["updated"] == 0 and again.counts()["unchanged"] == 2
    assert Interaction.objects.count() == 2 and snapshot(DailyStat) == before


def test_gbk_file(world):
    data = csv_bytes([contact("G1", "A1001", "2024-03-04", "09:00:00", queue="售后热线", csat="非常满意")],
                     encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run_import("interactions", data, "gbk.csv")
    assert result.ok and result.table.encoding == "gbk"
    row = Interaction.objects.get()
    assert row.queue == "售后热线" and row.csat == 5


def test_bad_file_names_row_and_column_and_writes_nothing(world):
    rows = [
        contact("B1", "A1001", "2024-03-04", "09:00:00"),
        contact("B2", "NOBODY", "2024-03-04", "09:00:00"),
        contact("B3", "A1001", "2024-03-04", "09:00:00", csat="7"),
        contact("B4", "A1001", "2024-03-04", "09:00:00"),
        contact("B1", "A1001", "2024-03-04", "09:30:00"),
    ]
    rows[3][10] = "abc"  # talk time
    rows[0][6] = "2024-13-45 09:00"  # offered at: no such date
    result = run_import("interactions", csv_bytes(rows), "bad.csv")
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert (2, "进线时间") in found
    assert (3, "工号") in found
    assert (4, "满意度") in found
    assert (5, "通话时长") in found
    assert any("NOBODY" in e.message for e in result.errors)
    assert "row 3" in str(next(e for e in result.errors if e.row == 3))
    assert Interaction.objects.count() == 0 and DailyStat.objects.count() == 0


def test_handled_contact_needs_an_agent_and_order_of_times(world):
    row = contact("T1", "A1001", "2024-03-04", "09:00:00")
    row[3] = ""  # answered, but no employee number
    late = contact("T2", "A1001", "2024-03-04", "09:00:00")
    late[7] = "2024-03-04 08:00:00"  # answered before offered
    result = run_import("interactions", csv_bytes([row, late]), "x.csv")
    assert {(e.row, e.field) for e in result.errors} == {(2, "agent"), (3, "answered_at")}


def test_english_headers_and_dry_run(world):
    headers = ["Contact ID", "Channel", "Queue", "Agent ID", "Offered at", "Answered at", "Talk time", "CSAT", "NPS"]
    data = csv_bytes([["E1", "chat", "Sales", "A1001", "2024/3/4 9:00", "2024/3/4 9:00:12", "00:05:00", "4", "10"]],
                     headers=headers)
    result = run_import("interactions", data, "en.csv", dry_run=True)
    assert result.ok and result.counts()["created"] == 1 and Interaction.objects.count() == 0
    assert run_import("interactions", data, "en.csv").ok
    row = Interaction.objects.get()
    assert (row.channel, row.talk_seconds, row.wait_seconds, row.nps) == ("chat", 300, 12, 10)


def test_saved_mapping_on_the_command_line(world, capsys):
    save_mapping(world.user("admin"), "my-acd", {"呼叫流水": "external_id", "坐席账号": "agent", "振铃时间": "offered_at",
                                                  "备注": ""})
    data = csv_bytes([["M1", "A1001", "2024-03-04 09:00:00", "VIP"]], headers=["呼叫流水", "坐席账号", "振铃时间", "备注"])
    path = _tmp(data)
    with pytest.raises(CommandError):
        call_command("import", "interactions", str(path))  # without the mapping the key column is missing
    call_command("import", "interactions", str(path), "--mapping", "my-acd")
    assert Interaction.objects.get().agent_id == world.agent.pk
    with pytest.raises(CommandError, match="Unknown column mapping"):
        call_command("import", "interactions", str(path), "--mapping", "nope")


def _tmp(data: bytes):
    import tempfile
    from pathlib import Path

    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
    handle.write(data)
    handle.close()
    return Path(handle.name)


def test_export_kpis_command(world, tmp_path):
    assert run_import("interactions", csv_bytes([
        contact("X1", "A1001", "2024-03-04", "09:00:00", csat="5"),
        contact("X2", "A1002", "2024-03-12", "09:00:00", csat="4"),
    ]), "x.csv").ok
    out = tmp_path / "kpis.csv"
    call_command("export", "kpis", str(out), "--level", "team", "--period", "month", "--from", "2024-03-01",
                 "--to", "2024-03-31", stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("2024-03-01,售后一组")
    xlsx = tmp_path / "kpis.xlsx"
    call_command("export", "kpis", str(xlsx), "--level", "agent", "--period", "week", "--from", "2024-03-01",
                 "--to", "2024-03-31", stdout=io.StringIO())
    from openpyxl import load_workbook

    assert load_workbook(xlsx).active.max_row == 3


def test_rest_bulk_endpoint(world, client_for):
    records = [
        {"external_id": "A1", "agent": "A1001", "offered_at": "2024-03-04T09:00:00+08:00",
         "answered_at": "2024-03-04T09:00:15+08:00", "talk_seconds": 120, "csat": 5, "channel": "voice"},
        {"external_id": "A2", "offered_at": "2024-03-04T09:01:00+08:00", "abandoned": True},
    ]
    client = client_for(world.user("manager"))
    url = reverse("api:interaction-list")
    response = client.post(url, {"records": records, "dry_run": True}, content_type="application/json")
    assert response.status_code == 200 and Interaction.objects.count() == 0
    response = client.post(url, records, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["created"] == 2
    assert DailyStat.objects.filter(day=date(2024, 3, 4)).count() == 2
    bad = [{"external_id": "A3", "agent": "B1001", "offered_at": "2024-03-04 09:00"}]  # B1 is not site A
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["record"] == 1 and response.json()["errors"][0]["field"] == "agent"
    lead = client_for(world.user("lead"))
    assert lead.post(url, records, content_type="application/json").status_code == 403
    assert [r["external_id"] for r in lead.get(url).json()["results"]] == ["A1"]


def test_import_records_service_as_system(world):
    plan = import_records([{"工号": "A1001", "工单号": "S1", "进线时间": "2024-03-04 09:00", "接起时间": "2024-03-04 09:00:05"}])
    assert not plan.has_errors and Interaction.objects.get().wait_seconds == 5


def test_repeated_bad_cells_are_reported_on_each_row_and_nothing_is_written(world):
    rows = [contact(f"M{i}", "NOBODY", "2024-03-04", f"09:0{i}:00") for i in range(3)]
    rows.append(contact("M9", "A1001", "2024-03-04", "09:30:00"))
    rows[-1][10] = "abc"  # talk time
    rows.append(contact("X" * 65, "A1001", "2024-03-04", "09:40:00"))  # contact id too long
    result = run_import("interactions", csv_bytes(rows), "bad.csv")
    found = sorted((e.row, e.column) for e in result.errors)
    assert found == [(2, "工号"), (3, "工号"), (4, "工号"), (5, "通话时长"), (6, "工单号")]
    assert Interaction.objects.count() == 0 and DailyStat.objects.count() == 0


def test_derived_fields_of_new_rows(world):
    """Rows built as tuples derive day, slot, team, abandoned and wait as the model path did."""
    headers = ["工单号", "工号", "进线时间", "接起时间", "挂断时间"]
    data = csv_bytes([["D1", "A1001", "2024-03-04 23:50:00", "2024-03-04 23:50:42", "2024-03-05 00:10:00"],
                      ["D2", "", "2024-03-05 08:00:00", "", "2024-03-05 08:01:30"]], headers=headers)
    assert run_import("interactions", data, "d.csv").ok
    d1, d2 = Interaction.objects.order_by("external_id")
    assert (d1.day, d1.slot, d1.team_id, d1.abandoned, d1.wait_seconds) == (
        date(2024, 3, 4), 95, world.team_a1.pk, False, 42)
    assert (d2.day, d2.slot, d2.team_id, d2.abandoned, d2.wait_seconds) == (date(2024, 3, 5), 32, None, True, 90)


def test_reimport_may_not_take_over_another_sites_contact(world):
    """A site manager re-importing a contact of a team outside their site gets an error there; nothing is written."""
    run_import("interactions", csv_bytes([contact("S1", "B1001", "2024-03-04", "09:00:00")]), "a.csv")
    data = csv_bytes([contact("S1", "A1001", "2024-03-04", "09:00:00"),
                      contact("S2", "A1001", "2024-03-04", "09:05:00")])
    result = run_import("interactions", data, "b.csv", user=world.user("manager"))
    assert [(e.row, e.column, e.field) for e in result.errors] == [(2, "工单号", "external_id")]
    assert not result.committed
    assert list(Interaction.objects.values_list("external_id", "agent_id")) == [("S1", world.far.pk)]


def test_preview_names_the_agent_by_employee_number(world):
    from zhiren.imports.registry import import_spec
    from zhiren.org.models import Agent

    result = run_import("interactions", csv_bytes([contact("V1", "A1001", "2024-03-04", "09:00:00")]), dry_run=True)
    (row,) = result.plan.creates
    agent_id = row.values["agent"]
    assert agent_id == Agent.objects.get(employee_no="A1001").pk
    display = import_spec("interactions").column("agent").display
    assert (display(agent_id), display(None)) == ("A1001", "")
