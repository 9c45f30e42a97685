"""The import framework's fast paths give the same results as the plain ones.

Column-wise validation against a row-by-row reference, row tuples and COPY /
executemany inserts (JSON fields, ``auto_now``, callable defaults), the
one-query key lookup past SQLite's parameter limit, and the paused collector.
"""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
from django.db import connection

from zhiren.imports import bulk_insert
from zhiren.imports.cells import clean_text
from zhiren.imports.errors import CellError, RowError
from zhiren.imports.fast import inserts
from zhiren.imports.fast.collector import without_cycle_collection
from zhiren.imports.headers import locate_header, match_headers
from zhiren.imports.registry import import_spec
from zhiren.imports.services import import_context, run_import
from zhiren.imports.tables import Table, read_table
from zhiren.imports.validation import ColumnRows, ParsedRow, validate
from zhiren.org.models import Agent

pytestmark = pytest.mark.django_db


def reference_validate(table: Table, spec, context) -> tuple[list[RowError], list[tuple[int, Any, dict]]]:
    """The row-by-row validation the framework used before it went column-wise."""
    start = locate_header(table.rows, spec)
    header_number, header_cells = table.rows[start]
    header = match_headers(header_cells, spec, header_number)
    errors: list[RowError] = list(header.errors)
    rows = []
    first_row_of_key: dict[Any, int] = {}
    for number, cells in table.rows[start + 1:]:
        values: dict[str, Any] = {}
        failed = False
        for index, column, column_header in header.positions:
            raw = clean_text(cells[index]) if index < len(cells) else None
            if raw is None or raw == "":
                if column.required:
                    errors.append(RowError(number, column_header, column.key, "This cell is required."))
                    failed = True
                elif not column.blank_keeps:
                    blank = column.blank_value
                    values[column.key] = list(blank) if isinstance(blank, list) else blank
                continue
            try:
                values[column.key] = column.parse(raw, context)
            except CellError as exc:
                errors.append(RowError(number, column_header, column.key, str(exc.message)))
                failed = True
        if not failed:
            one_row = {key: [value] for key, value in values.items()}  # check_columns on a row of its own
            problems = [*spec.check_row(values, context),
                        *((key, message) for _i, key, message in spec.check_columns(one_row, context))]
            for key, message in problems:
                errors.append(RowError(number, header.header_for(key), key, str(message)))
                failed = True
        key = values.get(spec.key)
        if key is not None:
            if key in first_row_of_key:
                errors.append(RowError(number, header.header_for(spec.key), spec.key, "duplicate"))
                failed = True
            else:
                first_row_of_key[key] = number
        if not failed:
            rows.append((number, key, values))
    return errors, rows


def _comparable(errors: list[RowError]) -> list[tuple]:
    # The duplicate message is translated and formatted; compare where it points, not its words.
    return [(e.row, e.column, e.field, "duplicate" if "twice" in e.message or "两次" in e.message else e.message)
            for e in errors]


ROSTER = (
    "工号,姓名,班组,岗位,技能,入职日期,生日,状态\n"
    "A001,张伟,sh-after,售后,语音、在线,2024-03-01,1995/6/15,在职\n"
    "A002,李娜,sh-pre,售前,在线/邮件,2024-3-2,1998.2.28,\n"  # blank status keeps the default
    "A003, 王强 ,nowhere,售后,语音,2024-02-30,1990-01-01,在职\n"  # unknown team, no such date
    "A004,,sh-after,厨师,飞鸽,2024-03-01,,离职\n"  # required blank, unknown position and skill
    "A001,张伟,sh-after,售后,语音,2024-03-01,,在职\n"  # duplicate key
    "A005,赵敏,nowhere,售后,语音,20240301,,在职\n"  # the same unknown team again: reported on this row too
    "A006,'=SUM(1),sh-after,,,,,\n"  # our export's formula guard is undone
    "A007,孙悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空悟空,"
    "sh-after,售后,语音,2024年3月1日,,在职\n"  # name too long
    "A008,周杰\n"  # short row: the missing cells are blank (team is required)
)


def test_column_wise_validation_equals_row_by_row(org):
    spec = import_spec("agents")
    context = import_context(None)
    spec.prepare(context)
    table = read_table(ROSTER.encode("utf-8"))
    result = validate(table, spec, context)
    errors, rows = reference_validate(table, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(r.row, r.key, r.values) for r in result.rows] == rows
    found = {(e.row, e.field) for e in result.errors}
    assert {(4, "team"), (4, "hire_date"), (5, "name"), (5, "position"), (5, "channel_skills"), (6, "employee_no"),
            (7, "team"), (9, "name"), (10, "team")} <= found
    by_key = {r.key: r.values for r in result.rows}
    assert by_key["A006"]["name"] == "=SUM(1)"
    assert "status" not in by_key["A002"] and by_key["A001"]["channel_skills"] == ["voice", "chat"]
    # every row owns its list, as when each cell was parsed on its own
    assert by_key["A001"]["channel_skills"] is not by_key["A002"]["channel_skills"]


def test_mixed_cell_types_are_not_confused(org):
    """XLSX cells: numbers, dates and text in one column are parsed one by one (1, 1.0 and True are equal keys)."""
    spec = import_spec("agents")
    context = import_context(None)
    spec.prepare(context)
    header = ["工号", "姓名", "班组", "入职日期"]
    table = Table(format="xlsx", encoding=None, rows=[
        (1, header),
        (2, [1001, "甲", "sh-after", dt.datetime(2024, 3, 1)]),
        (3, ["1002", "乙", "sh-after", "2024-03-02"]),
        (4, [True, "丙", "sh-after", dt.date(2024, 3, 3)]),
        (5, [1003, "丁", "sh-after", 45000]),
    ])
    result = validate(table, spec, context)
    errors, rows = reference_validate(table, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(r.row, r.key, r.values) for r in result.rows] == rows
    assert {r.key for r in result.rows} >= {"1001", "1002"}
    assert (5, "hire_date") in {(e.row, e.field) for e in result.errors}


def test_repeated_bad_cell_is_reported_on_every_row(org):
    lines = ["工号,姓名,班组"] + [f"B{i},名{i},ghost-team" for i in range(5)] + ["B9,名9,sh-after"]
    result = run_import("agents", "\n".join(lines).encode(), "a.csv")
    assert not result.ok
    assert sorted(e.row for e in result.errors if e.field == "team") == [2, 3, 4, 5, 6]
    assert Agent.objects.count() == 0


def test_insert_instances_keeps_json_auto_now_and_defaults(org):
    before = dt.datetime.now(dt.UTC)
    bulk_insert.insert(Agent, [
        Agent(employee_no="J1", name="甲", team=org.sh_after, channel_skills=["voice", "chat"]),
        Agent(employee_no="J2", name="乙", team=org.sh_pre),
    ])
    j1, j2 = Agent.objects.order_by("employee_no")
    assert j1.channel_skills == ["voice", "chat"] and j2.channel_skills == []
    assert Agent.objects.filter(channel_skills__1="chat").count() == 1  # stored as JSON, not an array
    assert j1.updated_at >= before - dt.timedelta(seconds=1)
    assert (j2.position, j2.status, j2.team_id) == ("aftersales", "active", org.sh_pre.pk)


def test_insert_rows_from_spec_build(org):
    """The spec's default build makes tuples: FK instances become ids, absent fields take defaults."""
    spec = import_spec("agents")
    context = import_context(None)
    row = spec.build({"employee_no": "T1", "name": "丙", "team": org.bj_after, "channel_skills": ["email"],
                      "hire_date": dt.date(2024, 1, 2), "birthday": None}, context)
    assert isinstance(row, tuple)
    spec.create([row], context)
    agent = Agent.objects.get(employee_no="T1")
    assert (agent.team_id, agent.channel_skills, agent.hire_date, agent.position, agent.status) == (
        org.bj_after.pk, ["email"], dt.date(2024, 1, 2), "aftersales", "active")
    assert agent.updated_at is not None


def test_existing_looks_up_more_keys_than_one_statement_may_bind(org):
    Agent.objects.bulk_create(Agent(employee_no=f"K{i:05d}", name="x", team=org.sh_after) for i in range(1500))
    spec = import_spec("agents")
    keys = [f"K{i:05d}" for i in range(0, 1600)]  # 100 unknown
    found = spec.existing(keys, import_context(None))
    assert len(found) == 1500 and found["K01499"].employee_no == "K01499" and "K01500" not in found


def test_reimport_of_many_rows_is_unchanged(org):
    lines = ["工号,姓名,班组,技能"] + [f"R{i:05d},名,sh-after,语音" for i in range(1200)]
    data = "\n".join(lines).encode()
    assert run_import("agents", data, "a.csv").counts()["created"] == 1200
    again = run_import("agents", data, "a.csv").counts()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1200)


def test_collector_is_back_on_after_an_error():
    @without_cycle_collection
    def failing():
        assert not gc.isenabled()
        raise ValueError("boom")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        failing()
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off():
    @without_cycle_collection
    def step():
        return gc.isenabled()

    gc.disable()
    try:
        assert step() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def _row_from_instance(values: dict[str, Any]) -> tuple:
    """The reference: the tuple an ``Agent`` made from the values would be inserted as (``bulk_insert.insert``)."""
    spec = import_spec("agents")
    obj = Agent(**{spec.column(key).target: value for key, value in values.items()})
    return tuple(getattr(obj, f.attname) for f in bulk_insert.row_fields(Agent))


def test_build_rows_equals_instances_in_file_order(org):
    """Rows whose fields differ (a blank-keeps cell leaves its field out) are built in runs, in file order."""
    spec = import_spec("agents")
    context = import_context(None)
    values = [
        {"employee_no": "W1", "name": "甲", "team": org.sh_after, "channel_skills": ["voice"], "status": "left"},
        {"employee_no": "W2", "name": "乙", "team": org.sh_pre, "channel_skills": [], "hire_date": dt.date(2024, 1, 1)},
        {"employee_no": "W3", "name": "丙", "team": org.sh_pre, "channel_skills": [], "hire_date": dt.date(2024, 1, 2)},
        {"employee_no": "W4", "name": "丁", "team": org.sh_after, "channel_skills": ["chat"], "status": "active"},
    ]
    names = [f.attname for f in bulk_insert.row_fields(Agent)]
    stamp = names.index("updated_at")

    def unstamped(rows):
        return [row[:stamp] + row[stamp + 1:] for row in rows]

    rows = spec.build_rows(values, context)
    assert unstamped(rows) == unstamped([_row_from_instance(v) for v in values])
    assert unstamped(rows) == unstamped([spec.build(v, context) for v in values])
    assert all(row[stamp] is not None for row in rows)
    assert [row[names.index("employee_no")] for row in rows] == ["W1", "W2", "W3", "W4"]
    assert rows[0][names.index("team_id")] == org.sh_after.pk


CLEAN_ROSTER = (
    "工号,姓名,班组,岗位,技能,入职日期\n"
    "C001,张伟,sh-after,售后,语音、在线,2024-03-01\n"
    "C002,李娜,sh-pre,售前,在线/邮件,2024-3-2\n"
    "C003,王强,sh-after,售后,语音,2024-02-28\n"
    "C004,赵敏,sh-pre,售前,,2024-03-04\n"
)


def test_clean_file_stays_column_wise_and_reads_as_parsed_rows(org):
    spec = import_spec("agents")
    context = import_context(None)
    spec.prepare(context)
    table = read_table(CLEAN_ROSTER.encode())
    result = validate(table, spec, context)
    errors, expected = reference_validate(table, spec, context)
    assert errors == [] and result.errors == []
    rows = result.rows
    assert isinstance(rows, ColumnRows)
    assert len(rows) == 4 and rows.keys == ["C001", "C002", "C003", "C004"]
    assert [(r.row, r.key, r.values) for r in rows] == expected
    assert isinstance(rows[0], ParsedRow) and (rows[-1].row, rows[-1].key) == (5, "C004")
    assert [r.key for r in rows[1:3]] == ["C002", "C003"] and rows[5:] == []
    assert [r.key for r in rows + []] == rows.keys
    with pytest.raises(IndexError):
        rows[4]
    assert rows[0].values["channel_skills"] is not rows[1].values["channel_skills"]


def test_column_rows_commit_as_parsed(org):
    result = run_import("agents", CLEAN_ROSTER.encode())
    assert result.committed and isinstance(result.plan.creates, ColumnRows)
    assert result.counts()["created"] == 4
    assert result.plan.changed_fields() == sorted(["employee_no", "name", "team", "position", "channel_skills",
                                                   "hire_date"])
    agents = {a.employee_no: a for a in Agent.objects.filter(employee_no__startswith="C")}
    assert agents["C001"].team == org.sh_after and agents["C001"].channel_skills == ["voice", "chat"]
    assert agents["C002"].hire_date == dt.date(2024, 3, 2) and agents["C004"].channel_skills == []
    again = run_import("agents", CLEAN_ROSTER.encode())  # the keys exist now: a plan of parsed rows, unchanged
    assert not again.committed and again.counts()["unchanged"] == 4


class _NoBadNames(type(import_spec("agents"))):
    def check_columns(self, columns, context):
        for i, name in enumerate(columns["name"]):
            if name == "坏":
                yield i, "name", "bad name"
        for i, team in enumerate(columns["team"]):
            if team.code == "sh-pre" and columns["name"][i] == "坏":
                yield i, "team", "bad team"


def test_column_checks_on_a_clean_file_and_row_by_row_on_a_failing_one(org):
    spec = _NoBadNames()
    context = import_context(None)
    spec.prepare(context)
    clean = read_table(CLEAN_ROSTER.encode())
    assert isinstance(validate(clean, spec, context).rows, ColumnRows)
    failing = read_table(CLEAN_ROSTER.replace("王强", "坏").replace("李娜", "坏").encode())
    result = validate(failing, spec, context)
    errors, expected = reference_validate(failing, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(e.row, e.field) for e in result.errors] == [(3, "name"), (3, "team"), (4, "name")]
    assert [(r.row, r.key, r.values) for r in result.rows] == expected
    assert [r.key for r in result.rows] == ["C001", "C004"]
    bad_cell = read_table((CLEAN_ROSTER + "C005,坏,sh-pre,售前,,2024-13-01\nC006,坏,sh-after,,,\n").encode())
    result = validate(bad_cell, spec, context)  # a cell error: the rows one by one, checked as one-row columns
    assert [(e.row, e.field) for e in result.errors] == [(6, "hire_date"), (7, "name")]


def test_a_spec_keeps_one_kind_of_row_check(org):
    class Both(_NoBadNames):
        def check_row(self, values, context):
            return []

    spec = Both()
    context = import_context(None)
    spec.prepare(context)
    with pytest.raises(TypeError, match="check_columns and check_row"):
        validate(read_table(CLEAN_ROSTER.encode()), spec, context)


def test_mostly_distinct_text_column_equals_memoised_parse(org, monkeypatch):
    """A text column whose cells mostly differ is parsed cell by cell (no memo): the same values and errors.
    A date column stays memoised (dates repeat, even when the first cells differ)."""
    from zhiren.imports import validation

    lines = ["工号,姓名,班组,入职日期"]
    for i in range(60):
        name = f"名{i}"
        if i == 13:
            name = "长" * 61  # too long
        elif i == 20:
            name = f" 名{i} "  # padded: not the cell as it is
        elif i == 30:
            name = ""  # required
        hired = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 7 else ""
        lines.append(f"M{i:03d},{name},sh-after,{hired}")
    table = read_table("\n".join(lines).encode())
    spec = import_spec("agents")
    context = import_context(None)
    spec.prepare(context)
    memo_of = {}
    parse_text_column = validation._parse_text_column

    def spy(cells, distinct, column, *args):
        memo_of[column.key] = distinct is not None
        return parse_text_column(cells, distinct, column, *args)

    monkeypatch.setattr(validation, "_parse_text_column", spy)
    distinct = validate(table, spec, context)
    assert memo_of == {"employee_no": False, "name": False, "team": True, "hire_date": True}
    monkeypatch.setattr(validation, "MEMO_PROBE", 0)  # every column memoised
    memoised = validate(table, spec, context)
    assert set(memo_of.values()) == {True}
    errors, expected = reference_validate(table, spec, context)
    for result in (distinct, memoised):
        assert _comparable(result.errors) == _comparable(errors)
        assert [(r.row, r.key, r.values) for r in result.rows] == expected
    assert [(e.row, e.field) for e in distinct.errors] == [(15, "name"), (32, "name")]
    assert {r.key: r.values for r in distinct.rows}["M020"]["name"] == "名20"


def _plan(data: bytes, user=None, tuples: bool = True, monkeypatch=None):
    from zhiren.imports.fast.snapshots import ExistingRows
    from zhiren.imports.planning import plan_import

    spec = import_spec("agents")
    context = import_context(user)
    spec.prepare(context)
    if not tuples:
        monkeypatch.setattr(ExistingRows, "usable", classmethod(lambda cls, spec, keys: False))
    plan = plan_import(spec, validate(read_table(data), spec, context), context)
    if not tuples:
        monkeypatch.undo()
    return plan


def _summary(plan) -> tuple:
    return (
        [(c.row, c.key, sorted(c.values)) for c in plan.creates],
        [(c.row, c.key, type(c.obj).__name__, c.obj.pk, c.diffs) for c in plan.updates],
        plan.unchanged,
        [(e.row, e.column, e.message) for e in plan.errors],
    )


def test_reimport_plan_from_tuples_equals_plan_from_instances(org, monkeypatch):
    """Existing rows read as tuples give the same creates, updates (old and new values) and errors."""
    Agent.objects.create(employee_no="P1", name="甲", team=org.sh_after, channel_skills=["voice"],
                         hire_date=dt.date(2020, 1, 1), status="active")
    Agent.objects.create(employee_no="P2", name="乙", team=org.sh_after, channel_skills=["voice", "chat"])
    Agent.objects.create(employee_no="P3", name="丙", team=org.bj_after, channel_skills=["email"])
    Agent.objects.create(employee_no="P4", name="丁", team=org.sh_pre, status="left")
    data = (
        "工号,姓名,班组,技能,入职日期,状态\n"
        "P1,甲,sh-pre,语音,2020-01-01,在职\n"  # team moves: old value is the old team
        "P2,乙,sh-after,\"语音、在线\",2021-05-06,\n"  # hire date set; blank status keeps
        "P3,丙,bj-after,,,\n"  # skills cleared (blank → [])
        "P4,丁,sh-pre,,,离职\n"  # unchanged
        "P5,戊,sh-after,邮件,2024-02-03,在职\n"  # new
    ).encode()
    from zhiren.imports.fast.snapshots import ExistingRows

    keys = ["employee_no", "name", "team", "channel_skills", "hire_date", "status"]
    assert ExistingRows.usable(import_spec("agents"), keys)  # the agents import takes the tuple path
    from_tuples = _plan(data)
    from_instances = _plan(data, tuples=False, monkeypatch=monkeypatch)
    assert _summary(from_tuples) == _summary(from_instances)
    moved = from_tuples.updates[0]
    assert isinstance(moved.obj, Agent) and moved.diffs["team"] == (org.sh_after, org.sh_pre)
    assert moved.diffs["team"][0].name == "售后一组"  # a Team object, for the preview's old value
    assert sorted(from_tuples.updates[1].diffs) == ["hire_date"]
    assert from_tuples.updates[2].diffs == {"channel_skills": (["email"], [])}
    assert from_tuples.unchanged == 1
    assert [c.key for c in from_tuples.creates] == ["P5"]


def test_reimport_plan_from_tuples_checks_scope(org, monkeypatch):
    """check_existing sees the tuple (team_id): a site manager may not re-import another site's agent."""
    Agent.objects.create(employee_no="S1", name="甲", team=org.bj_after)
    Agent.objects.create(employee_no="S2", name="乙", team=org.sh_after)
    data = "工号,姓名,班组\nS1,甲,sh-after\nS2,乙二,sh-after\n".encode()
    plan = _plan(data, user=org.sh_manager)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "工号")]
    assert [(c.key, c.diffs) for c in plan.updates] == [("S2", {"name": ("乙", "乙二")})]
    assert _summary(plan) == _summary(_plan(data, user=org.sh_manager, tuples=False, monkeypatch=monkeypatch))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the parameters SQLite's INSERT statements get")
def test_sqlite_params_convert_columns_and_remember_repeats():
    """Column-wise conversion: dates/datetimes as Django stores them, JSON lists dumped, None kept."""
    fields = bulk_insert.row_fields(Agent)
    names = [f.attname for f in fields]
    stamp = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    base = dict.fromkeys(names)
    rows = []
    for skills, hired in ((["voice"], dt.date(2024, 1, 2)), (["voice"], None), ([], dt.date(2024, 1, 2))):
        row = dict(base, employee_no="x", name="y", position="qa", status="active", team_id=1,
                   channel_skills=skills, hire_date=hired, updated_at=stamp)
        rows.append(tuple(row[n] for n in names))
    params = inserts._sqlite_params(fields, rows)
    pick = [names.index(n) for n in ("channel_skills", "hire_date", "updated_at", "birthday")]
    assert [[p[i] for i in pick] for p in params] == [
        ['["voice"]', "2024-01-02", "2026-03-01 01:30:00", None],
        ['["voice"]', None, "2026-03-01 01:30:00", None],
        ["[]", "2024-01-02", "2026-03-01 01:30:00", None],
    ]


def test_json_values_keep_null_and_dump_repeats_once():
    """None stays SQL NULL (as JSONField saves it); each distinct list of codes is dumped once."""
    calls = []

    def dumps(value):
        calls.append(value)
        return str(value)

    column = (["voice"], None, ["voice"], [1], [True], {"a": 1})
    assert inserts._json_values(column, dumps) == ["['voice']", None, "['voice']", "[1]", "[True]", "{'a': 1}"]
    assert calls == [["voice"], [1], [True], {"a": 1}]  # lists of non-strings are never taken from the memo
    assert inserts._json_values((["chat"],), dumps, prefix=b"\x01") == [b"\x01['chat']"]


def test_json_columns_of_lists_dump_each_distinct_list_once():
    calls = []

    def dumps(value):
        calls.append(value)
        return str(value)

    column = (["voice", "chat"], None, [], ["voice", "chat"], [], None)
    assert inserts._json_values(column, dumps, prefix=b"\x01") == [
        b"\x01['voice', 'chat']", None, b"\x01[]", b"\x01['voice', 'chat']", b"\x01[]", None]
    assert sorted(map(str, calls)) == ["['voice', 'chat']", "[]"]
    calls.clear()
    nested = (["a", ["b"]], ["a", ["b"]], [1], [True])  # unhashable or not texts: dumped one by one
    assert inserts._json_values(nested, dumps) == ["['a', ['b']]", "['a', ['b']]", "[1]", "[True]"]
    assert len(calls) == 4


def test_convert_column_converts_each_distinct_value_once():
    calls = []

    def convert(value):
        calls.append(value)
        return value.isoformat()

    days = [dt.date(2024, 1, 2), None, dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert inserts.convert_column(days, convert) == ["2024-01-02", None, "2024-01-02", "2024-01-03"]
    assert calls == [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    assert inserts.convert_column([[1], None], str) == ["[1]", None]  # unhashable: one at a time


def test_insert_rows_json_lists_and_empty_lists_are_json(org):
    """Binary COPY sends jsonb's wire format: lists come back as lists and query as JSON."""
    spec = import_spec("agents")
    context = import_context(None)
    rows = spec.build_rows([
        {"employee_no": "J9", "name": "甲", "team": org.sh_after, "channel_skills": ["voice", "chat"]},
        {"employee_no": "J8", "name": "乙", "team": org.sh_after, "channel_skills": []},
        {"employee_no": "J7", "name": "丙", "team": org.sh_after, "channel_skills": ["voice", "chat"]},
    ], context)
    bulk_insert.insert_rows(Agent, rows)
    stored = dict(Agent.objects.values_list("employee_no", "channel_skills"))
    assert stored == {"J9": ["voice", "chat"], "J8": [], "J7": ["voice", "chat"]}
    assert set(Agent.objects.filter(channel_skills__1="chat").values_list("employee_no", flat=True)) == {"J9", "J7"}


def test_any_of_filters_text_and_integer_keys(org):
    """One parameter for any number of keys; a key holding the delimiter (or a quote, a comma) still matches."""
    from zhiren.imports.fast.lookups import filter_any_of

    odd = ["A,1", "B'2", 'C"3', "D\x1f4", "E 5", "普通"]
    Agent.objects.bulk_create(Agent(employee_no=no, name="x", team=org.sh_after) for no in odd)
    Agent.objects.bulk_create(Agent(employee_no=f"N{i:04d}", name="x", team=org.sh_after) for i in range(1200))
    plain = ["A,1", "B'2", 'C"3', "E 5", "普通", "N0007", "missing"]
    assert set(filter_any_of(Agent.objects.all(), "employee_no", plain).values_list("employee_no", flat=True)) == {
        "A,1", "B'2", 'C"3', "E 5", "普通", "N0007"}
    with_delimiter = ["D\x1f4", "A,1"]
    assert set(filter_any_of(Agent.objects.all(), "employee_no", with_delimiter).values_list(
        "employee_no", flat=True)) == {"D\x1f4", "A,1"}
    pks = list(Agent.objects.filter(employee_no__startswith="N").values_list("pk", flat=True))
    assert filter_any_of(Agent.objects.all(), "pk", [*pks, 10**9]).count() == 1200


def test_row_check_that_rewrites_keys_still_finds_duplicates(org):
    """A row check may rewrite the key (the punch import makes fingerprints): duplicates are found on the result."""

    class UpperKeys(type(import_spec("agents"))):
        def check_row(self, values, context):  # a generator, as a spec may write it
            values["employee_no"] = values["employee_no"].upper()
            if values["name"] == "坏":
                yield "name", "bad name"

    spec = UpperKeys()
    context = import_context(None)
    spec.prepare(context)
    data = "工号,姓名,班组\na1,甲,sh-after\nb2,坏,sh-after\nA1,乙,sh-after\nc3,丙,sh-after\n".encode()
    result = validate(read_table(data), spec, context)
    assert [(e.row, e.field) for e in result.errors] == [(3, "name"), (4, "employee_no")]
    assert "a1".upper() in result.errors[1].message and "2" in result.errors[1].message
    assert [(r.row, r.key) for r in result.rows] == [(2, "A1"), (5, "C3")]


def test_column_parsed_for_its_first_spellings_falls_back_on_a_new_one(org, monkeypatch):
    """A low-variety column is parsed for the spellings of its first cells; a later, new spelling (here a
    valid one, a wrong one and a padded text) makes it parse every distinct cell instead: same result."""
    from zhiren.imports import validation

    monkeypatch.setattr(validation, "MEMO_PROBE", 64)
    calls = []
    parse_text_column = validation._parse_text_column

    def spy(cells, distinct, column, *args, complete=True):
        calls.append((column.key, complete))
        return parse_text_column(cells, distinct, column, *args, complete=complete)

    monkeypatch.setattr(validation, "_parse_text_column", spy)
    lines = ["工号,姓名,班组,岗位,状态"]
    for i in range(100):
        status = "在职"
        if i == 80:
            status = "离职"
        elif i == 90:
            status = "未知"
        team = " sh-pre " if i == 95 else "sh-after"
        lines.append(f"P{i:03d},名{i},{team},售后,{status}")
    table = read_table("\n".join(lines).encode())
    spec = import_spec("agents")
    context = import_context(None)
    spec.prepare(context)
    result = validate(table, spec, context)
    errors, expected = reference_validate(table, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(e.row, e.field) for e in result.errors] == [(92, "status")]
    assert [(r.row, r.key, r.values) for r in result.rows] == expected
    by_key = {r.key: r.values for r in result.rows}
    assert by_key["P080"]["status"] == "left" and by_key["P095"]["team"] == org.sh_pre
    assert by_key["P000"]["position"] == by_key["P099"]["position"]
    # position: its first spelling covers it; team and status: tried so, then parsed in full
    assert [c for c in calls if c[0] in ("team", "position", "status")] == [
        ("team", False), ("team", True), ("position", False), ("status", False), ("status", True)]


def test_reimport_of_a_clean_file_is_planned_column_by_column(org, monkeypatch):
    """A clean file (rows kept as columns): new rows, changes, unchanged rows and a scope error come out
    as the instance path has them, in file order."""
    Agent.objects.create(employee_no="C1", name="甲", team=org.sh_after, hire_date=dt.date(2020, 1, 1))
    Agent.objects.create(employee_no="C2", name="乙", team=org.bj_after, hire_date=dt.date(2021, 2, 3))
    Agent.objects.create(employee_no="C3", name="丙", team=org.sh_after, hire_date=dt.date(2022, 3, 4))
    Agent.objects.create(employee_no="C4", name="丁", team=org.sh_after, hire_date=dt.date(2023, 4, 5))
    data = (
        "工号,姓名,班组,入职日期\n"
        "C1,甲,sh-after,2020-01-01\n"  # unchanged
        "C9,新,sh-after,2024-01-01\n"  # new
        "C2,乙,sh-after,2021-02-03\n"  # another site's agent: a site manager of sh may not move it
        "C3,丙,sh-pre,2022-03-05\n"  # team and hire date change
        "C4,丁二,sh-after,2023-04-05\n"  # name changes
    ).encode()
    context = import_context(org.sh_manager)
    spec = import_spec("agents")
    spec.prepare(context)
    assert isinstance(validate(read_table(data), spec, context).rows, ColumnRows)
    plan = _plan(data, user=org.sh_manager)
    assert _summary(plan) == _summary(_plan(data, user=org.sh_manager, tuples=False, monkeypatch=monkeypatch))
    assert [c.key for c in plan.creates] == ["C9"]
    assert [(c.row, c.key, sorted(c.diffs)) for c in plan.updates] == [
        (5, "C3", ["hire_date", "team"]), (6, "C4", ["name"])]
    assert plan.updates[0].diffs["hire_date"] == (dt.date(2022, 3, 4), dt.date(2022, 3, 5))  # dates as dates
    assert plan.unchanged == 1
    assert [(e.row, e.column) for e in plan.errors] == [(4, "工号")]


def test_existing_rows_checks_one_way_or_the_other():
    from zhiren.imports.spec import KEPT, existing_rows_check

    class Both(type(import_spec("agents"))):
        def check_existing(self, obj, values, context):
            return ()

    with pytest.raises(TypeError, match="keep one"):
        existing_rows_check(Both())

    seen = []

    class RowByRow(type(import_spec("interactions"))):
        def check_existing(self, obj, values, context):
            seen.append((obj, values))
            return [("name", f"bad {obj}")] if obj == "b" else []

    check = existing_rows_check(RowByRow())
    problems = list(check(["a", "b"], {"key": ["k1", "k2"], "name": ["n1", KEPT]}, None))
    assert problems == [(1, "name", "bad b")]
    assert seen == [("a", {"key": "k1", "name": "n1"}), ("b", {"key": "k2"})]  # a kept cell is left out
