"""Worker liveness: the heartbeat a ``zhiren worker`` keeps and ``zhiren worker_alive`` reads."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from zhiren.core import heartbeat


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_a_beating_worker_is_alive_and_a_stopped_one_is_not(var_dir, capsys):
    with pytest.raises(CommandError, match="0 live worker"):
        call_command("worker_alive")
    beat = heartbeat.Heartbeat(interval=0.01)
    beat.start()
    deadline = time.monotonic() + 10
    while not beat.path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    call_command("worker_alive", "--max-age", "60")
    assert f"worker {os.getpid()}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 live worker"):
        call_command("worker_alive", "--min", "2")
    beat.stop()
    assert not beat.path.exists()
    with pytest.raises(CommandError):
        call_command("worker_alive")


def test_a_silent_or_dead_worker_is_not_alive(var_dir):
    folder = heartbeat.directory()
    folder.mkdir()
    silent = folder / f"worker-{os.getpid()}"
    silent.touch()
    os.utime(silent, (time.time() - 120, time.time() - 120))  # last beat two minutes ago
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (folder / f"worker-{gone.stdout.strip()}").touch()  # fresh, but its process has ended
    (folder / "worker-notapid").touch()
    assert [b.pid for b in heartbeat.beats()] == [os.getpid()]
    with pytest.raises(CommandError):
        call_command("worker_alive", "--max-age", "60")
    call_command("worker_alive", "--max-age", "180")
