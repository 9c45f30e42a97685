"""Pure parts: encodings, delimiters, XLSX, header matching, cell parsers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiren.imports.cells import clean_text, date_value, multi_choice, normalize_token
from zhiren.imports.errors import CellError, FileFormatError
from zhiren.imports.headers import column_letter, match_headers, normalize_header
from zhiren.imports.registry import import_spec
from zhiren.imports.tables import detect_encoding, read_table

from .conftest import fixture_bytes


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("agents_utf8.csv", "utf-8"),
        ("agents_utf8_bom.csv", "utf-8-sig"),
        ("agents_gbk.csv", "gbk"),
        ("agents_gb18030.csv", "gb18030"),
    ],
)
def test_encoding_detected(name, encoding):
    data = fixture_bytes(name)
    assert detect_encoding(data) == encoding
    table = read_table(data, name)
    assert table.format == "csv"
    assert table.rows[1][1][1] == "张伟"
    assert table.rows[1][0] == 2  # spreadsheet row numbers: header = 1


def test_gb18030_keeps_characters_outside_gbk():
    table = read_table(fixture_bytes("agents_gb18030.csv"))
    names = [cells[1] for _n, cells in table.rows]
    assert "䶮明" in names and "㐀丽" in names


def test_xlsx_read_with_dates_and_row_numbers():
    table = read_table(fixture_bytes("agents.xlsx"), "agents.xlsx")
    assert table.format == "xlsx"
    number, cells = table.rows[2]
    assert number == 3  # title row 1, header row 2, first agent row 3
    assert cells[0] == "A001"
    assert cells[5] == dt.datetime(2024, 3, 1)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters(delimiter):
    data = delimiter.join(["工号", "姓名"]).encode() + b"\n" + delimiter.join(["A1", "x"]).encode()
    assert read_table(data).rows[1][1] == ["A1", "x"]


def test_unreadable_files():
    with pytest.raises(FileFormatError):
        read_table(b"")
    with pytest.raises(FileFormatError):
        read_table(b"\xd0\xcf\x11\xe0rest of an old xls", "roster.xls")
    with pytest.raises(FileFormatError):
        read_table(b"PK\x03\x04broken zip", "x.xlsx")


def test_header_normalisation():
    assert normalize_header(" 工号* ") == normalize_header("工号")
    assert normalize_header("入职日期（yyyy-mm-dd）") == normalize_header("入职日期")
    assert normalize_header("Employee_No") == normalize_header("employee no")
    assert normalize_header("ＥＭＰＬＯＹＥＥ　ＮＯ") == normalize_header("employee no")
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_header_problems_are_named():
    spec = import_spec("agents")
    header = match_headers(["姓名", "工号", "Employee number", "备注", "班组"], spec, row=1)
    messages = [e.message for e in header.errors]
    assert any("工号" in m and "Employee number" in m and "B" in m and "C" in m for m in messages)
    assert [w.column for w in header.warnings] == ["备注"]
    missing = match_headers(["姓名", "班组"], spec, row=1)
    assert any(e.field == "employee_no" for e in missing.errors)


@pytest.mark.parametrize(
    "raw",
    ["2024-03-01", "2024/3/1", "2024年3月1日", "2024.3.1", "20240301", "2024-03-01 00:00:00",
     dt.datetime(2024, 3, 1), dt.date(2024, 3, 1)],
)
def test_dates(raw):
    assert date_value()(raw, None) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("raw", ["2024-02-30", "03/01/2024", "yesterday", "1800-01-01"])
def test_bad_dates(raw):
    with pytest.raises(CellError):
        date_value()(raw, None)


def test_dates_parsed_as_a_column_equal_dates_parsed_one_by_one():
    """``parse_texts`` takes plain dates at once and gives up (None) on anything the per-cell parse
    would read differently or reject, so each such text is parsed, and reported, on its own."""
    parse = date_value(min_year=1950, max_year=2030)
    plain = ["2024-03-01", "1985/3/7", "2020.12.31", "2024-3/1", "２０２４-０３-０２", "1950-01-01", "2030-12-31"]
    assert parse.parse_texts(plain, None) == [parse(text, None) for text in plain]
    for odd in ("2024年3月1日", "20240301", "2024-03-01 00:00:00", "2023-02-30", "1949-12-31", "2031-01-01",
                "2024-03-01\n2024-03-02", "03/01/2024", "2024-003-01"):
        assert parse.parse_texts([*plain, odd], None) is None, odd


def test_multi_choice_separators():
    parse = multi_choice({"voice": "voice", "chat": "chat", "email": "email"}, order=["voice", "chat", "email"])
    for raw in ["chat,voice", "chat，voice", "chat、voice", "chat/voice", "chat; voice", "voice chat,chat"[6:] + ",voice"]:
        assert parse(raw, None) == ["voice", "chat"]
    with pytest.raises(CellError, match="fax"):
        parse("voice、fax", None)


def test_clean_text_undoes_export_neutralisation():
    assert clean_text("'=1+1") == "=1+1"
    assert clean_text("  '-x ") == "-x"
    assert clean_text("'quoted") == "'quoted"


@given(st.text(max_size=20))
def test_normalize_token_is_idempotent(value):
    assert normalize_token(normalize_token(value)) == normalize_token(value)


def test_blank_csv_rows_are_skipped_and_numbers_kept():
    data = "工号,姓名,班组\nA1,甲,t1\n\n , ,\t\n,乙,t2\n,,\n ,丙,\nA4,丁,t4\n".encode()
    table = read_table(data)
    assert [(number, cells[1]) for number, cells in table.rows] == [
        (1, "姓名"), (2, "甲"), (5, "乙"), (7, "丙"), (8, "丁")]


def _xlsx(rows, patch=None, shared_text: str | None = None) -> bytes:
    """A workbook of ``rows``; ``patch(sheet_xml) -> sheet_xml`` rewrites its first sheet."""
    import io
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    if shared_text is not None:  # a cell holds at most 32,767 characters
        for row in range(10, 50):
            workbook.active.cell(row=row, column=1, value=shared_text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if patch is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = patch(data.decode()).encode()
            target.writestr(name, data)
    return out.getvalue()


def test_xlsx_declaring_the_whole_sheet_reads_only_its_cells():
    """A 2 KB file declaring A1:XFD1048576 used to pad every row to 16,384 cells."""
    import re

    data = _xlsx([["工号", "姓名"], ["A001", "张伟"]],
                 patch=lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml))
    table = read_table(data, "agents.xlsx")
    assert [values for _, values in table.rows] == [["工号", "姓名"], ["A001", "张伟"]]


def test_xlsx_with_data_past_the_column_limit_is_refused():
    from zhiren.imports.tables import read_xlsx

    data = _xlsx([["a", "b", "c"], [1, 2, 3]])
    with pytest.raises(FileFormatError, match="Row 1 has data past column 2"):
        read_xlsx(data, max_columns=2)
    assert len(read_xlsx(data, max_columns=3).rows) == 2


def test_xlsx_data_anywhere_past_the_column_limit_is_refused_and_blank_cells_there_are_not():
    """Not only the column after the limit: a value at XFD1048576 below the whole grid it declares too."""
    import re

    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _xlsx([["工号", "姓名"], ["A001", "张伟"]], patch=lambda xml: re.sub(
        r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml).replace("</sheetData>", far))
    with pytest.raises(FileFormatError, match="Row 1048576 has data past column 200"):
        read_table(data, "agents.xlsx")
    styled = _xlsx([["工号", "姓名"], ["A001", "张伟"]], patch=lambda xml: xml.replace(
        "</sheetData>", '<row r="3"><c r="A3" t="inlineStr"><is><t>A002</t></is></c><c r="KZ3" s="0"/></row></sheetData>'))
    assert [values for _, values in read_table(styled, "agents.xlsx").rows][-1] == ["A002"]


def test_xlsx_unpacking_past_the_limit_is_refused_before_it_is_read():
    from zhiren.imports.tables import read_xlsx

    data = _xlsx([["a"]], shared_text="长" * 30_000)  # 40 cells: 3.6 MB of text, a few KB packed
    assert len(data) < 100_000
    with pytest.raises(FileFormatError, match="unpacks to 3 MB, more than the 1 MB allowed"):
        read_xlsx(data, max_unpacked_bytes=2**20)


def test_formula_without_a_saved_result_is_named_not_read_as_blank():
    data = _xlsx([["工号", "生日"], ["A001", "=DATE(1995,6,15)"], ["A002", "=DATE(1996,1,2)"]])
    with pytest.raises(FileFormatError, match="B2, B3"):
        read_table(data, "agents.xlsx")
    saved = _xlsx([["工号", "生日"], ["A001", "=DATE(1995,6,15)"]],
                  patch=lambda xml: xml.replace("<v />", "<v>34865</v>"))
    assert read_table(saved, "agents.xlsx").rows[1][1] == ["A001", 34865]
