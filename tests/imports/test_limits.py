"""Limits an operator sets (size, rows, columns, unpacked XLSX) and imports read in chunks.

Each limit is refused with a message naming the limit and its setting, and nothing is
written; a file longer than one chunk is still imported all or nothing, and finds the
same rows, changes and errors as when it is read whole.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from zhiren.imports import services, streaming
from zhiren.imports.models import ImportJob, ImportStatus
from zhiren.imports.services import commit_job, job_file, run_import, run_job, start_job
from zhiren.imports.tables import open_table
from zhiren.org.models import Agent

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

HEADER = "工号,姓名,班组,入职日期\n"


def roster(count: int, bad: dict[int, str] | None = None) -> bytes:
    """``count`` agents, one a line from row 2; ``bad`` replaces the line of a spreadsheet row."""
    lines = [f"K{n:04d},员工{n},sh-after,2024-03-01" for n in range(count)]
    for row, line in (bad or {}).items():
        lines[row - 2] = line
    return (HEADER + "\n".join(lines) + "\n").encode()


def stored_agents() -> list[tuple]:
    return list(
        Agent.objects.order_by("employee_no").values_list(
            "employee_no", "name", "team__code", "hire_date"
        )
    )


def recovery_message() -> str:
    from zhiren.imports.recovery import abandoned_check_message

    return abandoned_check_message()


# --- each limit: refused with its message, nothing written ------------------------------------------


def test_a_file_over_the_size_limit_is_refused_unread_everywhere(
    org, upload_dir, settings, tmp_path, client_for, monkeypatch
):
    settings.IMPORT_MAX_FILE_MB = 0.0005  # 524 bytes
    data = roster(40)
    assert len(data) > 524
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    monkeypatch.setattr(streaming, "validate", None)  # nothing may be validated: calling None fails

    with translation.override("en"):
        result = run_import("agents", data, user=org.hr)
    assert not result.ok and result.table is None and Agent.objects.count() == 0
    assert [e.message for e in result.errors] == [
        "The file is 0.0014 MB, more than the 0.0005 MB an import accepts (setting IMPORT_MAX_FILE_MB). "
        "Split the file, or ask an administrator to raise the limit."
    ]

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "agents", str(path), stdout=io.StringIO(), stderr=err)
    assert "IMPORT_MAX_FILE_MB" in err.getvalue() and Agent.objects.count() == 0

    page = client_for(org.hr).post(
        reverse("imports:upload", args=["agents"]), {"file": SimpleUploadedFile("big.csv", data)}
    )
    assert page.status_code == 200 and "IMPORT_MAX_FILE_MB" in page.content.decode()
    page = client_for(org.sh_manager).post(
        reverse("performance:import"),  # the contact upload's own form
        {"file": SimpleUploadedFile("big.csv", data), "mapping": ""},
    )
    assert page.status_code == 200 and "IMPORT_MAX_FILE_MB" in page.content.decode()
    assert not ImportJob.objects.exists()

    job = start_job(
        "agents", SimpleUploadedFile("big.csv", data), user=org.hr
    )  # the service guards too
    assert job.status == ImportStatus.FAILED and "IMPORT_MAX_FILE_MB" in job.errors[0]["message"]
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_a_csv_over_the_row_limit_is_refused_before_a_row_is_checked(org, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 5  # non-blank rows, the header included
    assert run_import("agents", roster(4), user=org.hr).committed  # 5 rows: at the limit
    Agent.objects.all().delete()
    monkeypatch.setattr(streaming, "validate", None)
    with translation.override("en"):
        result = run_import("agents", roster(5), user=org.hr)
    assert [e.message for e in result.errors] == [
        "The file has more than 5 rows, the most an import reads (setting IMPORT_MAX_ROWS). "
        "Split the file, or ask an administrator to raise the limit."
    ]
    assert Agent.objects.count() == 0


def test_line_breaks_inside_cells_do_not_count_as_rows(org, settings):
    settings.IMPORT_MAX_ROWS = 3
    data = (
        '工号,姓名,班组,备注\nK1,甲,sh-after,"第一行\n第二行\n第三行"\nK2,乙,sh-after,\n'.encode()
    )  # 5 lines, 3 rows
    result = run_import("agents", data, user=org.hr)
    assert result.committed and Agent.objects.count() == 2


def test_an_xlsx_over_the_row_limit_is_refused_and_its_written_chunks_undone(org, settings):
    from openpyxl import Workbook

    settings.IMPORT_MAX_ROWS = 30
    settings.IMPORT_CHUNK_ROWS = 4  # chunks are written before the row past the limit is met
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "班组"])
    for n in range(40):
        workbook.active.append([f"X{n:03d}", f"员工{n}", "sh-after"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import("agents", buffer.getvalue(), "roster.xlsx", user=org.hr)
    assert not result.committed and len(result.errors) == 1
    assert "IMPORT_MAX_ROWS" in result.errors[0].message and "30" in result.errors[0].message
    assert Agent.objects.count() == 0


def test_a_csv_row_past_the_column_limit_is_refused(org, settings):
    settings.IMPORT_MAX_COLUMNS = 4
    assert run_import(
        "agents", (HEADER.strip() + ",,,\nK1,甲,sh-after,2024-03-01,, ,\n").encode(), user=org.hr
    ).committed  # blank cells past the limit are dropped
    with translation.override("en"):
        result = run_import(
            "agents", (HEADER + "K2,乙,sh-after,2024-03-01,,note\n").encode(), user=org.hr
        )
    assert [e.message for e in result.errors] == [
        "Row 2 has data past column 4; an import reads at most 4 columns (setting IMPORT_MAX_COLUMNS)."
    ]
    assert list(Agent.objects.values_list("employee_no", flat=True)) == ["K1"]


def test_an_xlsx_unpacking_past_the_limit_is_refused_through_an_import(org, settings):
    from .test_reading import _xlsx

    settings.IMPORT_XLSX_MAX_UNPACKED_MB = 1
    data = _xlsx([["工号", "姓名", "班组"], ["X1", "甲", "sh-after"]], shared_text="长" * 30_000)
    result = run_import("agents", data, "roster.xlsx", user=org.hr)
    assert not result.ok and "IMPORT_XLSX_MAX_UNPACKED_MB" in result.errors[0].message
    assert Agent.objects.count() == 0


def test_limits_are_checked_in_the_order_a_reader_meets_them(settings, tmp_path):
    settings.IMPORT_MAX_FILE_MB = 1
    path = tmp_path / "ok.csv"
    path.write_bytes(roster(3))
    with open_table(path) as stream:  # a path is read from disk, a chunk at a time
        assert (stream.format, stream.encoding, stream.delimiter) == ("csv", "utf-8", ",")
        assert [number for number, _cells in stream.rows()] == [1, 2, 3, 4]


# --- chunks: still all or nothing, same answers as one pass -------------------------------------------


def test_a_bad_row_late_in_a_chunked_file_writes_nothing(org, settings, monkeypatch):
    settings.IMPORT_CHUNK_ROWS = 7
    writes = []
    real_write = streaming.write_plan
    monkeypatch.setattr(
        streaming, "write_plan", lambda *args: (writes.append(1), real_write(*args))
    )
    result = run_import(
        "agents", roster(60, bad={55: "K0053,员工53,no-such-team,2024-03-01"}), user=org.hr
    )
    assert len(writes) >= 6  # the chunks before row 55 were written, then rolled back
    assert not result.ok and not result.committed
    [error] = result.errors
    assert (error.row, error.column) == (55, "班组") and "no-such-team" in error.message
    assert Agent.objects.count() == 0


def test_a_bad_row_late_in_a_chunked_job_fails_it_and_writes_nothing(org, upload_dir, settings):
    settings.IMPORT_CHUNK_ROWS = 7
    job = start_job("agents", SimpleUploadedFile("r.csv", roster(60)), user=org.hr)
    assert job.status == ImportStatus.PREVIEW and job.created_count == 60
    job_file(job).write_bytes(
        roster(60, bad={58: "K0056,员工56,sh-after,2024-02-30"})
    )  # changed meanwhile
    job = commit_job(job, user=org.hr)
    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(58, "入职日期")]
    assert Agent.objects.count() == 0


def test_a_key_repeated_in_another_chunk_is_a_duplicate(org, settings):
    settings.IMPORT_CHUNK_ROWS = 5
    data = roster(30, bad={27: "K0001,又一个,sh-after,2024-03-01"})  # K0001 is in row 3
    for dry_run in (True, False):
        result = run_import("agents", data, user=org.hr, dry_run=dry_run)
        [error] = result.errors
        assert (error.row, error.column) == (27, "工号")
        assert "K0001" in error.message and "3" in error.message and "27" in error.message
        assert Agent.objects.count() == 0


def test_a_spelling_parsed_in_an_earlier_chunk_keeps_its_value_and_its_error(org, settings):
    settings.IMPORT_CHUNK_ROWS = 5  # the same hire dates, right and wrong, in several chunks
    bad = {row: f"K{row - 2:04d},员工{row - 2},sh-after,2024-02-30" for row in (3, 24, 40)}
    result = run_import("agents", roster(45, bad=bad), user=org.hr)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "入职日期"),
        (24, "入职日期"),
        (40, "入职日期"),
    ]
    assert len({e.message for e in result.errors}) == 1 and Agent.objects.count() == 0
    fixed = run_import("agents", roster(45), user=org.hr)
    assert fixed.committed and set(Agent.objects.values_list("hire_date", flat=True)) == {
        result_date()
    }


@pytest.mark.parametrize("chunk_rows", [3, 7, 1000])
def test_chunks_import_what_one_pass_imports(org, settings, chunk_rows):
    settings.IMPORT_CHUNK_ROWS = chunk_rows
    data = roster(60)
    dry = run_import("agents", data, user=org.hr, dry_run=True)
    assert dry.counts() == {
        "total": 60,
        "created": 60,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
        "error_rows": 0,
    }
    assert [c.row for c in dry.plan.creates[:50]] == list(range(2, 52))
    result = run_import("agents", data, user=org.hr)
    assert result.committed and result.counts()["created"] == 60
    assert stored_agents() == [
        (f"K{n:04d}", f"员工{n}", "sh-after", result_date()) for n in range(60)
    ]
    changed = roster(60, bad={40: "K0038,改名,sh-after,2024-03-01"})
    again = run_import("agents", changed, user=org.hr)
    assert again.counts()["updated"] == 1 and again.counts()["unchanged"] == 59
    [update] = again.plan.updates
    assert (update.row, update.key, update.diffs["name"]) == (40, "K0038", ("员工38", "改名"))
    assert result.plan.changed_fields() == ["employee_no", "hire_date", "name", "team"]


def result_date():
    import datetime as dt

    return dt.date(2024, 3, 1)


def test_a_long_file_keeps_the_first_errors_and_counts_them_all(org, settings, monkeypatch):
    settings.IMPORT_CHUNK_ROWS = 4
    monkeypatch.setattr(streaming, "ERRORS_KEPT", 5)
    data = roster(30, bad={row: f"K{row:04d},,sh-after,2024-03-01" for row in range(2, 32)})
    result = run_import("agents", data, user=org.hr)
    assert [e.row for e in result.errors] == [2, 3, 4, 5, 6]
    assert result.counts()["errors"] == 30 and result.counts()["error_rows"] == 30


# --- the web: a large upload is read by the worker, never in the request -------------------------------


def test_a_large_upload_is_checked_by_the_worker_not_the_request(
    org, upload_dir, settings, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_MB = 0.0001  # 105 bytes: the roster fixture is larger
    reads = []
    real_read_plan = services.read_plan
    monkeypatch.setattr(
        services,
        "read_plan",
        lambda *args, **kwargs: (reads.append(1), real_read_plan(*args, **kwargs))[1],
    )
    client = client_for(org.hr)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("imports:upload", args=["agents"]),
            {"file": SimpleUploadedFile("agents.csv", fixture_bytes("agents_utf8.csv"))},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and not reads  # stored and queued, not parsed
    assert (job.status, job.stage) == (ImportStatus.QUEUED, services.CHECKING) and job_file(
        job
    ).exists()
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-testid="import-commit"' not in page
    assert (
        commit_job(job, user=org.hr).status == ImportStatus.QUEUED
    )  # not yet previewed: nothing to commit
    for callback in callbacks:
        callback()  # the task worker (immediate backend) checks the file
    job.refresh_from_db()
    assert reads and (job.status, job.created_count, job.encoding) == (
        ImportStatus.PREVIEW,
        4,
        "utf-8",
    )
    progress = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    assert 'data-testid="import-commit"' in client.get(response.url).content.decode()
    assert commit_job(job, user=org.hr).status == ImportStatus.DONE and Agent.objects.count() == 4


def test_a_checking_job_whose_worker_died_is_failed_to_be_uploaded_again(org, upload_dir, settings):
    from datetime import timedelta

    from django.utils import timezone

    from zhiren.imports.recovery import fail_abandoned_jobs, may_retry

    settings.IMPORT_BACKGROUND_MB = 0.0001
    job = start_job(
        "agents", SimpleUploadedFile("agents.csv", fixture_bytes("agents_utf8.csv")), user=org.hr
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        updated_at=timezone.now() - timedelta(minutes=settings.IMPORT_JOB_LEASE_MINUTES + 1),
    )
    assert fail_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not may_retry(job)
    assert job.errors[0]["message"] == recovery_message()
    assert run_job(job.pk).status == ImportStatus.FAILED and Agent.objects.count() == 0


def _with_shared_strings(data: bytes) -> bytes:
    """The workbook as Excel and WPS save it: texts in a shared-strings table (openpyxl writes them inline)."""
    import io
    import re
    import zipfile
    from xml.sax.saxutils import escape

    texts: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = texts.setdefault(match.group(2), len(texts))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    sheet = re.sub(
        r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>',
        shared,
        source.read("xl/worksheets/sheet1.xml").decode(),
    )
    table = "".join(f"<si><t>{escape(text)}</t></si>" for text in texts)
    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(texts)}" uniqueCount="{len(texts)}">{table}</sst>',
        "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml" Id="rId9" /></Relationships>',
        ),
        "[Content_Types].xml": source.read("[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
        ),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts.pop(name, None) or source.read(name))
        for name, text in parts.items():
            target.writestr(name, text)
    return out.getvalue()


def test_an_xlsx_with_too_many_shared_texts_is_refused_before_openpyxl_reads_them(org, settings):
    from .test_reading import _xlsx

    settings.IMPORT_XLSX_MAX_SHARED_TEXTS = 13
    rows = [["工号", "姓名", "班组"]] + [[f"S{i}", f"员工{i}", "sh-after"] for i in range(1, 6)]
    data = _with_shared_strings(
        _xlsx(rows)
    )  # 3 header texts + 5 ids + 5 names + 1 team: 14 different texts
    result = run_import("agents", data, "roster.xlsx", user=org.hr)
    assert not result.ok
    assert result.errors[0].message == (
        "The Excel file holds more than 13 different texts, the most an import reads "
        "(setting IMPORT_XLSX_MAX_SHARED_TEXTS); save the data as CSV, or split the file."
    )
    assert Agent.objects.count() == 0

    settings.IMPORT_XLSX_MAX_SHARED_TEXTS = 14  # exactly as many as the file holds: taken
    assert run_import("agents", data, "roster.xlsx", user=org.hr).ok
    assert sorted(Agent.objects.values_list("name", flat=True)) == [f"员工{i}" for i in range(1, 6)]


@pytest.mark.parametrize("block", [1, 3, 5, 64])
def test_shared_texts_are_counted_across_block_boundaries(monkeypatch, block):
    import io
    import zipfile

    from zhiren.imports import tables

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "xl/sharedStrings.xml",
            "<sst><si><t>甲</t></si><si><t>乙</t></si>"
            '<x:si xml:space="preserve"><x:t>丙</x:t></x:si></sst>',
        )
    monkeypatch.setattr(tables, "BLOCK", block)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as package:
        assert not tables._shared_texts_over(package, 3)
        assert tables._shared_texts_over(package, 2)
