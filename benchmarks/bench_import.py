"""Import framework throughput: a 20,000-agent roster through parse, validate/plan and commit.

Runs by itself (``python benchmarks/bench_import.py``): it sets up Django on a
temporary SQLite file and, when reachable, a scratch PostgreSQL database
(``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/test`` — a
``zhiren_bench_import`` database is created next to it and dropped after).
Each phase prints rows/s and its ratio to a plain ``csv`` parse (for XLSX, a
plain openpyxl read) of the same file in the same run; every phase, the
baseline included, is timed as the median of ``BENCH_REPEAT`` runs (default 3),
so a busy machine skews them alike (the baseline is timed before and after
the phases, and the median of both rounds kept). Goal: validate/plan and
commit each within 10× a plain parse. ``IMPORT_FAST_PATHS=0`` times the plain
Django path instead of the fast paths (``zhiren.imports.fast``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from database_children import run_child, scratch_postgres
from reporting import goal, load_average, median_seconds

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
ROOT = Path(__file__).resolve().parent.parent
PG_DB = "zhiren_bench_import"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def roster(rows: int) -> tuple[list[str], list[list[str]]]:
    rng = random.Random(7)
    header = ["工号", "姓名", "班组", "岗位", "技能", "入职日期", "生日", "状态"]
    data = []
    for i in range(rows):
        data.append(
            [
                f"E{i:06d}",
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                f"team{rng.randrange(40):02d}",
                rng.choice(["售后", "售前", "投诉", "质检"]),
                rng.choice(["语音", "在线", "语音、在线", "在线/邮件", "工单"]),
                f"{rng.randrange(2015, 2025)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                f"{rng.randrange(1970, 2004)}/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}",
                rng.choice(["在职", "在职", "在职", "休假", "离职"]),
            ]
        )
    return header, data


def files(rows: int) -> dict[str, bytes]:
    from openpyxl import Workbook

    header, data = roster(rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(data)
    text = buffer.getvalue()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in data:
        sheet.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        "csv-utf8": text.encode("utf-8"),
        "csv-gbk": text.encode("gbk"),
        "xlsx": xlsx.getvalue(),
    }


REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_of_repeats(fn, before=None):
    """The median of REPEAT timed runs of ``fn`` (``before`` runs untimed ahead of each) and its last value."""
    return median_seconds(fn, REPEAT, before=before)


def plain_parse(name: str, data: bytes) -> float:
    if name.startswith("csv"):
        encoding = "gbk" if name == "csv-gbk" else "utf-8"
        return timed(lambda: list(csv.reader(io.StringIO(data.decode(encoding), newline=""))))[0]
    from openpyxl import load_workbook

    def read():
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return rows

    return timed(read)[0]


def run_database(label: str) -> list[dict]:
    """Inside a child process whose environment selects the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import DatabaseError, connection, transaction

    from zhiren.imports.planning import commit_plan, plan_import
    from zhiren.imports.registry import import_spec
    from zhiren.imports.services import import_context
    from zhiren.imports.tables import read_table
    from zhiren.imports.validation import validate
    from zhiren.org.models import Agent, Center, Site, Team

    call_command("migrate", verbosity=0)
    Agent.objects.all().delete()
    Team.objects.all().delete()
    Site.objects.all().delete()
    center = Center.objects.create(name="bench")
    site = Site.objects.create(center=center, code="bench", name="基准")
    Team.objects.bulk_create(
        Team(site=site, code=f"team{i:02d}", name=f"班组{i:02d}") for i in range(40)
    )
    spec = import_spec("agents")
    results = []
    if connection.vendor == "postgresql":
        # The scratch database was just created and migrated: write that out now, so that the checkpoint
        # it calls for does not fall inside a timed phase. (Needs the right to; skipped without it.)
        with connection.cursor() as cursor:
            try:
                cursor.execute("CHECKPOINT")
            except DatabaseError as exc:
                print(f"no CHECKPOINT: {exc}", file=sys.stderr)

    def clear_agents():
        # Nothing refers to these agents: skip the ORM's cascade collection. On PostgreSQL TRUNCATE, so
        # each run writes into a fresh table as a first import does, not past the dead rows of the last.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE org_agent CASCADE")
            else:
                cursor.execute("DELETE FROM org_agent")

    for name, data in files(ROWS).items():
        clear_agents()
        base_runs = [
            plain_parse(name, data) for _ in range(REPEAT)
        ]  # every phase: the median of REPEAT runs
        context = import_context(None)
        t_parse, table = median_of_repeats(lambda data=data: read_table(data))

        def validate_and_plan(table=table, context=context):
            spec.prepare(context)
            return plan_import(spec, validate(table, spec, context), context)

        t_plan, plan = median_of_repeats(validate_and_plan)
        assert not plan.errors, plan.errors[:3]

        def commit(plan=plan, context=context):
            with transaction.atomic():
                commit_plan(spec, plan, context)

        t_commit, _ = median_of_repeats(commit, before=clear_agents)
        assert Agent.objects.count() == ROWS
        t_replan, replan = median_of_repeats(validate_and_plan)  # re-import: every row unchanged
        assert replan.unchanged == ROWS
        # The baseline again after the phases: on PostgreSQL the server's work after a TRUNCATE can slow the
        # first parses; the median of both rounds, so the baseline sees the same machine as the phases.
        base = statistics.median(base_runs + [plain_parse(name, data) for _ in range(REPEAT)])
        results.append(
            {
                "db": label,
                "file": name,
                "base": base,
                "parse": t_parse,
                "plan": t_plan,
                "commit": t_commit,
                "replan": t_replan,
            }
        )
    return results


def child_main() -> None:
    label = sys.argv[2]
    print(json.dumps(run_database(label)))


def report(results: list[dict]) -> None:
    print(
        f"{'db':<10} {'file':<9} {'plain':>9} {'parse':>9} {'validate+plan':>14} {'commit':>9} {'re-import plan':>15}"
    )
    print(
        f"{'':<10} {'':<9} {'rows/s':>9} {'rows/s':>9} {'rows/s (×plain)':>14} {'rows/s (×)':>9} {'rows/s (×)':>15}"
    )
    for r in results:

        def cell(seconds: float, base: float = r["base"]) -> str:
            return f"{ROWS / seconds:,.0f} ({seconds / base:.1f}×)"

        print(
            f"{r['db']:<10} {r['file']:<9} {ROWS / r['base']:>9,.0f} {cell(r['parse']):>9}  {cell(r['plan']):>14} "
            f"{cell(r['commit']):>9} {cell(r['replan']):>15}"
        )
        within = r["plan"] <= 10 * r["base"] and r["commit"] <= 10 * r["base"]
        print(f"{'':<10} {'':<9} {goal('validate+plan and commit each <= 10x plain', within)}")
    print(f"medians of {REPEAT} runs per phase; {load_average()}")


def main() -> None:
    print(f"Import benchmark: {ROWS:,} agents; ratios are to a plain parse of the same file")
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as var_dir:
        results += (
            run_child(__file__, ["sqlite"], f"sqlite:///{var_dir}/bench.sqlite3", var_dir) or []
        )
        with scratch_postgres(PG_DB) as url:
            if url:
                results += run_child(__file__, ["postgresql"], url, var_dir) or []
    report(results)
    if not results:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main()
    else:
        main()
