"""Punches from a time clock file (GBK, date and time columns) and from the REST push."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from zhiren.discipline import services
from zhiren.discipline.models import ClockEvent, Violation
from zhiren.imports.services import run_import

from .conftest import local, planned

pytestmark = pytest.mark.django_db
MON = date(2025, 3, 3)


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_gbk_time_clock_export_with_date_and_time_columns(world):
    data = csv_bytes([
        ["考勤号码", "姓名", "日期", "时间", "进出方向", "考勤机"],
        ["A1001", "张三", "2025/3/3", "08:58", "上班", "前台1号机"],
        ["A1001", "张三", "2025/3/3", "18:05", "下班", "前台1号机"],
        ["A1002", "李四", "2025-03-03", "9:31", "", "前台1号机"],
    ], encoding="gbk")
    result = run_import("clock-events", data, "kaoqin.csv")
    assert result.ok and result.committed and result.table.encoding == "gbk"
    rows = list(ClockEvent.objects.order_by("agent__employee_no", "at").values_list("agent__employee_no", "kind",
                                                                                       "source"))
    assert rows == [("A1001", "in", "import"), ("A1001", "out", "import"), ("A1002", "punch", "import")]
    assert ClockEvent.objects.filter(agent=world.agent).first().at == local(MON, 8, 58)
    again = run_import("clock-events", data, "kaoqin.csv")
    assert again.ok and not again.committed and again.plan.unchanged == 3


def test_bad_rows_name_row_and_column_and_write_nothing(world):
    data = csv_bytes([
        ["工号", "打卡时间", "类型"],
        ["A1001", "2025-03-03 08:58:00", "上班"],
        ["NOBODY", "2025-03-03 08:58:00", "上班"],
        ["A1001", "25:61", "上班"],
        ["A1001", "2025-03-03 18:00:00", "午休"],
    ])
    result = run_import("clock-events", data, "bad.csv")
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "工号"), (4, "打卡时间"), (5, "类型")} <= found
    assert not ClockEvent.objects.exists()


def test_import_after_write_judges_the_touched_days(world, make_rule, monkeypatch):
    make_rule(announced_on=date(2025, 1, 1), grace_days=0)
    monkeypatch.setattr(services, "scheduled_shifts",
                        lambda ids, start, end: services.shifts_from_schedule(
                            [planned(world.agent, MON)] if world.agent.pk in ids and start <= MON <= end else []))
    data = csv_bytes([["工号", "打卡时间"], ["A1001", "2025-03-03 09:20"], ["A1001", "2025-03-03 18:00"]])
    assert run_import("clock-events", data, "k.csv").committed
    assert Violation.objects.get().minutes == 20


def test_rest_push_is_scoped_and_idempotent(world, client_for):
    url = reverse("api:clock-event-list")
    records = [{"agent": "A1001", "at": "2025-03-03T08:58:00+08:00", "kind": "in", "device": "gate"},
               {"agent": "A1002", "at": "2025-03-03 09:01", "kind": "签到", "device": ""}]
    manager = client_for(world.user("manager"))
    response = manager.post(url, records, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["created"] == 2
    assert manager.post(url, records, content_type="application/json").json()["counts"]["unchanged"] == 2
    far = manager.post(url, [{"agent": "B1001", "at": "2025-03-03T09:00:00+08:00"}],
                       content_type="application/json")
    assert far.status_code == 400 and far.json()["errors"][0]["record"] == 1
    lead = client_for(world.user("lead"))
    assert lead.post(url, records, content_type="application/json").status_code == 404
    listed = lead.get(url).json()
    assert {r["agent"] for r in listed["results"]} == {"A1001", "A1002"}
    assert client_for(world.user("qa")).get(url).json()["results"] == []
    assert ClockEvent.objects.count() == 2


def test_violation_export_is_scoped(world, client_for, make_rule):
    rule = make_rule(category="conduct", announced_on=date(2025, 1, 1), grace_days=0)
    services.record_violation(world.user("lead"), agent=world.agent, rule=rule, day=MON, note="=cmd|' /C calc'!A0")
    services.record_violation(world.user("manager"), agent=world.a2_agent, rule=rule, day=MON, note="x")
    url = reverse("imports:export", args=["violations", "csv"])
    def content(response):
        return b"".join(response.streaming_content) if response.streaming else response.content

    body = content(client_for(world.user("lead")).get(url)).decode("utf-8-sig")
    assert "A1001" in body and "A2001" not in body
    assert b"A2001" in content(client_for(world.user("manager")).get(url))
    assert client_for(world.user("qa")).get(url).status_code == 404
