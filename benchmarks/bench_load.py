"""Fifty people on the floor at once: ``zhiren serve`` on PostgreSQL over loopback.

    .venv/bin/python benchmarks/bench_load.py            # 50 users, 60 s
    BENCH_USERS=20 BENCH_SECONDS=30 .venv/bin/python benchmarks/bench_load.py

What a user waits for, end to end, on this machine:

1. a scratch PostgreSQL database with the demo centre (``zhiren demo --no-serve``);
2. ``zhiren serve`` (waitress, ``DEBUG=0``) started as an operator starts it;
3. ``BENCH_USERS`` browsers arrive over ``BENCH_RAMP`` seconds (a shift starting), each logs in
   with the login form (CSRF and all), as an agent, a team lead or a site manager (2 : 2 : 1);
4. each then walks the pages its own home page links to (the lead's team pages, the agent's
   schedule and profile, the manager's dashboards), with ``BENCH_THINK`` seconds between clicks,
   for ``BENCH_SECONDS``.

Printed: login POST p50/p95, page p50/p95/p99 per role and overall, errors (any status ≥ 400 or a
failed connection), throughput, and the load average. The baseline measured in the same run is
``/healthz`` (no database, no session) probed once a second under the same load: the ratio says
how much of a page's time is the page's own work rather than the server being busy.
Goals (issue 17): 0 errors, page p95 ≤ 500 ms, login median < 1 s.
"""

from __future__ import annotations

import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from database_children import ROOT, scratch_postgres  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
RAMP = float(os.environ.get("BENCH_RAMP", "10"))
THINK = float(os.environ.get("BENCH_THINK", "1.0"))
ROLES = ["agent", "lead", "agent", "lead", "manager"]
SKIP = re.compile(r"logout|/i18n/|/admin/|\.(csv|xlsx|ics|json|pdf)$|export|download|/api/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
        if ordered
        else float("nan")
    )


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict[str, list[float]] = defaultdict(list)
        self.logins: list[float] = []
        self.health: list[float] = []
        self.errors: list[str] = []

    def page(self, role: str, seconds: float) -> None:
        with self.lock:
            self.pages[role].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="(/[^"#]*)"', html):
        if not SKIP.search(href) and href not in found and not href.startswith("/static/"):
            found.append(href)
    return found


def browse(
    base: str, username: str, password: str, role: str, stop_at: float, rec: Recorder
) -> None:
    import requests

    session = requests.Session()
    try:
        page = session.get(f"{base}/accounts/login/", timeout=30)
        token = session.cookies.get("csrftoken")
        started = time.perf_counter()
        answer = session.post(
            f"{base}/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": page.url},
            timeout=60,
            allow_redirects=False,
        )
        rec.logins.append(time.perf_counter() - started)
        if answer.status_code != 302:
            rec.error(f"login {username}: {answer.status_code}")
            return
        home = session.get(f"{base}/", timeout=30)
        links = _links(home.text)[:15] or ["/"]
    except requests.RequestException as exc:
        rec.error(f"{username}: {exc.__class__.__name__}")
        return
    rng = random.Random(hash(username) ^ threading.get_ident())
    while time.monotonic() < stop_at:
        url = rng.choice(links)
        started = time.perf_counter()
        try:
            response = session.get(base + url, timeout=30)
            elapsed = time.perf_counter() - started
            if response.status_code >= 400:
                rec.error(f"{role} {url}: {response.status_code}")
            else:
                rec.page(role, elapsed)
        except requests.RequestException as exc:
            rec.error(f"{role} {url}: {exc.__class__.__name__}")
        time.sleep(rng.uniform(0.5, 1.5) * THINK)


def probe_health(base: str, stop_at: float, rec: Recorder) -> None:
    import requests

    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            requests.get(f"{base}/healthz", timeout=30)
            rec.health.append(time.perf_counter() - started)
        except requests.RequestException:
            rec.error("healthz: no answer")
        time.sleep(1.0)


def _demo_password() -> str:
    source = (ROOT / "src/zhiren/demo/org_data.py").read_text()
    return re.search(r'DEMO_PASSWORD = "([^"]+)"', source).group(1)


def main() -> None:
    password = _demo_password()
    with scratch_postgres("zhiren_load") as url:
        if url is None:
            print("bench_load: needs PostgreSQL (BENCH_PG_URL)")
            return
        var_dir = tempfile.mkdtemp(prefix="bench-load-")
        env = dict(
            os.environ,
            DATABASE_URL=url,
            ZHIREN_VAR_DIR=var_dir,
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            SECRET_KEY="bench-" + "x" * 50,
            TASK_BACKEND="immediate",
            DJANGO_SETTINGS_MODULE="zhiren.settings",
        )
        zhiren = [sys.executable, "-m", "zhiren.cli"]
        started = time.perf_counter()
        # The demo refuses to create its published passwords with DEBUG off; load it in debug mode,
        # then serve as production does.
        subprocess.run(
            [*zhiren, "demo", "--no-serve"],
            env={**env, "DEBUG": "1"},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        print(f"demo centre loaded into PostgreSQL in {time.perf_counter() - started:.0f} s")
        port = _free_port()
        server = subprocess.Popen(
            [*zhiren, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base)
            rec = Recorder()
            stop_at = time.monotonic() + RAMP + SECONDS
            threads = [threading.Thread(target=probe_health, args=(base, stop_at, rec))]
            for i in range(USERS):
                role = ROLES[i % len(ROLES)]
                threads.append(
                    threading.Thread(
                        target=browse, args=(base, role, password, role, stop_at, rec), daemon=True
                    )
                )
            threads[0].start()
            for thread in threads[1:]:
                thread.start()
                time.sleep(RAMP / USERS)
            for thread in threads:
                thread.join(timeout=RAMP + SECONDS + 120)
            report(rec)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(base: str) -> None:
    import requests

    for _ in range(100):
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("zhiren serve did not answer")


def report(rec: Recorder) -> None:
    all_pages = [t for times in rec.pages.values() for t in times]
    ms = lambda s: f"{s * 1000:7.0f} ms"  # noqa: E731
    print(
        f"{USERS} users, ramp {RAMP:.0f} s, {SECONDS:.0f} s of browsing, think {THINK:.1f} s "
        f"(load average {' '.join(f'{v:.2f}' for v in os.getloadavg())})"
    )
    print(
        f"login POST      n={len(rec.logins):5d}  p50 {ms(statistics.median(rec.logins))}  "
        f"p95 {ms(_percentile(rec.logins, 0.95))}"
    )
    for role, times in sorted(rec.pages.items()):
        print(
            f"pages ({role:7s}) n={len(times):5d}  p50 {ms(statistics.median(times))}  "
            f"p95 {ms(_percentile(times, 0.95))}  p99 {ms(_percentile(times, 0.99))}"
        )
    if all_pages:
        p95 = _percentile(all_pages, 0.95)
        health = _percentile(rec.health, 0.95)
        print(
            f"pages (all)     n={len(all_pages):5d}  p50 {ms(statistics.median(all_pages))}  p95 {ms(p95)}  "
            f"throughput {len(all_pages) / (SECONDS + RAMP):.1f}/s"
        )
        print(
            f"baseline /healthz p95 {ms(health)} under the same load; page p95 / healthz p95 = "
            f"{p95 / health:.1f}×"
        )
    print(f"errors: {len(rec.errors)}" + (f" (first: {rec.errors[:5]})" if rec.errors else ""))


if __name__ == "__main__":
    main()
