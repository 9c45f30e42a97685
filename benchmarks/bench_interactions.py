"""Dashboards over a year for 2,000 agents, and a contact import end to end.

``python benchmarks/bench_interactions.py [--db sqlite|postgresql|both] [--rows N] [--agents N]``
(environment ``BENCH_DB`` for ``--db``; PostgreSQL is a scratch database next to
``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/test``). Each database gets a
fresh child process. Two parts:

1. **Pages.** One site of ``--agents`` agents (default 2,000) in teams of 25, a year (2025)
   of contacts at ``--per-agent-day`` contacts per agent and day (default 13.7: 10 million a
   year for 2,000 agents). Importing 10M contacts on a shared 2-core machine would take most of
   an hour, so the year is built like this, and the output says so: the first
   ``--sample-days`` days (default 7) are generated as contacts at the full rate and imported
   through ``zhiren.imports`` (read, validate, write, refresh the rollups: the real path);
   those days' daily, 15-minute and per-agent 15-minute rollup rows are then copied, shifted
   by whole weeks, onto every other day of the year (one ``INSERT … SELECT`` per week and
   table); the summaries the pages read (team per day and month, agent per month, site per
   15 minutes and per month's slot) are then aggregated from those rollups by the same SQL as
   ``rollups.refresh_days`` / ``rebuild_all``. So every rollup and summary has the size of
   2,000 agents × 365 days, though a week's pattern repeats. The site overview is requested
   as the site's manager (the site's teams, not "everything": the scoped path), the team
   page as a team's lead, the agent page as that lead for an agent of the team, each over
   the last 30, 90 and 365 days of the year: ``--requests`` timed requests (default 30)
   after one warm-up, through Django's test client (URL routing, the view, the template).
   Prints p50 and p95 (nearest rank) with N. Goal p95 ≤ 150 ms for every page and range.
   ``--baseline-src DIR`` (another checkout's ``src``, e.g. a worktree of the commit before a
   change): the pages are then timed again on the same database by that code and by this
   checkout's, one after the other, and printed side by side with the ratio of the p50s — the
   figure that survives a loaded machine.

2. **Import end to end** (skipped with ``--rows 0``): ``--rows`` contacts (default 1,000,000;
   about 36 days of the same site at the same rate) in a CSV file with Chinese headers, into a
   fresh database holding only the site's agents, by ``python -m zhiren.cli import
   interactions FILE`` in a child process: the time runs from the process's start to its exit
   (file read, checked, written, rollups and summaries of the touched days refreshed, all
   committed: what the dashboard shows from then on); peak memory is the child's maximum
   resident set size (``os.wait4``). A check afterwards (untimed) finds the file's contacts
   in the team summaries and asks the overview for the imported month. Baselines from the
   same run: a child that only parses the file with ``csv.reader`` (rows/s), and the same
   import command on a 3-row file (start-up time and memory). One run of each (N = 1).
   Goals on PostgreSQL: ≥ 50,000 rows/s end to end, peak memory ≤ 3× the file's size.

The load average (1 minute) is printed beside each figure; the machine is shared, so a figure
measured under load says so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from database_children import ROOT, run_child, scratch_postgres

PG_DB = "zhiren_bench_interactions"
TEAM_SIZE = 25
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
YEAR_START = date(2025, 1, 1)
YEAR_END = date(2025, 12, 31)
RANGES = (30, 90, 365)
PAGE_GOAL_MS = 150
IMPORT_GOAL_ROWS_S = 50_000
MEMORY_GOAL_X = 3
# Contacts by hour of the day (08:00–22:00), a customer-service day's shape.
HOURLY = [0, 0, 0, 0, 0, 0, 0, 0, 6, 9, 10, 10, 8, 8, 9, 10, 9, 8, 7, 6, 5, 4, 0, 0]


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


# --- data -------------------------------------------------------------------------------------


def contact_rows(
    agents: int, first_day: date, rows: int, per_day: int, seed: int = 11, prefix: str = "N"
):
    """``rows`` contacts from ``first_day`` on, ``per_day`` a day spread over the day's hours,
    about 5 % abandoned, 30 % rated; each contact goes to a random agent and queue. Customers
    are drawn from 30 days' worth of contacts: about a fifth come back within the 7-day
    repeat window (first contact resolution near 80 %)."""
    rng = random.Random(seed)
    weights = [h / sum(HOURLY) for h in HOURLY]
    hours = rng.choices(range(24), weights, k=4096)
    aht = [rng.uniform(0.75, 1.3) for _ in range(agents)]
    customers = max(1, per_day * 30)
    for i in range(rows):
        day = first_day + timedelta(days=i // per_day)
        offered = datetime(
            day.year, day.month, day.day, hours[i % 4096], rng.randrange(60), rng.randrange(60)
        )
        queue, channel = QUEUES[rng.randrange(4)]
        wait = int(rng.expovariate(1 / 18))
        customer = f"U{rng.randrange(customers):07d}"
        if rng.random() < 0.05:
            yield [
                f"{prefix}{i:08d}",
                channel,
                queue,
                "",
                customer,
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
            continue
        agent = rng.randrange(agents)
        talk = int(rng.lognormvariate(5.5, 0.4) * aht[agent])
        answered = offered + timedelta(seconds=wait)
        yield [
            f"{prefix}{i:08d}",
            channel,
            queue,
            f"B{agent:04d}",
            customer,
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


def write_csv(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def setup_org(agents: int):
    """One site, its agents in teams of 25, a site manager and the first team's lead."""
    from django.contrib.auth import get_user_model

    from zhiren.org.models import Agent, Center, Role, RoleAssignment, Scope, Site, Team

    center = Center.objects.create(name="bench")
    site = Site.objects.create(center=center, code="bench", name="基准职场")
    teams = Team.objects.bulk_create(
        Team(site=site, code=f"bt{i:03d}", name=f"班组{i:03d}")
        for i in range((agents + TEAM_SIZE - 1) // TEAM_SIZE)
    )
    Agent.objects.bulk_create(
        Agent(employee_no=f"B{i:04d}", name=f"坐席{i}", team=teams[i % len(teams)])
        for i in range(agents)
    )
    users = get_user_model().objects
    manager = users.create_user("bench-manager", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=manager, role=Role.SITE_MANAGER, scope=Scope.SITE, site=site)
    lead = users.create_user("bench-lead", password="x")  # noqa: S106
    RoleAssignment.objects.create(user=lead, role=Role.TEAM_LEAD, scope=Scope.TEAMS).teams.set(
        [teams[0]]
    )
    return site, teams, manager, lead


# --- part 1: pages ------------------------------------------------------------------------------

ROLLUP_TABLES = (
    "performance_dailystat",
    "performance_intervalstat",
    "performance_agentintervalstat",
)


def _shift_sql(vendor: str, table: str, columns: list[str], weeks: int) -> str:
    shifted = f"date(day, '+{7 * weeks} days')" if vendor == "sqlite" else f"day + {7 * weeks}"
    select = ", ".join(shifted if c == "day" else c for c in columns)
    names = ", ".join(columns)
    return f"INSERT INTO {table} ({names}) SELECT {select} FROM {table} WHERE day <= %s"  # noqa: S608


def fill_year(agents: int, per_agent_day: float, sample_days: int) -> dict:
    from django.db import connection, transaction
    from django.db.models import Q

    from zhiren.imports.services import run_import
    from zhiren.performance import rollups
    from zhiren.performance.models import DailyStat

    per_day = round(agents * per_agent_day)
    rows = per_day * sample_days
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.csv"
        write_csv(path, contact_rows(agents, YEAR_START, rows, per_day))
        t0 = time.perf_counter()
        result = run_import("interactions", path, "sample.csv")
        t_sample = time.perf_counter() - t0
    assert result.ok, [str(e) for e in result.errors[:3]]
    last_sample = YEAR_START + timedelta(days=sample_days - 1)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ROLLUP_TABLES:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name != "id"
            ]
            for weeks in range(1, 53):
                cursor.execute(_shift_sql(connection.vendor, table, columns, weeks), [last_sample])
            cursor.execute(f"DELETE FROM {table} WHERE day > %s", [YEAR_END])  # noqa: S608
    t_copy = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        for model in rollups.SUMMARIES:
            model.objects.all().delete()
        rollups._insert_day_summaries(Q())
        rollups._refresh_months(
            rollups.months_of(DailyStat.objects.values_list("day", flat=True).distinct())
        )
    t_summaries = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "sample_rows": rows,
        "sample_s": t_sample,
        "copy_s": t_copy,
        "summaries_s": t_summaries,
        "per_day": per_day,
    }


def table_sizes() -> dict[str, int]:
    from zhiren.performance import rollups
    from zhiren.performance.models import AgentIntervalStat, DailyStat, IntervalStat

    return {
        m.__name__: m.objects.count()
        for m in (DailyStat, IntervalStat, AgentIntervalStat, *rollups.SUMMARIES)
    }


def time_pages(requests: int, teams, manager, lead) -> list[dict]:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from zhiren.org.models import Agent

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    agent = Agent.objects.filter(team=teams[0]).order_by("employee_no").first()
    pages = (
        ("site", manager, "/performance/overview/"),
        ("team", lead, f"/performance/teams/{teams[0].pk}/"),
        ("agent", lead, f"/performance/agents/{agent.pk}/"),
    )
    results = []
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        for days in RANGES:
            params = {
                "from": (YEAR_END - timedelta(days=days - 1)).isoformat(),
                "to": YEAR_END.isoformat(),
            }
            timings = []
            for n in range(requests + 1):
                t0 = time.perf_counter()
                response = client.get(url, params, secure=True)
                elapsed = time.perf_counter() - t0
                assert response.status_code == 200, (url, response.status_code)
                if n:  # the first request warms caches
                    timings.append(elapsed)
            timings.sort()
            results.append(
                {
                    "page": name,
                    "days": days,
                    "n": len(timings),
                    "p50": statistics.median(timings),
                    "p95": timings[max(0, -(-95 * len(timings) // 100) - 1)],
                    "timings": timings,
                    "load": load(),
                }
            )
    return results


def run_pages(
    label: str, agents: int, per_agent_day: float, sample_days: int, requests: int
) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _site, teams, manager, lead = setup_org(agents)
    fill = fill_year(agents, per_agent_day, sample_days)
    return {
        "db": label,
        "agents": agents,
        "teams": len(teams),
        **fill,
        "sizes": table_sizes(),
        "pages": time_pages(requests, teams, manager, lead),
    }


def run_time_only(label: str, requests: int) -> dict:
    """The pages timed again on the database a ``pages`` child built (``--baseline-src``)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from zhiren.org.models import Team

    users = get_user_model().objects
    teams = list(Team.objects.order_by("code"))
    manager, lead = users.get(username="bench-manager"), users.get(username="bench-lead")
    return {"db": label, "pages": time_pages(requests, teams, manager, lead)}


def side_by_side(db: str, url: str, var_dir: str, baseline_src: str, requests: int) -> None:
    """The same pages on the same database, by another checkout's code (``baseline_src``, e.g. a
    worktree of the commit before a change) and by this one, one after the other; the ratio of
    the p50s says what the change did, whatever the machine's load."""
    # In the order A B B A: whichever runs second finds the database's pages warmer (the ratio of
    # an unchanged page was 0.6-0.7 with A then B), so each side runs once early and once late.
    sides = {"baseline": baseline_src, "this checkout": str(ROOT / "src")}
    timed: dict[str, list] = {name: [] for name in sides}
    for name in ("baseline", "this checkout", "this checkout", "baseline"):
        previous = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = sides[name]
        try:
            timed[name].append(run_child(__file__, ["time", db, str(requests)], url, var_dir, timeout=3600))
        finally:
            if previous is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = previous
    if not all(all(runs) for runs in timed.values()):
        print(f"\n== side by side on {db}: no result")
        return
    print(
        f"\n== side by side on {db}: baseline {baseline_src} against this checkout, same database, "
        f"order A B B A, N = {requests} a run; p50 of each side = the median of its {2 * requests} requests"
    )
    print(f"   {'page':<6} {'days':>5} {'baseline p50':>13} {'this p50':>9} {'ratio':>7}")
    old_runs, new_runs = timed["baseline"], timed["this checkout"]
    for n, page in enumerate(new_runs[0]["pages"]):
        old = statistics.median(t for run in old_runs for t in run["pages"][n]["timings"])
        new = statistics.median(t for run in new_runs for t in run["pages"][n]["timings"])
        loads = " ".join(run["pages"][n]["load"] for run in (old_runs[0], new_runs[0], new_runs[1], old_runs[1]))
        print(
            f"   {page['page']:<6} {page['days']:>5} {old * 1000:>11.0f}ms {new * 1000:>7.0f}ms "
            f"{new / old:>6.2f}×  ({loads})"
        )


# --- part 2: import end to end ------------------------------------------------------------------


def run_setup(label: str, agents: int) -> dict:
    """A fresh database with the site's agents only (the import's target)."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    setup_org(agents)
    return {"db": label}


def run_check(label: str, rows: int, first: str, last: str) -> dict:
    """After the import: the file's contacts are in the team summaries, and the overview shows them."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import setup_test_environment

    from zhiren.performance.models import Interaction, TeamDayStat

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-manager"))
    response = client.get("/performance/overview/", {"from": first, "to": last}, secure=True)
    return {
        "db": label,
        "contacts": Interaction.objects.count(),
        "summarised": TeamDayStat.objects.aggregate(n=Sum("offered"))["n"] or 0,
        "page": response.status_code,
        "has_data": bool(response.context and response.context.get("has_data")),
    }


def _child_env(database_url: str, var_dir: str) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="zhiren.settings",
        DATABASE_URL=database_url,
        ZHIREN_VAR_DIR=var_dir,
        TASK_BACKEND="immediate",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        PYTHONPATH=str(ROOT / "src"),
        # a million contacts is a file over the default 100 MB upload limit: raised, as an operator would
        IMPORT_MAX_FILE_MB="1024",
    )


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds from spawn to exit, peak resident MB (``os.wait4``), and the output's tail."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        tail = out.read().decode("utf-8", "replace")[-2000:]
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {tail}")
    return elapsed, usage.ru_maxrss / 1024, tail


PARSE = (
    "import csv, sys\nfor _ in csv.reader(open(sys.argv[1], encoding='utf-8', newline='')): pass\n"
)


def run_import_end_to_end(
    label: str, url: str, var_dir: str, path: Path, tiny: Path, rows: int, per_day: int
) -> dict:
    env = _child_env(url, var_dir)
    importing = [sys.executable, "-m", "zhiren.cli", "import", "interactions"]
    parse_s, _mb, _ = measured([sys.executable, "-c", PARSE, str(path)], env)
    parse_load = load()
    start_s, start_mb, _ = measured([*importing, str(tiny)], env)
    end_to_end_s, peak_mb, tail = measured([*importing, str(path)], env)
    run_load = load()
    last = YEAR_START + timedelta(days=(rows - 1) // per_day)
    check = run_child(
        __file__,
        ["check", label, str(rows), YEAR_START.isoformat(), last.isoformat()],
        url,
        var_dir,
    )
    return {
        "db": label,
        "rows": rows,
        "file_mb": path.stat().st_size / 2**20,
        "parse_s": parse_s,
        "parse_load": parse_load,
        "start_s": start_s,
        "start_mb": start_mb,
        "seconds": end_to_end_s,
        "peak_mb": peak_mb,
        "load": run_load,
        "check": check,
        "tail": tail.strip().splitlines()[-1:],
    }


# --- report ---------------------------------------------------------------------------------------


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report_pages(r: dict) -> None:
    print(
        f"\n== pages on {r['db']}: {r['agents']:,} agents in {r['teams']} teams of {TEAM_SIZE}, one site, "
        f"{YEAR_START}…{YEAR_END}"
    )
    print(
        f"   built: {r['sample_rows']:,} contacts for the first {r['sample_rows'] // r['per_day']} days "
        f"({r['per_day']:,} a day) imported through zhiren.imports in {r['sample_s']:.1f}s; their daily, "
        f"15-minute and agent 15-minute rollups copied by whole weeks onto the rest of the year in "
        f"{r['copy_s']:.1f}s; every summary aggregated from those rollups by the refresh's SQL in "
        f"{r['summaries_s']:.1f}s"
    )
    print("   rows: " + ", ".join(f"{name} {count:,}" for name, count in r["sizes"].items()))
    print(
        f"   {'page':<6} {'days':>5} {'N':>4} {'p50':>8} {'p95':>8}  goal p95 ≤ {PAGE_GOAL_MS} ms"
    )
    for p in r["pages"]:
        print(
            f"   {p['page']:<6} {p['days']:>5} {p['n']:>4} {p['p50'] * 1000:>6.0f}ms {p['p95'] * 1000:>6.0f}ms  "
            f"{met(p['p95'] * 1000 <= PAGE_GOAL_MS):<8} ({p['load']})"
        )


def report_import(r: dict) -> None:
    work_s = r["seconds"] - r["start_s"]
    rate = r["rows"] / r["seconds"]
    ratio = r["peak_mb"] / r["file_mb"]
    print(
        f"\n== import end to end on {r['db']}: {r['rows']:,} contacts, {r['file_mb']:.0f} MB CSV (N = 1)"
    )
    print(
        f"   plain csv.reader parse of the file (baseline): {r['parse_s']:.1f}s, "
        f"{r['rows'] / r['parse_s']:,.0f} rows/s ({r['parse_load']})"
    )
    print(
        f"   `zhiren import interactions` on a 3-row file (start-up): {r['start_s']:.1f}s, "
        f"peak {r['start_mb']:.0f} MB"
    )
    goal = r["db"] == "postgresql"
    print(
        f"   `zhiren import interactions`, process start to exit (committed, rollups and summaries "
        f"refreshed): {r['seconds']:.1f}s = {rate:,.0f} rows/s end to end"
        + (
            f"  goal ≥ {IMPORT_GOAL_ROWS_S:,}: {met(rate >= IMPORT_GOAL_ROWS_S)}"
            if goal
            else "  (no goal here)"
        )
        + f" ({r['load']})"
    )
    print(
        f"   beyond start-up: {work_s:.1f}s, {r['rows'] / work_s:,.0f} rows/s; "
        f"{work_s / r['parse_s']:.1f}× the plain parse"
    )
    print(
        f"   peak memory {r['peak_mb']:.0f} MB = {ratio:.1f}× the file"
        + (f"  goal ≤ {MEMORY_GOAL_X}×: {met(ratio <= MEMORY_GOAL_X)}" if goal else "")
        + f" ({r['load']})"
    )
    check = r["check"] or {}
    print(
        f"   check: {check.get('contacts', 0):,} contacts stored, {check.get('summarised', 0):,} offered in the "
        f"team summaries, overview HTTP {check.get('page')} with data: {check.get('has_data')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", choices=("sqlite", "postgresql", "both"), default=os.environ.get("BENCH_DB", "both")
    )
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument(
        "--per-agent-day", type=float, default=13.7, help="contacts per agent and day"
    )
    parser.add_argument("--sample-days", type=int, default=7)
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per page and range"
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="contacts imported end to end (0: skip)"
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--baseline-src",
        default="",
        help="another checkout's src folder: time the pages by its code and by this one, side by side",
    )
    parser.add_argument(
        "--import-db",
        choices=("sqlite", "postgresql", "both"),
        default="postgresql",
        help="where the import runs (its goal is PostgreSQL's)",
    )
    args = parser.parse_args()
    dbs = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    print(f"Interaction benchmark: {', '.join(dbs)}; {args.agents:,} agents; {load()}")
    failed = False
    with tempfile.TemporaryDirectory() as var_dir:
        if not args.skip_pages:
            for db in dbs:
                child = [
                    "pages",
                    db,
                    str(args.agents),
                    str(args.per_agent_day),
                    str(args.sample_days),
                    str(args.requests),
                ]
                if db == "sqlite":
                    url = f"sqlite:///{var_dir}/pages.sqlite3"
                    result = run_child(__file__, child, url, var_dir, timeout=3600)
                    if result and args.baseline_src:
                        side_by_side(db, url, var_dir, args.baseline_src, args.requests)
                else:
                    with scratch_postgres(PG_DB) as url:
                        result = (
                            run_child(__file__, child, url, var_dir, timeout=3600) if url else None
                        )
                        if result and args.baseline_src:
                            side_by_side(db, url, var_dir, args.baseline_src, args.requests)
                if result:
                    report_pages(result)
                else:
                    failed = True
                    print(f"\n== pages on {db}: no result")
        if args.rows:
            per_day = round(args.agents * args.per_agent_day)
            path, tiny = Path(var_dir) / "contacts.csv", Path(var_dir) / "tiny.csv"
            t0 = time.perf_counter()
            write_csv(path, contact_rows(args.agents, YEAR_START, args.rows, per_day))
            write_csv(tiny, contact_rows(args.agents, YEAR_START, 3, per_day, seed=5, prefix="T"))
            print(
                f"\ngenerated {args.rows:,} contacts ({per_day:,} a day from {YEAR_START}) in "
                f"{time.perf_counter() - t0:.0f}s"
            )
            for db in ("sqlite", "postgresql") if args.import_db == "both" else (args.import_db,):
                if db == "sqlite":
                    url = f"sqlite:///{var_dir}/import.sqlite3"
                    run_child(__file__, ["setup", db, str(args.agents)], url, var_dir)
                    report_import(
                        run_import_end_to_end(db, url, var_dir, path, tiny, args.rows, per_day)
                    )
                    continue
                with scratch_postgres(PG_DB + "_import") as url:
                    if not url:
                        failed = True
                        continue
                    run_child(__file__, ["setup", db, str(args.agents)], url, var_dir)
                    report_import(
                        run_import_end_to_end(db, url, var_dir, path, tiny, args.rows, per_day)
                    )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "pages":
            out = run_pages(rest[0], int(rest[1]), float(rest[2]), int(rest[3]), int(rest[4]))
        elif kind == "time":
            out = run_time_only(rest[0], int(rest[1]))
        elif kind == "setup":
            out = run_setup(rest[0], int(rest[1]))
        else:
            out = run_check(rest[0], int(rest[1]), rest[2], rest[3])
        print(json.dumps(out, default=str))
    else:
        main()
