"""``zhiren import agents FILE [--dry-run]`` and ``zhiren export agents FILE``."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from zhiren.cli import main as zhiren_main
from zhiren.org.models import Agent

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_dry_run_then_commit_then_rerun(org):
    out, _err = run("import", "agents", str(FIXTURES / "agents_gbk.csv"), "--dry-run")
    assert "gbk" in out and "4" in out
    assert Agent.objects.count() == 0
    out, _err = run("import", "agents", str(FIXTURES / "agents_gbk.csv"))
    assert Agent.objects.count() == 4
    out, _err = run("import", "agents", str(FIXTURES / "agents.xlsx"))
    assert Agent.objects.count() == 4


def test_import_bad_file_exits_non_zero_with_row_and_column(org):
    with pytest.raises(CommandError) as excinfo:
        run("import", "agents", str(FIXTURES / "agents_bad.csv"))
    assert Agent.objects.count() == 0
    assert "6" in str(excinfo.value)  # error count in the final message


def test_console_script_exit_code_and_messages(org, capsys):
    with pytest.raises(SystemExit) as excinfo:
        zhiren_main(["import", "agents", str(FIXTURES / "agents_bad.csv")])
    assert excinfo.value.code != 0
    lines = capsys.readouterr().err.splitlines()
    assert any("3" in line and "“班组”" in line and "no-such-team" in line for line in lines)
    assert any("5" in line and "“工号”" in line and "B001" in line for line in lines)


def test_missing_file_is_an_error(org, tmp_path):
    with pytest.raises(CommandError):
        run("import", "agents", str(tmp_path / "nope.csv"))


def test_export_csv_and_xlsx(org, tmp_path):
    run("import", "agents", str(FIXTURES / "agents_utf8.csv"))
    out, _err = run("export", "agents", str(tmp_path / "agents.csv"))
    assert "4" in out
    rows = list(csv.reader((tmp_path / "agents.csv").read_text("utf-8-sig").splitlines()))
    assert len(rows) == 5 and rows[1][0] == "A001"
    run("export", "agents", str(tmp_path / "agents.xlsx"))
    with translation.override("en"):
        out, _err = run("import", "agents", str(tmp_path / "agents.xlsx"), "--dry-run")
    assert "0 to create, 0 to update, 4 unchanged" in out
