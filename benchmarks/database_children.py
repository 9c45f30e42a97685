"""Running a benchmark's measuring half in a child process bound to one database.

Each database (a temporary SQLite file, a scratch PostgreSQL database) gets a
fresh process, because Django's settings read ``DATABASE_URL`` once at start-up.
The child prints its results as one JSON line last.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test")


def run_child(script: str, args: list[str], database_url: str, var_dir: str, timeout: int = 900):
    """Run ``script --child ARGS`` against ``database_url``; its last JSON line, or None on failure."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="zhiren.settings",
        DATABASE_URL=database_url,
        ZHIREN_VAR_DIR=var_dir,
        TASK_BACKEND="immediate",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
    )
    proc = subprocess.run(  # noqa: S603 - our own script with our own arguments
        [sys.executable, script, "--child", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    if proc.returncode != 0:
        print(f"{args[0] if args else script}: failed\n{proc.stderr[-3000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pg_admin(sql: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(PG_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)
    except Exception as exc:  # unreachable server, no rights …
        print(f"PostgreSQL skipped: {exc.__class__.__name__}: {str(exc).strip()[:200]}")
        return False
    return True


@contextlib.contextmanager
def scratch_postgres(name: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database next to ``BENCH_PG_URL`` for the block (None if unreachable).

    The process id is appended to ``name`` so that two benchmark runs at once do not drop each
    other's database.
    """
    name = f"{name}_{os.getpid()}"
    if not (_pg_admin(f"DROP DATABASE IF EXISTS {name}") and _pg_admin(f"CREATE DATABASE {name}")):
        yield None
        return
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {name}")
