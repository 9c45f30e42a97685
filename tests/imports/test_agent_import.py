"""Importing the agent roster: every format, errors, dry run, idempotent re-import, updates, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.imports.services import run_import
from zhiren.org.models import Agent

from ..factories import AgentFactory
from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

GOOD_FILES = ["agents_utf8.csv", "agents_utf8_bom.csv", "agents_gbk.csv", "agents_gb18030.csv", "agents.xlsx"]


@pytest.mark.parametrize("name", GOOD_FILES)
def test_import_every_format(org, name):
    result = run_import("agents", fixture_bytes(name), name, user=org.hr)
    assert result.ok, result.errors
    assert result.committed
    a1 = Agent.objects.get(employee_no="A001")
    assert (a1.name, a1.team, a1.position, a1.channel_skills) == ("张伟", org.sh_after, "aftersales", ["voice", "chat"])
    assert (a1.hire_date, a1.birthday, a1.status) == (dt.date(2024, 3, 1), dt.date(1995, 6, 15), "active")
    a2 = Agent.objects.get(employee_no="A002")
    assert (a2.team, a2.position, a2.channel_skills, a2.birthday) == (
        org.sh_pre, "presales", ["chat", "email"], dt.date(1998, 2, 28))
    a3 = Agent.objects.get(employee_no="A003")
    assert (a3.team, a3.position, a3.channel_skills, a3.status) == (org.sh_after, "complaints", ["voice", "ticket"], "on_leave")
    a4 = Agent.objects.get(employee_no="A004")  # blank cells: defaults
    assert (a4.position, a4.channel_skills, a4.hire_date, a4.status) == ("aftersales", [], None, "active")
    if name == "agents_gb18030.csv":
        assert set(Agent.objects.filter(employee_no__in=["A005", "A006"]).values_list("name", flat=True)) == {"䶮明", "㐀丽"}


def test_bad_rows_name_row_and_column_and_write_nothing(org):
    result = run_import("agents", fixture_bytes("agents_bad.csv"), user=org.hr)
    assert not result.ok and not result.committed
    assert Agent.objects.count() == 0
    found = {(e.row, e.column) for e in result.errors}
    assert (2, "入职日期") in found  # 2024-02-30
    assert (3, "班组") in found  # unknown team
    assert {(4, "姓名"), (4, "岗位"), (4, "技能")} <= found
    duplicate = next(e for e in result.errors if e.row == 5)
    assert duplicate.column == "工号" and "2" in duplicate.message and "5" in duplicate.message
    assert not any(e.row == 6 for e in result.errors)
    assert "no-such-team" in next(e.message for e in result.errors if e.row == 3)


def test_missing_required_column_is_a_header_error(org):
    data = "姓名,班组\n张三,sh-after\n".encode()
    result = run_import("agents", data, user=org.hr)
    assert [(e.row, e.field) for e in result.errors] == [(1, "employee_no")]
    assert "工号" in result.errors[0].message


def test_dry_run_writes_nothing(org):
    result = run_import("agents", fixture_bytes("agents_utf8.csv"), user=org.hr, dry_run=True)
    assert result.ok and not result.committed
    assert result.counts()["created"] == 4
    assert Agent.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_reimport_is_idempotent(org, django_assert_max_num_queries):
    run_import("agents", fixture_bytes("agents_utf8.csv"), user=org.hr)
    before = list(Agent.objects.order_by("pk").values("pk", "updated_at"))
    events = AuditEvent.objects.count()
    for name in GOOD_FILES[:-2] + ["agents.xlsx"]:
        with django_assert_max_num_queries(10):  # a fixed number of queries, whatever the row count
            result = run_import("agents", fixture_bytes(name), name, user=org.hr)
        assert result.counts() | {"total": 0} == {
            "total": 0, "created": 0, "updated": 0, "unchanged": 4, "errors": 0, "error_rows": 0}
        assert not result.committed
    assert list(Agent.objects.order_by("pk").values("pk", "updated_at")) == before
    assert AuditEvent.objects.count() == events


def test_update_changes_only_changed_fields(org):
    run_import("agents", fixture_bytes("agents_utf8.csv"), user=org.hr)
    data = (
        "工号,姓名,班组,岗位,技能\n"
        "A001,张伟,sh-after,售后,语音、在线\n"  # unchanged
        "A002,李娜,sh-after,售前,在线、邮件\n"  # team moved
    ).encode()
    result = run_import("agents", data, user=org.hr, dry_run=True)
    [update] = result.plan.updates
    assert update.key == "A002" and set(update.diffs) == {"team"}
    assert update.diffs["team"] == (org.sh_pre, org.sh_after)
    result = run_import("agents", data, user=org.hr)
    assert result.counts()["updated"] == 1 and result.counts()["unchanged"] == 1
    a2 = Agent.objects.get(employee_no="A002")
    assert a2.team == org.sh_after and a2.birthday == dt.date(1998, 2, 28)  # column absent: kept
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, purpose__contains="1 updated")
    assert event.fields == ["team"] and event.actor == org.hr


def test_blank_status_keeps_existing_value_and_blank_skills_clear(org):
    AgentFactory(employee_no="X1", name="甲", team=org.sh_after, status="left", channel_skills=["voice"])
    result = run_import("agents", "工号,姓名,班组,状态,技能\nX1,甲,sh-after,,\n".encode(), user=org.hr)
    assert result.ok
    agent = Agent.objects.get(employee_no="X1")
    assert agent.status == "left" and agent.channel_skills == []


def test_site_manager_cannot_import_into_another_sites_team(org):
    data = "工号,姓名,班组\nM1,甲,sh-after\nM2,乙,bj-after\nM3,丙,北京售后\n".encode()
    result = run_import("agents", data, user=org.sh_manager)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(3, "班组"), (4, "班组")}
    assert Agent.objects.count() == 0
    # within their site it works
    assert run_import("agents", "工号,姓名,班组\nM1,甲,sh-after\n".encode(), user=org.sh_manager).committed


def test_site_manager_cannot_take_over_an_agent_of_another_site(org):
    AgentFactory(employee_no="BJ1", team=org.bj_after)
    result = run_import("agents", "工号,姓名,班组\nBJ1,甲,sh-after\n".encode(), user=org.sh_manager)
    assert [(e.row, e.column) for e in result.errors] == [(2, "工号")]
    assert Agent.objects.get(employee_no="BJ1").team == org.bj_after


def test_only_roster_roles_may_import(org):
    with pytest.raises(PermissionDenied):
        run_import("agents", fixture_bytes("agents_utf8.csv"), user=org.lead)


def test_ambiguous_team_name_asks_for_the_code(org):
    from ..factories import TeamFactory

    TeamFactory(site=org.bj, code="bj-pre", name="售前一组")
    result = run_import("agents", "工号,姓名,班组\nQ1,甲,售前一组\n".encode(), user=org.hr)
    [error] = result.errors
    assert "sh-pre" in error.message and "bj-pre" in error.message


def test_import_audit_event_names_fields_not_values(org):
    run_import("agents", fixture_bytes("agents_utf8.csv"), user=org.hr)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.object_type == "org.agent"
    assert "employee_no" in event.fields and "birthday" in event.fields
    assert "张伟" not in str(event.fields) + event.purpose


def _agents_csv(*rows: str) -> bytes:
    return ("工号,姓名,班组,入职日期,生日\n" + "\n".join(rows) + "\n").encode()


def test_hidden_characters_and_implausible_dates_are_named_and_nothing_is_written(org):
    data = _agents_csv(
        "A101,张伟,sh-after,2024-03-01,1995-06-15",
        '"A1\n02",李娜,sh-after,2024-03-01,1995-06-15',  # a line break inside the employee number
        "A103,王\u202e芳,sh-after,2024-03-01,1995-06-15",  # a right-to-left override in the name
        "A104,刘洋,sh-after,2099-01-01,1995-06-15",
        "A105,陈静,sh-after,2024-03-01,2100-01-01",
        "A106,杨帆,sh-after,2024-03-01,2020-01-01",  # six years old
    )
    result = run_import("agents", data, user=org.hr)
    assert not result.ok and not result.committed
    assert Agent.objects.count() == 0
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert set(errors) == {(3, "工号"), (4, "姓名"), (5, "入职日期"), (6, "生日"), (7, "生日")}
    assert "U+000A" in errors[(3, "工号")] and "U+202E" in errors[(4, "姓名")]
    assert "2099-01-01" in errors[(5, "入职日期")]
    assert "2100-01-01" in errors[(6, "生日")] and "6 years old" in errors[(7, "生日")]


def test_plausible_dates_follow_the_settings(org, settings):
    settings.AGENT_MIN_AGE = 5
    data = _agents_csv("A106,杨帆,sh-after,2024-03-01,2020-01-01")
    assert run_import("agents", data, user=org.hr).committed
    assert Agent.objects.get(employee_no="A106").birthday == dt.date(2020, 1, 1)


def test_a_clean_column_of_many_rows_still_catches_one_hidden_character(org):
    """The column-at-once path must not wave a bad cell through with the good ones."""
    rows = [f"B{n:04d},员工{n},sh-after,2024-03-01,1995-06-15" for n in range(300)]
    rows[150] = "B0150,员工\u200b150,sh-after,2024-03-01,1995-06-15"
    result = run_import("agents", _agents_csv(*rows), user=org.hr)
    assert [(e.row, e.column) for e in result.errors] == [(152, "姓名")]
    assert Agent.objects.count() == 0
