"""Exports: formula neutralisation in CSV and XLSX, scope, field visibility, audit, round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.imports.exporting import neutralise, write_csv, write_xlsx
from zhiren.imports.services import export, run_import
from zhiren.org.models import Agent, Role

from ..factories import AgentFactory, UserFactory, grant

DANGEROUS = ["=1+1", "+8613800000000", "-x", "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-5, -2.5, 0, "plain", "张三", "a=b", "", None, dt.date(2024, 1, 1)])
def test_neutralise_leaves_safe_values(value):
    assert neutralise(value) == value


def _rows():
    return [[neutralise(v), -5, -2.5, dt.date(2024, 3, 1)] for v in DANGEROUS]


def test_csv_neutralised_and_numbers_stay_numbers():
    buffer = io.BytesIO()
    assert write_csv(["text", "int", "float", "date"], _rows(), buffer) == len(DANGEROUS)
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]
    assert {tuple(r[1:]) for r in rows[1:]} == {("-5", "-2.5", "2024-03-01")}


def test_xlsx_neutralised_and_numbers_stay_numbers():
    buffer = io.BytesIO()
    write_xlsx(["=HEADER", "int", "float", "date"], _rows(), buffer, title="a/b:c")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "'=HEADER"
    for row, value in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=row, column=1)
        # XML stores a CR as LF; what matters is the apostrophe in front.
        assert cell.data_type == "s" and cell.value == "'" + value.replace("\r", "\n")
        assert sheet.cell(row=row, column=2).value == -5 and sheet.cell(row=row, column=2).data_type == "n"
        assert sheet.cell(row=row, column=3).value == -2.5
        assert sheet.cell(row=row, column=4).is_date


@pytest.fixture
def agents(org):
    return [
        AgentFactory(employee_no="=cmd|' /C calc'!A0", name="@SUM(1)", team=org.sh_after, birthday=dt.date(1990, 1, 2)),
        AgentFactory(employee_no="E2", name="-张三", team=org.sh_pre),
        AgentFactory(employee_no="E3", name="北京", team=org.bj_after),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_agent_export_neutralised_and_scoped(org, agents, fmt):
    buffer = io.BytesIO()
    assert export("agents", fmt, buffer, user=org.sh_manager) == 2  # bj agent not visible
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    else:
        rows = [[("" if v is None else v) for v in r] for r in load_workbook(buffer).active.iter_rows(values_only=True)]
    by_no = {r[0]: r for r in rows[1:]}
    assert set(by_no) == {"'=cmd|' /C calc'!A0", "E2"}
    assert by_no["'=cmd|' /C calc'!A0"][1] == "'@SUM(1)"
    assert by_no["E2"][1] == "'-张三"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == org.sh_manager and "birthday" in event.fields


def test_export_hides_fields_the_user_may_not_see(org, agents):
    qa = UserFactory()
    grant(qa, Role.QA, teams=[org.sh_after])
    buffer = io.BytesIO()
    export("agents", "csv", buffer, user=qa)
    header, *rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row[str(_("Birthday"))] == ""  # personal data: not for QA
    assert row[str(_("Hire date"))] == "2023-03-01"  # employment data: QA may see


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_reimport_changes_nothing(org, agents, fmt):
    buffer = io.BytesIO()
    export("agents", fmt, buffer)
    result = run_import("agents", buffer.getvalue(), f"agents.{fmt}", user=org.hr)
    assert result.ok, result.errors
    assert result.warnings == []
    assert result.counts()["unchanged"] == 3 and not result.committed
    assert Agent.objects.count() == 3


def test_skills_kept_in_one_order_so_an_export_reimports_unchanged(org):
    """Skills saved in any order (a form, the API) are stored in the import's order; re-import sees no change."""
    agent = AgentFactory(employee_no="K1", team=org.sh_after, channel_skills=["ticket", "voice", "chat", "voice"])
    agent.refresh_from_db()
    assert agent.channel_skills == ["voice", "chat", "ticket"]
    buffer = io.BytesIO()
    export("agents", "csv", buffer)
    result = run_import("agents", buffer.getvalue(), "agents.csv", user=org.hr)
    assert result.ok, result.errors
    assert result.counts()["unchanged"] == 1 and result.counts()["updated"] == 0
