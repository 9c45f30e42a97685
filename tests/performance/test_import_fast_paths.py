"""The contact import's fast paths give what the plain ones give.

Date-time columns parsed at once (``parse_texts``) against cell-by-cell
parsing, the whole validation against the framework's row-by-row reference,
and the row tuples against the per-row build.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest

from tests.imports.test_fast_paths import _comparable, reference_validate
from zhiren.imports.errors import CellError
from zhiren.imports.registry import import_spec
from zhiren.imports.services import import_context
from zhiren.imports.tables import read_table
from zhiren.imports.validation import validate
from zhiren.performance import parsing

from .helpers import contact, csv_bytes

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def _one_by_one(parse, texts):
    out = []
    for text in texts:
        try:
            out.append(parse(text, None))
        except CellError:
            out.append("error")
    return out


@pytest.mark.parametrize(
    "texts",
    [
        ["2024-03-01 09:15:22", "2024-03-01T23:59:59", "2024-02-29 00:00:00.250000", "2024-03-01"],
        ["2024-03-01 09:15:22", "2024/3/1 9:15"],  # one not ISO: every text parsed on its own
        ["2024-03-01 09:15:22", "1999-12-31 23:00:00"],  # a year out of range
        ["2024-03-01 09:15:22", "2024-03-01 09:15:22+00:00"],  # a zone given
        ["2024-03-01 09:15:22", "2024-02-30 10:00:00"],  # no such day
    ],
)
def test_datetime_column_at_once_equals_cell_by_cell(texts):
    parse = parsing.datetime_parser(TZ)
    at_once = parse.parse_texts(texts, None)
    expected = _one_by_one(parse, texts)
    if at_once is None:  # the column falls back to the cell parser: nothing to compare but that it had to
        assert len(texts) > 1
        return
    assert at_once == expected
    assert [v.tzinfo for v in at_once] == [v.tzinfo for v in expected]
    assert [v.utcoffset() for v in at_once] == [v.utcoffset() for v in expected]


def test_datetime_column_at_once_is_used_only_when_all_fit():
    parse = parsing.datetime_parser(TZ)
    assert parse.parse_texts(["2024-03-01 09:15:22", "2024/3/1 9:15"], None) is None
    assert parse.parse_texts(["2024-03-01 09:15:22", "1999-12-31 23:00:00"], None) is None
    assert parse.parse_texts(["2024-03-01 09:15:22", "2024-03-01 09:15:22+00:00"], None) is None
    assert parse.parse_texts(["2024-03-01 09:15:22"], None) == [datetime(2024, 3, 1, 9, 15, 22, tzinfo=TZ)]


def _mixed_file() -> bytes:
    rows = [contact(f"M{i}", f"A100{1 + i % 2}", "2024-03-04", f"09:{i:02d}:00", customer=f"u{i % 3}")
            for i in range(12)]
    rows.append(contact("M20", "", "2024-03-04", "10:00:00", answered=False, wait=30))  # blank answered / ended
    rows[1][6] = "2024/3/4 9:01"  # offered at, not ISO: this column goes cell by cell
    rows[2][8] = "2024-13-45 09:00"  # ended at: no such date
    rows[3][8] = "1999-03-04 09:30:00"  # ended at: year out of range (this column goes cell by cell)
    rows[4][7] = "2024-03-04 08:00:00"  # answered before offered (answered at: ISO and blanks, parsed at once)
    rows[5][6] = " 2024-03-04 09:05:00 "  # padded
    rows[6][3] = "NOBODY"
    rows[7] = rows[7][:8]  # a short row: the missing cells are blank
    rows.append(list(rows[0]))  # a duplicate contact id
    return csv_bytes(rows)


def test_contact_validation_equals_row_by_row(world, monkeypatch):
    spec = import_spec("interactions")
    at_once = []
    parse_texts = spec.column("answered_at").parse.parse_texts
    monkeypatch.setattr(spec.column("answered_at").parse, "parse_texts",
                        lambda texts, context: at_once.append(len(texts)) or parse_texts(texts, context))
    context = import_context(None)
    spec.prepare(context)
    table = read_table(_mixed_file())
    result = validate(table, spec, context)
    errors, rows = reference_validate(table, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(r.row, r.key, r.values) for r in result.rows] == rows
    found = {(e.row, e.field) for e in result.errors}
    assert {(4, "ended_at"), (5, "ended_at"), (6, "answered_at"), (8, "agent"), (15, "external_id")} <= found
    values = {r.key: r.values for r in result.rows}
    assert values["M5"]["offered_at"] == datetime(2024, 3, 4, 9, 5, tzinfo=TZ)
    assert values["M1"]["offered_at"] == datetime(2024, 3, 4, 9, 1, tzinfo=TZ)
    assert "answered_at" in values["M20"] and values["M20"]["answered_at"] is None
    # answered at: its 13 filled cells at once (12 distinct: mostly distinct, so not memoised), the blank on its own
    assert 13 in at_once


def test_uniform_rows_validate_as_before(world):
    """Rows of equal length take the transposed path; the same rows with one short row take the other."""
    spec = import_spec("interactions")
    context = import_context(None)
    spec.prepare(context)
    rows = [contact(f"U{i}", "A1001", "2024-03-04", f"10:{i:02d}:00", customer="c") for i in range(5)]
    uniform = read_table(csv_bytes(rows))
    rows[2] = rows[2][:9]
    ragged = read_table(csv_bytes(rows))
    for table in (uniform, ragged):
        result = validate(table, spec, context)
        errors, expected = reference_validate(table, spec, context)
        assert _comparable(result.errors) == _comparable(errors)
        assert [(r.row, r.key, r.values) for r in result.rows] == expected


def _row_from_instance(spec, values, context) -> tuple:
    """The reference: an ``Interaction`` made from the values, derived fields set by the update path's
    per-row ``_derive``, as the tuple ``bulk_insert.insert`` would write."""
    from zhiren.performance.bulk import COLUMNS
    from zhiren.performance.models import Interaction

    obj = Interaction(**{spec.column(key).target: value for key, value in values.items()})
    spec._derive(obj, values, context)
    return tuple(getattr(obj, name) for name in COLUMNS)


def test_row_tuples_equal_instances(world):
    spec = import_spec("interactions")
    context = import_context(None)
    spec.prepare(context)
    rows = [contact(f"R{i}", f"A100{1 + i % 2}", "2024-03-04", f"11:{i * 7:02d}:00", csat=str(1 + i % 5))
            for i in range(6)]
    rows.append(contact("R9", "", "2024-03-04", "23:59:00", answered=False, wait=30))
    rows[2][1] = ""  # blank channel: left out of that row (the model default)
    rows[3][9] = ""  # blank wait: left out of that row (derived)
    result = validate(read_table(csv_bytes(rows)), spec, context)
    assert not result.errors
    values = [r.values for r in result.rows]
    built = spec.build_rows(values, context)
    assert built == [_row_from_instance(spec, v, context) for v in values]
    assert built == [spec.build(v, context) for v in values]
    clean = validate(read_table(csv_bytes([r for i, r in enumerate(rows) if i not in (2, 3)])), spec, context)
    columns = clean.rows.columns  # a clean file: its columns as they are
    assert spec.build_columns(columns, len(clean.rows), context) == [
        _row_from_instance(spec, r.values, context) for r in clean.rows
    ]


def test_rows_failing_only_the_row_check_equal_row_by_row(world, monkeypatch):
    """Every cell parses and every contact id is there once (the validation's shortcut for the rows),
    but some rows fail the cross-field check and some leave blank-keeps cells out."""
    from zhiren.imports import validation

    shortcut = []
    check_rows = validation._check_rows
    monkeypatch.setattr(validation, "_check_rows", lambda *args: shortcut.append(1) or check_rows(*args))
    spec = import_spec("interactions")
    context = import_context(None)
    spec.prepare(context)
    rows = [contact(f"K{i}", "A1001", "2024-03-04", f"12:{i:02d}:00", customer="k") for i in range(8)]
    rows[1][7] = "2024-03-04 11:00:00"  # answered before offered
    rows[2][3] = ""  # answered, but no agent
    rows[3][1] = ""  # blank channel: left out (the model default)
    rows[4][9] = ""  # blank wait: left out (derived)
    rows[5][8] = "2024-03-04 11:30:00"  # ended before offered or answered
    table = read_table(csv_bytes(rows))
    progress = []
    result = validate(table, spec, context, lambda done, total: progress.append((done, total)))
    errors, expected = reference_validate(table, spec, context)
    assert _comparable(result.errors) == _comparable(errors)
    assert [(r.row, r.key, r.values) for r in result.rows] == expected
    assert {(e.row, e.field) for e in result.errors} == {(3, "answered_at"), (4, "agent"), (7, "ended_at")}
    values = {r.key: r.values for r in result.rows}
    assert "channel" not in values["K3"] and "wait_seconds" not in values["K4"]
    assert progress[-1] == (8, 8) and shortcut == [1]


def test_contact_imports_agree_with_and_without_the_fast_paths(world, settings):
    """The same contact files imported with ``IMPORT_FAST_PATHS`` on and off (each run rolled back): the same
    errors, plans, stored contacts and rollups."""
    from django.db import transaction

    from zhiren.imports.services import _preview_rows, run_import
    from zhiren.performance.models import DailyStat, Interaction, IntervalStat

    def snapshot(model):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "updated_at")]
        return sorted(model.objects.values_list(*names))

    first = csv_bytes([contact(f"F{i}", f"A100{1 + i % 2}", "2024-03-04", f"09:{i:02d}:00", customer=f"u{i % 3}",
                               csat=str(1 + i % 5)) for i in range(12)]
                      + [contact("F20", "", "2024-03-04", "10:00:00", answered=False, wait=30)])
    again = csv_bytes([contact("F1", "A1002", "2024-03-05", "09:01:00", customer="u1", csat="2"),  # corrected
                       contact("F2", "A1002", "2024-03-04", "09:02:00", customer="u2", csat="3"),  # another agent
                       contact("F30", "A1001", "2024-03-06", "23:59:00", customer="u9")])  # new
    far = csv_bytes([contact("F40", "B1001", "2024-03-04", "09:40:00")])  # another site's contact
    taken = csv_bytes([contact("F40", "A1001", "2024-03-04", "09:40:00")])

    def scenario():
        results = [run_import("interactions", _mixed_file(), "mixed.csv"),
                   run_import("interactions", first, "first.csv", dry_run=True),
                   run_import("interactions", first, "first.csv"),
                   run_import("interactions", again, "again.csv"),
                   run_import("interactions", far, "far.csv"),
                   run_import("interactions", taken, "taken.csv", user=world.user("manager"))]
        seen = [([(e.row, e.column, e.field, e.message) for e in r.errors], r.counts(), r.committed,
                 [(c.row, c.key, c.values) for c in r.plan.creates],
                 [(c.row, c.key, c.diffs) for c in r.plan.updates], _preview_rows(r.spec, r.plan)) for r in results]
        return seen, snapshot(Interaction), snapshot(DailyStat), snapshot(IntervalStat)

    outcomes = []
    for fast_paths in (True, False):
        settings.IMPORT_FAST_PATHS = fast_paths
        with transaction.atomic():
            outcomes.append(scenario())
            transaction.set_rollback(True)
    with_fast, plain = outcomes
    assert with_fast == plain
    seen, contacts, daily, _interval = plain
    assert seen[0][0] and not seen[0][2]  # the mixed file has errors and writes nothing
    assert [s[1]["created"] for s in seen[1:4]] == [13, 13, 1] and seen[3][1]["updated"] == 2
    assert [(e[0], e[2]) for e in seen[5][0]] == [(2, "external_id")]
    assert len(contacts) == 15 and daily
    (f2,) = [row for row in seen[3][5] if row["key"] == "F2"]  # the preview names the old agent as the new one
    assert [(f["column"], f["old"], f["new"]) for f in f2["fields"]] == [("工号", "A1001", "A1002")]
