"""Interaction import, rollups and the team dashboard with a year of contacts.

``python benchmarks/bench_interactions.py [--rows N]`` (default 1,000,000 contacts
for 500 agents in 20 teams over 365 days). For SQLite (temporary file) and, when
reachable, PostgreSQL (``BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/test``; a ``zhiren_bench_interactions``
database is created next to it and dropped after), it

1. writes the contacts as a CSV file with Chinese headers and times a plain
   ``csv`` parse of it (the baseline);
2. imports the file through the import framework as the command line does
   (read, validate every row, plan, commit, refresh the rollups of the touched
   days), in chunks of ``--chunk`` rows to bound memory;
3. rebuilds every rollup from scratch (repeat flags, daily and 15-minute);
4. requests the team dashboard 50 times as the team's lead.

Prints rows/s, the ratio of import time to the plain parse, how much of the
import went to refreshing the touched days' rollups (timed inside the import,
also shown separately), the full rebuild time and dashboard p50/p95. Goals:
≥ 50,000 rows/s import on PostgreSQL, dashboard p95 ≤ 150 ms.
``IMPORT_FAST_PATHS=0`` imports through the plain Django path instead of the
fast paths (``zhiren.imports.fast``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from database_children import run_child, scratch_postgres

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "zhiren_bench_interactions"
AGENTS = 500
TEAMS = 20
HEADERS = [
    "工单号",
    "渠道",
    "技能组",
    "工号",
    "客户ID",
    "进线时间",
    "接起时间",
    "挂断时间",
    "排队时长",
    "通话时长",
    "保持时长",
    "话后处理时长",
    "是否转接",
    "是否解决",
    "满意度",
]
QUEUES = [("售后热线", "电话"), ("售前咨询", "在线"), ("投诉专线", "电话"), ("邮件工单", "邮件")]


def generate(rows: int, path: Path) -> None:
    """A year of contacts, in time order; about 5 % abandoned, 30 % rated."""
    rng = random.Random(11)
    start = datetime(2024, 1, 1, 8, 0)
    span = 365 * 24 * 3600
    step = span / rows
    aht = [rng.uniform(0.75, 1.3) for _ in range(AGENTS)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(rows):
            offered = start + timedelta(seconds=int(i * step))
            if offered.hour < 8:
                offered += timedelta(hours=8)
            queue, channel = QUEUES[i % 4]
            wait = int(rng.expovariate(1 / 18))
            if rng.random() < 0.05:
                writer.writerow(
                    [
                        f"N{i:08d}",
                        channel,
                        queue,
                        "",
                        f"U{rng.randrange(rows // 3):07d}",
                        offered.strftime("%Y-%m-%d %H:%M:%S"),
                        "",
                        "",
                        wait,
                        0,
                        0,
                        0,
                        "否",
                        "",
                        "",
                    ]
                )
                continue
            agent = rng.randrange(AGENTS)
            talk = int(rng.lognormvariate(5.5, 0.4) * aht[agent])
            answered = offered + timedelta(seconds=wait)
            writer.writerow(
                [
                    f"N{i:08d}",
                    channel,
                    queue,
                    f"B{agent:04d}",
                    f"U{rng.randrange(rows // 3):07d}",
                    offered.strftime("%Y-%m-%d %H:%M:%S"),
                    answered.strftime("%Y-%m-%d %H:%M:%S"),
                    (answered + timedelta(seconds=talk)).strftime("%Y-%m-%d %H:%M:%S"),
                    wait,
                    talk,
                    0,
                    int(talk * 0.15),
                    "是" if rng.random() < 0.07 else "否",
                    "是" if rng.random() < 0.88 else "否",
                    rng.choice("5554443321") if rng.random() < 0.3 else "",
                ]
            )


def chunks(path: Path, size: int):
    """The file as CSV byte chunks of ``size`` rows, each with the header row."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == size:
                yield _csv(header, batch)
                batch = []
        if batch:
            yield _csv(header, batch)


def _csv(header, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def run_database(label: str, path: Path, rows: int, chunk: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from zhiren.imports.services import run_import
    from zhiren.org.models import Agent, Center, Role, RoleAssignment, Scope, Site, Team
    from zhiren.performance.models import DailyStat, Interaction, IntervalStat
    from zhiren.performance.rollups import rebuild_all

    call_command("migrate", verbosity=0)
    center = Center.objects.create(name="bench")
    site = Site.objects.create(center=center, code="bench", name="基准")
    teams = Team.objects.bulk_create(
        Team(site=site, code=f"bt{i:02d}", name=f"班组{i:02d}") for i in range(TEAMS)
    )
    Agent.objects.bulk_create(
        Agent(employee_no=f"B{i:04d}", name=f"坐席{i}", team=teams[i % TEAMS])
        for i in range(AGENTS)
    )
    base = min(_plain_parse(path) for _ in range(2))
    files = list(
        chunks(path, chunk)
    )  # split before the clock starts: the split is the benchmark's, not the import's
    stages = _time_stages()
    start = time.perf_counter()
    for data in files:
        result = run_import("interactions", data, "bench.csv")
        assert result.ok, [str(e) for e in result.errors[:3]]
    t_import = time.perf_counter() - start
    stages = {**stages}  # as they stood when the import ended (the collector is timed on)
    t_refresh = stages["refresh"]
    assert Interaction.objects.count() == rows
    t_rollup_start = time.perf_counter()
    rebuild_all()
    t_rollup = time.perf_counter() - t_rollup_start

    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.create_user("bench-lead", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=lead, role=Role.TEAM_LEAD, scope=Scope.TEAMS).teams.set(
        [teams[0]]
    )
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(lead)
    last = Interaction.objects.order_by("-day").values_list("day", flat=True).first()
    url = f"/performance/teams/{teams[0].pk}/"
    params = {"from": (last - timedelta(days=29)).isoformat(), "to": last.isoformat()}
    timings = []
    for n in range(51):
        t0 = time.perf_counter()
        response = client.get(url, params, secure=True)
        elapsed = time.perf_counter() - t0
        assert response.status_code == 200, response.status_code
        if n:  # the first request warms caches
            timings.append(elapsed)
    timings.sort()
    return {
        "db": label,
        "rows": rows,
        "base": base,
        "import": t_import,
        "refresh": t_refresh,
        "rollup": t_rollup,
        "stages": stages,
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "daily_rows": DailyStat.objects.count(),
        "interval_rows": IntervalStat.objects.count(),
    }


STAGES = ("read", "validate", "plan", "build", "copy", "refresh")


def _time_stages() -> dict[str, float]:
    """Seconds spent per import stage, summed over the chunks (the wrapped functions are the framework's own).

    read = the file into cells, validate = every cell and row checked, plan = existing keys looked up,
    build = row tuples made, copy = rows sent to the database, refresh = the touched days' rollups; what the
    import took beyond these is the transaction's commit and bookkeeping. gc = Python's cyclic collector,
    wherever it ran (also inside a stage).
    """
    from zhiren.imports import streaming
    from zhiren.performance import importers, rollups

    seconds = dict.fromkeys((*STAGES, "gc"), 0.0)

    def timed(owner, name, stage):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - t0

        setattr(owner, name, wrapper)

    # The file is read a chunk of rows at a time (``streaming``): time the taking of each chunk.
    take = streaming.islice

    def reading(rows, count):
        t0 = time.perf_counter()
        try:
            return list(take(rows, count))
        finally:
            seconds["read"] += time.perf_counter() - t0

    streaming.islice = reading
    timed(streaming, "validate", "validate")
    timed(streaming, "validate_rows", "validate")
    timed(streaming, "plan_import", "plan")
    timed(importers.InteractionImport, "build_columns", "build")
    timed(importers, "bulk_insert_rows", "copy")
    timed(rollups, "refresh_days", "refresh")

    def collector(phase, info, started=[0.0]):  # noqa: B006 - the start time of the running collection
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            seconds["gc"] += time.perf_counter() - started[0]

    gc.callbacks.append(collector)
    return seconds


def _plain_parse(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.perf_counter() - start


def report(results: list[dict]) -> None:
    print(
        f"{'db':<11} {'rows':>10} {'plain csv':>11} {'import':>11} {'import/plain':>13} {'refresh':>8} "
        f"{'end to end':>11} {'rebuild':>8} {'dash p50':>9} {'dash p95':>9}  rollup rows (daily / 15-min)"
    )
    for r in results:
        records = r["import"] - r["refresh"]
        print(
            f"{r['db']:<11} {r['rows']:>10,} {r['rows'] / r['base']:>9,.0f}/s {r['rows'] / records:>9,.0f}/s "
            f"{records / r['base']:>12.1f}× {r['refresh']:>7.1f}s {r['rows'] / r['import']:>9,.0f}/s "
            f"{r['rollup']:>7.1f}s {r['p50'] * 1000:>7.0f}ms {r['p95'] * 1000:>7.0f}ms"
            f"  {r['daily_rows']:,} / {r['interval_rows']:,}"
        )
    print(
        "import = rows ÷ seconds to read, validate, plan and write the contacts (commit included), the rollup"
    )
    print(
        "refresh left out; 'refresh' = the touched days' rollups, refreshed by every import in its transaction;"
    )
    print(
        "'end to end' = rows ÷ (import + refresh); 'rebuild' = a separate from-scratch rebuild of every rollup."
    )
    print("goals: import ≥ 50,000 rows/s on PostgreSQL; dashboard p95 ≤ 150 ms")
    print()
    print(
        "seconds per 100,000 rows by stage (commit = the rest: the transaction's end, audit, bookkeeping;"
    )
    print("gc = the cyclic collector, already inside the other figures)")
    print(f"{'db':<11} " + " ".join(f"{name:>8}" for name in (*STAGES, "commit", "gc")))
    for r in results:
        stages = r["stages"]
        rest = r["import"] - sum(stages[name] for name in STAGES)
        per = 100_000 / r["rows"]
        print(
            f"{r['db']:<11} "
            + " ".join(f"{stages[name] * per:>8.2f}" for name in STAGES)
            + f" {rest * per:>8.2f} {stages['gc'] * per:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--chunk", type=int, default=250_000, help="rows per imported file (bounds memory)"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(
        f"Interaction benchmark: {args.rows:,} contacts, {AGENTS} agents, {TEAMS} teams, one year"
    )
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as var_dir:
        path = Path(var_dir) / "interactions.csv"
        t0 = time.perf_counter()
        generate(args.rows, path)
        print(f"generated {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.0f}s")
        child_args = [str(path), str(args.rows), str(args.chunk)]
        if not args.skip_sqlite:
            sqlite_url = f"sqlite:///{var_dir}/bench.sqlite3"
            results.append(run_child(__file__, ["sqlite", *child_args], sqlite_url, var_dir))
        with scratch_postgres(PG_DB) as url:
            if url:
                results.append(run_child(__file__, ["postgresql", *child_args], url, var_dir))
    results = [r for r in results if r]
    report(results)
    if not results:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(
            json.dumps(
                run_database(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
            )
        )
    else:
        main()
