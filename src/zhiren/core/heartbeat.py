"""Worker liveness: each ``zhiren worker`` touches a file of its own while it runs.

The file is ``$ZHIREN_VAR_DIR/heartbeats/worker-<pid>``; a thread of the worker touches it every
``WORKER_HEARTBEAT_SECONDS``, whatever the worker is doing (an RQ worker runs each job in a child
process, so a long job does not stop the beat). ``zhiren worker_alive`` (a liveness probe for the
machine's process supervisor or container runtime) answers whether a worker on this machine beat
recently. No database and no Redis: the check says whether the worker process lives, not whether
the services it uses answer.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


def directory() -> Path:
    return Path(settings.VAR_DIR) / "heartbeats"


@dataclass(frozen=True)
class Beat:
    pid: int
    age: float  # seconds since the last beat


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def beats(now: float | None = None) -> list[Beat]:
    """Every worker of this machine that has beaten and still runs, the most recent first."""
    now = time.time() if now is None else now
    found = []
    for path in directory().glob("worker-*"):
        try:
            pid = int(path.name.removeprefix("worker-"))
            age = now - path.stat().st_mtime
        except (ValueError, OSError):
            continue
        if _running(pid):
            found.append(Beat(pid, max(age, 0.0)))
    return sorted(found, key=lambda beat: beat.age)


class Heartbeat(threading.Thread):
    """Touches this process's heartbeat file every ``interval`` seconds until ``stop()``."""

    def __init__(self, interval: float | None = None) -> None:
        super().__init__(name="zhiren-heartbeat", daemon=True)
        self.interval = settings.WORKER_HEARTBEAT_SECONDS if interval is None else interval
        self.path = directory() / f"worker-{os.getpid()}"
        self._stopped = threading.Event()

    def run(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while not self._stopped.is_set():
            self.path.touch()
            # Stamp the beat with the clock ``beats()`` reads, not the file system's own, so
            # a process whose clock is set (a test's frozen instant) agrees with itself.
            now = time.time()
            os.utime(self.path, (now, now))
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)
        self.path.unlink(missing_ok=True)
