"""Import memory and time: a large roster through the CLI and the web upload path, and bomb files.

``python benchmarks/bench_import_memory.py`` runs 200,000 CSV rows and 50,000 XLSX rows (a
few minutes on 2 cores); ``--full`` runs 1,000,000 CSV rows and 100,000 XLSX rows
(``--csv-rows`` / ``--xlsx-rows`` for other sizes). It uses a scratch PostgreSQL database
next to ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``) when that is
reachable, else a temporary SQLite file.

Every measured step is a child process: its peak memory is its maximum resident set size
(``os.wait4``'s rusage), its time the wall clock. Baselines are measured in the same run,
the same way: each kind of process (the ``zhiren import`` command, the web server, the task
worker) first does the same work on a 3-row file, which gives its start-up memory and time.
For each file and path it prints:

- the peak, the extra over the baseline's peak, and both as multiples of the file's size
  (goal for the 1M-row CSV: extra ≤ 3× the file);
- the seconds beyond the baseline's, rows/s, and their ratio to a plain parse of the same
  file measured the same way (a child parsing it, less a child parsing the 3-row file):
  ``csv.reader`` into one list (what holding a whole file costs, also in memory) and
  openpyxl's read-only rows.

The web path runs Zhiren's WSGI application under waitress and uploads the file over HTTP;
the upload is checked (dry run) and then committed by ``zhiren db_worker --batch`` runs,
each measured apart from the server. The bomb files (a sheet declaring the whole grid with
a cell at XFD1048576, shared strings unpacking to 300 MB, a file over ``IMPORT_MAX_FILE_MB``,
a CSV over ``IMPORT_MAX_ROWS``) are dry-run in one process, each refusal timed (goal ≤ 1 s).
Nothing is asserted: the figures are printed with the load average, for a reader to judge.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import re
import secrets
import socket
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from database_children import scratch_postgres

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "zhiren_bench_import_memory"
MB = 2**20
TINY_ROWS = 3
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
HEADER = ["工号", "姓名", "班组", "岗位", "技能", "入职日期", "生日", "状态"]
WORKER = ["-m", "zhiren.cli", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
BACKGROUND_MB = float(
    os.environ.get("IMPORT_BACKGROUND_MB", "2")
)  # the setting's default, as the children see it


# --- files ------------------------------------------------------------------------------------------


def roster_rows(count: int):
    """The agents of bench_import's roster, one row at a time (a million rows never held at once)."""
    rng = random.Random(7)
    for i in range(count):
        yield [
            f"E{i:07d}",
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            f"team{rng.randrange(40):02d}",
            rng.choice(["售后", "售前", "投诉", "质检"]),
            rng.choice(["语音", "在线", "语音、在线", "在线/邮件", "工单"]),
            f"{rng.randrange(2015, 2025)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            f"{rng.randrange(1970, 2004)}/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}",
            rng.choice(["在职", "在职", "在职", "休假", "离职"]),
        ]


def write_csv(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(roster_rows(count))
    return path


def write_xlsx(path: Path, count: int) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in roster_rows(count):
        sheet.append(row)
    workbook.save(path)
    return path


def _small_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["工号", "姓名", "班组"], ["X1", "甲", "team00"]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewritten(source: bytes, path: Path, parts: dict) -> Path:
    """``source`` (an XLSX) with some parts replaced: ``parts[name](old bytes) -> new bytes``, or a writer."""
    import io

    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        names = old.namelist()
        for name in names:
            change = parts.get(name)
            if change is None:
                new.writestr(name, old.read(name))
            elif isinstance(change, bytes):
                new.writestr(name, change)
            else:
                change(old.read(name), new, name)
        for name, change in parts.items():
            if name not in names:
                change(b"", new, name)
    return path


def bomb_files(folder: Path) -> list[tuple[str, Path]]:
    """The files an import must refuse fast, and one it must read fast (a declared size it ignores)."""
    base = _small_workbook()
    sheet = "xl/worksheets/sheet1.xml"

    def whole_grid(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)

    def far_cell(xml: bytes) -> bytes:
        cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return whole_grid(xml).replace(b"</sheetData>", cell + b"</sheetData>")

    def huge_strings(_old: bytes, archive: zipfile.ZipFile, name: str) -> None:
        count = 300 * MB // 20
        with archive.open(name, "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            block = b"<si><t>bomb ab</t></si>" * 50_000
            for _ in range(count // 50_000):
                part.write(block)
            part.write(b"</sst>")

    files = [
        (
            "declares A1:XFD1048576, 2 rows (read, not refused)",
            _rewritten(
                base,
                folder / "grid.xlsx",
                {sheet: lambda xml, a, n: a.writestr(n, whole_grid(xml))},
            ),
        ),
        (
            "declares A1:XFD1048576, a cell at XFD1048576",
            _rewritten(
                base, folder / "far.xlsx", {sheet: lambda xml, a, n: a.writestr(n, far_cell(xml))}
            ),
        ),
        (
            "shared strings unpacking to 300 MB",
            _rewritten(base, folder / "strings.xlsx", {"xl/sharedStrings.xml": huge_strings}),
        ),
    ]
    oversized = folder / "oversized.csv"
    with oversized.open("wb") as handle:  # sparse: its size is refused before a byte is read
        handle.write("工号,姓名,班组\n".encode())
        handle.truncate(101 * MB)
    files.append(("101 MB, over IMPORT_MAX_FILE_MB (100)", oversized))
    rows = folder / "rows.csv"
    rows.write_bytes(("工号\n" + "A\n" * 1_048_576).encode())
    files.append(("1,048,577 rows, over IMPORT_MAX_ROWS", rows))
    return files


# --- child processes ----------------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    peak: float  # MB: the process's maximum resident set size
    out: str


def child_env(database_url: str, var_dir: str) -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        DJANGO_SETTINGS_MODULE="zhiren.settings",
        DATABASE_URL=database_url,
        ZHIREN_VAR_DIR=var_dir,
        TASK_BACKEND="database",
        DEBUG="0",
        SECURE_COOKIES="0",
        SECRET_KEY="bench-" + "x" * 50,
    )


def _finish(proc: subprocess.Popen, start: float, out, err, args) -> Run:
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode not in (0, -15):  # a server is ended with SIGTERM
        raise RuntimeError(
            f"{' '.join(map(str, args))} exited {proc.returncode}:\n{stderr[-3000:]}"
        )
    return Run(wall, usage.ru_maxrss / 1024, stdout)  # ru_maxrss is in kilobytes on Linux


def measure(args: list[str], env: dict[str, str]) -> Run:
    """Run ``python ARGS`` to its end: its wall time and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=out, stderr=err)  # noqa: S603
        return _finish(proc, start, out, err, args)


def child(mode: str, *args: str, env: dict[str, str]) -> Run:
    return measure([__file__, "--child", mode, *args], env)


def child_main(mode: str, args: list[str]) -> None:
    if mode == "parse":
        path = Path(args[0])
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))  # the whole file held, as an import used to
            print(len(rows))
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            print(sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True)))
            workbook.close()
        return
    import django

    django.setup()
    if mode == "serve":
        from waitress import serve

        from zhiren.core.management.commands.serve import waitress_options
        from zhiren.wsgi import application

        serve(application, **waitress_options(host="127.0.0.1", port=int(args[0]), threads=2))
        return
    from django.db import connection

    from zhiren.imports.models import ImportJob
    from zhiren.org.models import Agent

    if mode == "setup":
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from zhiren.org.models import Center, Role, RoleAssignment, Scope, Site, Team

        call_command("migrate", verbosity=0)
        center = Center.objects.create(name="bench")
        site = Site.objects.create(center=center, code="bench", name="基准")
        Team.objects.bulk_create(
            Team(site=site, code=f"team{i:02d}", name=f"班组{i:02d}") for i in range(40)
        )
        hr = get_user_model().objects.create_user("bench-hr", password=secrets.token_hex(16))
        RoleAssignment.objects.create(user=hr, role=Role.HR, scope=Scope.ALL)
        client = Client()
        client.force_login(hr)
        print(json.dumps({"session": client.cookies["sessionid"].value}))
    elif mode == "clear":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE org_agent CASCADE"
                if connection.vendor == "postgresql"
                else "DELETE FROM org_agent"
            )
        ImportJob.objects.all().delete()
    elif mode == "count":
        jobs = [
            {"status": job.status, "errors": job.errors[:2]}
            for job in ImportJob.objects.order_by("pk")
        ]
        print(json.dumps({"agents": Agent.objects.count(), "jobs": jobs}))
    elif mode == "bombs":
        from django.utils import translation

        from zhiren.imports.services import run_import

        results = []
        for label, path in json.loads(args[0]):
            start = time.perf_counter()
            with translation.override("en"):
                result = run_import("agents", Path(path), Path(path).name, dry_run=True)
            seconds = time.perf_counter() - start
            message = str(result.errors[0].message) if result.errors else ""
            results.append(
                {
                    "label": label,
                    "seconds": seconds,
                    "refused": not result.ok,
                    "rows": result.counts()["total"],
                    "message": message,
                    "size": Path(path).stat().st_size,
                }
            )
        print(json.dumps(results))


# --- the web path ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the web server did not start")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the web server did not start in 2 minutes")


class Browser:
    """A signed-in session posting to the server as a browser's form would (CSRF token included)."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.token = "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        )
        self.cookie = f"sessionid={session}; csrftoken={self.token}; django_language=en"

    def post(
        self, url: str, parts: list[bytes | Path], content_type: str
    ) -> http.client.HTTPResponse:
        """POST a body made of ``parts`` (bytes, or files sent a block at a time); the response, read."""
        length = sum(part.stat().st_size if isinstance(part, Path) else len(part) for part in parts)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1800)
        conn.putrequest("POST", url)
        for name, value in (
            ("Content-Type", content_type),
            ("Content-Length", str(length)),
            ("Cookie", self.cookie),
            ("X-CSRFToken", self.token),
        ):
            conn.putheader(name, value)
        conn.endheaders()
        for part in parts:
            if isinstance(part, Path):
                with part.open("rb") as handle:
                    while block := handle.read(MB):
                        conn.send(block)
            else:
                conn.send(part)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def upload(self, path: Path) -> int:
        boundary = "zhiren-bench-" + secrets.token_hex(8)
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        response = self.post(
            "/imports/agents/",
            [head, path, f"\r\n--{boundary}--\r\n".encode()],
            f"multipart/form-data; boundary={boundary}",
        )
        location = response.getheader("Location") or ""
        found = re.search(r"/imports/jobs/(\d+)/", location)
        if response.status != 302 or found is None:
            raise RuntimeError(f"upload of {path.name}: HTTP {response.status} {location}")
        return int(found.group(1))

    def commit(self, job: int) -> None:
        response = self.post(
            f"/imports/jobs/{job}/commit/", [b""], "application/x-www-form-urlencoded"
        )
        if response.status != 302:
            raise RuntimeError(f"commit of job {job}: HTTP {response.status}")


def web_import(path: Path, env: dict[str, str], session: str) -> dict[str, Run]:
    """Upload ``path``, let a worker check it, commit it, let a worker write it: each process measured."""
    port = _free_port()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        args = [__file__, "--child", "serve", str(port)]
        server = subprocess.Popen(
            [sys.executable, *args], env=env, cwd=ROOT, stdout=out, stderr=err
        )  # noqa: S603
        try:
            _wait_for(port, server)
            browser = Browser(port, session)
            t0 = time.perf_counter()
            job = browser.upload(path)
            upload = time.perf_counter() - t0
            check = measure(WORKER, env)  # the dry run of an upload over IMPORT_BACKGROUND_MB
            browser.commit(job)
            write = measure(WORKER, env)  # the commit of a file over IMPORT_BACKGROUND_ROWS
        finally:
            server.terminate()
            served = _finish(server, start, out, err, args)
    return {"server": served, "upload": Run(upload, 0, ""), "check": check, "commit": write}


# --- the run -----------------------------------------------------------------------------------------


def _count(env) -> dict:
    return json.loads(child("count", env=env).out.strip().splitlines()[-1])


def _checked(env, rows: int, what: str) -> None:
    counts = _count(env)
    if counts["agents"] != rows or any(job["status"] != "done" for job in counts["jobs"]):
        raise RuntimeError(f"{what}: {counts['agents']} agents, jobs {counts['jobs']}")


def run(database_url: str, var_dir: str, csv_rows: int, xlsx_rows: int) -> None:
    env = child_env(database_url, var_dir)
    folder = Path(var_dir)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    files = {
        "tiny csv": write_csv(folder / "tiny.csv", TINY_ROWS),
        "tiny xlsx": write_xlsx(folder / "tiny.xlsx", TINY_ROWS),
        "csv": write_csv(folder / "agents.csv", csv_rows),
        "xlsx": write_xlsx(folder / "agents.xlsx", xlsx_rows),
    }
    rows = {"csv": csv_rows, "xlsx": xlsx_rows}
    print(
        f"files written in {time.perf_counter() - t0:.0f} s: "
        + ", ".join(
            f"{name} {files[name].stat().st_size / MB:.1f} MB ({rows[name]:,} rows)"
            for name in ("csv", "xlsx")
        )
    )
    session = json.loads(child("setup", env=env).out.strip().splitlines()[-1])["session"]

    lines = []

    def line(
        label: str, run_: Run, base: Run | None, size: int, count: int, plain: float | None
    ) -> None:
        extra = run_.peak - base.peak if base else 0.0
        seconds = run_.wall - base.wall if base else run_.wall
        ratio = f"{seconds / plain:>6.1f}×" if plain else f"{'':>7}"
        lines.append(
            f"{label:<34} {run_.peak:>7.0f} {extra:>7.0f} {extra * MB / size:>6.2f}× {run_.peak * MB / size:>6.2f}× "
            f"{seconds:>8.1f} {count / seconds if seconds > 0 else 0:>9,.0f} {ratio}"
        )

    for kind in ("csv", "xlsx"):
        path, tiny = files[kind], files[f"tiny {kind}"]
        size, count = path.stat().st_size, rows[kind]
        parse_base, parse = child("parse", str(tiny), env=env), child("parse", str(path), env=env)
        plain = parse.wall - parse_base.wall
        line(
            f"{kind}: plain parse ({'one list' if kind == 'csv' else 'read-only rows'})",
            parse,
            parse_base,
            size,
            count,
            None,
        )

        child("clear", env=env)
        cli_base = measure(["-m", "zhiren.cli", "import", "agents", str(tiny)], env)
        child("clear", env=env)
        cli = measure(["-m", "zhiren.cli", "import", "agents", str(path)], env)
        _checked(env, count, f"CLI {kind}")
        line(f"{kind}: CLI import (zhiren import)", cli, cli_base, size, count, plain)

        child("clear", env=env)
        web_base = web_import(tiny, env, session)
        _checked(env, TINY_ROWS, f"web {kind} baseline")
        child("clear", env=env)
        web = web_import(path, env, session)
        _checked(env, count, f"web {kind}")
        line(
            f"{kind}: web server (upload, commit)",
            web["server"],
            web_base["server"],
            size,
            count,
            None,
        )
        lines.append(
            f"{'':<34} {'':>7} {'':>7} {'':>7} {'':>7} {web['upload'].wall:>8.1f}   (the upload request)"
        )
        checked_in = "worker" if size > BACKGROUND_MB * MB else "server: under IMPORT_BACKGROUND_MB"
        line(
            f"{kind}: worker, check (dry run)", web["check"], web_base["check"], size, count, plain
        )
        lines[-1] += f"  (checked by the {checked_in})"
        line(f"{kind}: worker, commit", web["commit"], web_base["commit"], size, count, plain)
    child("clear", env=env)

    bombs = bomb_files(folder)
    results = json.loads(
        child("bombs", json.dumps([(label, str(path)) for label, path in bombs]), env=env)
        .out.strip()
        .splitlines()[-1]
    )
    load_after = os.getloadavg()

    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {' '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} CPUs"
    )
    print(
        f"{'':<34} {'peak':>7} {'extra':>7} {'extra':>7} {'peak':>7} {'seconds':>8} {'rows/s':>9} {'time':>7}"
    )
    print(
        f"{'':<34} {'MB':>7} {'MB':>7} {'÷file':>7} {'÷file':>7} {'(−base)':>8} {'':>9} {'÷plain':>7}"
    )
    for text in lines:
        print(text)
    print(
        "extra = peak − the same process's peak on a 3-row file (start-up: Django and every app loaded);"
    )
    print(
        "seconds = wall time − that baseline's; ÷plain = seconds ÷ the plain parse's (less its own baseline)."
    )
    print("goal: extra ≤ 3× the file for the 1M-row CSV (--full)")
    print()
    print(f"{'bomb file (dry run, default limits)':<48} {'size':>9} {'seconds':>8}  outcome")
    for r in results:
        outcome = "refused: " + r["message"][:90] if r["refused"] else f"read: {r['rows']} rows"
        mark = "" if r["seconds"] <= 1 else "  (over 1 s)"
        print(f"{r['label']:<48} {r['size'] / MB:>7.1f}MB {r['seconds']:>8.2f}  {outcome}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="1,000,000 CSV rows and 100,000 XLSX rows"
    )
    parser.add_argument("--csv-rows", type=int, default=None)
    parser.add_argument("--xlsx-rows", type=int, default=None)
    options = parser.parse_args()
    csv_rows = options.csv_rows or (1_000_000 if options.full else 200_000)
    xlsx_rows = options.xlsx_rows or (100_000 if options.full else 50_000)
    with tempfile.TemporaryDirectory() as var_dir, scratch_postgres(PG_DB) as url:
        database = url or f"sqlite:///{var_dir}/bench.sqlite3"
        print(
            f"Import memory and time: {csv_rows:,} CSV rows, {xlsx_rows:,} XLSX rows, "
            f"{'PostgreSQL' if url else 'SQLite'}"
        )
        run(database, var_dir, csv_rows, xlsx_rows)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3:])
    else:
        main()
