"""Fixtures of the scale-out tests: real ``zhiren`` processes sharing one database and one Redis.

- ``redis_url``: a Redis database number of this run's own, claimed with a key, so parallel runs
  and other people's keys on the same server are left alone: only RQ's keys, the test cache's and
  the claim are deleted, never a whole database. Without Redis the tests skip, or fail where
  ``ZHIREN_REQUIRE_REDIS`` is set.
- ``shared_db``: the test database, reachable by subprocesses. On PostgreSQL that is the test
  database itself (committed data: ``transactional_db``); on SQLite the in-memory test database is
  copied to a file and this process reads and writes that file for the rest of the test.
- ``zhiren``: starts ``python -m zhiren.cli ...`` subprocesses with that database and Redis,
  stopped at the end with everything they started (RQ forks a work-horse per job).
- ``rq_backend``: this process enqueues tasks on that Redis through django-tasks' RQ backend.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import zhiren

from ..environment import required

REDIS_SERVER = os.environ.get("ZHIREN_TEST_REDIS", "redis://127.0.0.1:6379")
CLAIM_KEY = "zhiren:test-run-claim"
SOURCE_DIR = Path(zhiren.__file__).resolve().parent.parent


def _missing(reason: str):
    if required("ZHIREN_REQUIRE_REDIS"):
        pytest.fail(f"ZHIREN_REQUIRE_REDIS is set but {reason}")
    pytest.skip(reason)


OWN_KEYS = ("rq:*", "zhiren-test:*")  # RQ's, and the cache's under the prefix the tests give it


def forget_rq_keys(client) -> None:
    """Delete RQ's and the test cache's keys in this run's own Redis database (never FLUSHDB)."""
    keys = [key for pattern in OWN_KEYS for key in client.scan_iter(pattern, count=500)]
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def redis_url():
    try:
        import redis
    except ImportError:
        _missing("the redis extra is not installed (pip install -e '.[dev,redis]')")
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    for number in range(15, 0, -1):  # database 0 is the default of installations: never used here
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
        try:
            if client.set(CLAIM_KEY, token, nx=True, ex=3600):
                break
        except redis.RedisError as exc:
            _missing(f"no Redis answers at {REDIS_SERVER} ({exc})")
    else:
        pytest.fail(f"every Redis database 1-15 at {REDIS_SERVER} is claimed by another test run")
    forget_rq_keys(client)  # left by an earlier run that was killed
    try:
        yield f"{REDIS_SERVER}/{number}"
    finally:
        forget_rq_keys(client)
        if client.get(CLAIM_KEY) == token.encode():
            client.delete(CLAIM_KEY)
        client.close()


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    forget_rq_keys(client)  # each test starts with an empty queue
    yield client
    client.close()


@dataclass
class SharedDatabase:
    url: str
    vendor: str


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    from django.db import connections

    original = connections["default"]
    settings = original.settings_dict
    if original.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        yield SharedDatabase(
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}",
            "postgresql",
        )
        return
    assert original.vendor == "sqlite", original.vendor
    path = tmp_path / "shared.sqlite3"
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)  # the migrated schema (and nothing else: transactional)
    target.close()
    copy = type(original)({**settings, "NAME": str(path)}, alias="default")
    connections["default"] = copy
    try:
        yield SharedDatabase(f"sqlite:///{path}", "sqlite")
    finally:
        copy.close()
        connections["default"] = original


@pytest.fixture
def rq_backend(settings, redis_url, redis_client):
    """Tasks enqueued by this process go to the run's own Redis, through django-tasks' RQ backend."""
    settings.TASK_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_client


@dataclass
class Zhiren:
    """Starts ``zhiren`` sub-commands against the shared database and Redis."""

    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, *args: str, name: str, **env: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "zhiren.cli", *args],
            env={**self.env, **env},
            cwd=SOURCE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        process.log_name = name  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def log(self, process: subprocess.Popen) -> str:
        return (self.logs / f"{process.log_name}.log").read_text(errors="replace")[-4000:]  # type: ignore[attr-defined]

    def wait(self, *processes: subprocess.Popen, timeout: float = 180) -> None:
        """Wait for processes that end by themselves (burst workers); each must exit 0."""
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"{process.args} still running after {timeout} s:\n{self.log(process)}")
            assert code == 0, f"{process.args} exited {code}:\n{self.log(process)}"

    def kill(self, process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Signal a process and all its descendants, as when its machine dies (an RQ work-horse
        runs in a process group of its own, so the worker's group alone would leave it running)."""
        for pid in [*descendants(process.pid), process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill(process, signal.SIGKILL)

    def serve(self, *, name: str, **env: str) -> str:
        """Start ``zhiren serve`` on a free loopback port; returns its base URL once it answers."""
        port = free_port()
        process = self.start(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4", name=name, **env
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"{name} exited {process.returncode}:\n{self.log(process)}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return base
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        pytest.fail(f"{name} did not answer within 120 s:\n{self.log(process)}")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)


def descendants(pid: int) -> list[int]:
    """The process ids below ``pid`` (Linux: /proc), deepest first."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found: list[int] = []
    for child in map(int, children):
        found += [*descendants(child), child]
    return found


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def zhiren_env(shared_db, redis_url, tmp_path, settings):
    """The environment of every subprocess: one database, one Redis, one secret, one upload dir."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "ZHIREN_", "PYTEST", "DATABASE_", "TASK_", "REDIS", "CACHE_")
        )
    }
    env.update(
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")])
        ),
        DJANGO_SETTINGS_MODULE="zhiren.settings",
        DATABASE_URL=shared_db.url,
        DATABASE_CONN_MAX_AGE="0",
        TASK_BACKEND="rq",
        REDIS_URL=redis_url,
        ZHIREN_VAR_DIR=str(var),
        SECRET_KEY="scale-test-" + "k" * 50,
        IMPORT_UPLOAD_DIR=str(settings.IMPORT_UPLOAD_DIR),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # sent: DigestDelivery
        PASSWORD_PBKDF2_ITERATIONS="1000",
        SECURE_COOKIES="0",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture
def zhiren(zhiren_env, tmp_path):
    runner = Zhiren(zhiren_env, tmp_path)
    yield runner
    runner.stop_all()
