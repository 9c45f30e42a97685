"""The fast paths (``zhiren.imports.fast``) and plain Django give the same imports.

Each scenario runs twice in one test, once per setting of
``IMPORT_FAST_PATHS``, each time inside a transaction rolled back afterwards,
and the two runs must agree on everything a user sees: errors (row, column,
message), dry-run plans and previews, counts, audit fields and the rows stored.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhiren.imports import bulk_insert, fast
from zhiren.imports.fast.collector import without_cycle_collection
from zhiren.imports.lookups import keyed_querysets
from zhiren.imports.services import _preview_rows, run_import
from zhiren.org.models import Agent

pytestmark = pytest.mark.django_db


def both_ways(settings, scenario: Callable[[], Any]) -> tuple[Any, Any]:
    """``scenario()`` with the fast paths on, then off, each in a transaction rolled back afterwards."""
    results = []
    for fast_paths in (True, False):
        settings.IMPORT_FAST_PATHS = fast_paths
        assert fast.enabled() is fast_paths
        with transaction.atomic():
            results.append(scenario())
            transaction.set_rollback(True)
    return results[0], results[1]


def stored_agents() -> list[tuple]:
    """Every agent's stored values but its id and ``updated_at`` (set to now by either path)."""
    names = [f.attname for f in bulk_insert.row_fields(Agent) if f.attname != "updated_at"]
    return sorted(Agent.objects.values_list(*names))


def outcome(result) -> dict[str, Any]:
    """What a user sees of one ``run_import``: errors, warnings, counts, the plan, the preview, the audit fields."""
    plan = result.plan
    return {
        "errors": [(e.row, e.column, e.field, e.message) for e in result.errors],
        "warnings": [(w.row, w.column, w.field, w.message) for w in result.warnings],
        "counts": result.counts(),
        "committed": result.committed,
        "creates": [(c.row, c.key, c.values) for c in plan.creates],
        "updates": [(c.row, c.key, type(c.obj).__name__, c.diffs) for c in plan.updates],
        "preview": _preview_rows(result.spec, plan),
        "changed_fields": plan.changed_fields(),
    }


BAD_ROSTER = (
    "工号,姓名,班组,岗位,技能,入职日期,生日,状态\n"
    "A001,张伟,sh-after,售后,语音、在线,2024-03-01,1995/6/15,在职\n"
    "A003, 王强 ,nowhere,售后,语音,2024-02-30,1990-01-01,在职\n"  # unknown team, no such date
    "A004,,sh-after,厨师,飞鸽,2024-03-01,,离职\n"  # required blank, unknown position and skill
    "A001,张伟,sh-after,售后,语音,2024-03-01,,在职\n"  # duplicate key
    "A008,周杰\n"  # short row
)

FIRST = (
    "工号,姓名,班组,岗位,技能,入职日期,生日,状态\n"
    "E001,张伟,sh-after,售后,语音、在线,2024-03-01,1995/6/15,在职\n"
    "E002,李娜,sh-pre,售前,在线/邮件,2024-3-2,,\n"  # blank status keeps the default
    "E003,王强,bj-after,售后,,2023-12-31,1990-01-01,离职\n"
)

SECOND = (
    "工号,姓名,班组,技能,入职日期,状态\n"
    "E001,张伟,sh-after,语音、在线,2024-03-01,在职\n"  # unchanged
    "E002,李娜二,sh-after,邮件,2024-03-02,\n"  # name, team and skills change; blank status keeps
    "E003,王强,sh-after,,2023-12-31,在职\n"  # another site's agent: a site manager of sh may not move it
    "E004,赵敏,sh-pre,语音,2025-01-01,在职\n"  # new
)


def test_agent_imports_agree(org, settings):
    def scenario():
        bad = run_import("agents", BAD_ROSTER.encode(), "bad.csv")
        first_dry = run_import("agents", FIRST.encode(), "first.csv", dry_run=True)
        first = run_import("agents", FIRST.encode(), "first.csv")
        after_first = stored_agents()
        second_dry = run_import("agents", SECOND.encode(), "second.csv", user=org.sh_manager, dry_run=True)
        by_hr = run_import("agents", SECOND.encode(), "second.csv", user=org.hr)
        return {
            "bad": outcome(bad), "first_dry": outcome(first_dry), "first": outcome(first),
            "after_first": after_first, "second_dry": outcome(second_dry), "by_hr": outcome(by_hr),
            "after_second": stored_agents(),
        }

    with_fast, plain = both_ways(settings, scenario)
    assert with_fast == plain
    # and the scenario shows what it is meant to: errors reported, rows written, a scope error, changes
    assert {(e[0], e[2]) for e in plain["bad"]["errors"]} >= {(3, "team"), (3, "hire_date"), (4, "name"), (6, "team")}
    assert not plain["bad"]["committed"] and plain["first"]["committed"] and len(plain["after_first"]) == 3
    assert [(e[0], e[1]) for e in plain["second_dry"]["errors"]] == [(4, "工号")]
    assert [(u[1], sorted(u[3])) for u in plain["by_hr"]["updates"]] == [
        ("E002", ["channel_skills", "name", "team"]), ("E003", ["status", "team"])]
    assert plain["by_hr"]["counts"]["created"] == 1 and plain["by_hr"]["counts"]["unchanged"] == 1


def test_a_large_agent_import_agrees(org, settings):
    """Past SQLite's 999 parameters and PostgreSQL's per-statement batches: 1,500 new rows, then 1,500 keys
    looked up again with 300 changed."""
    lines = ["工号,姓名,班组,技能,入职日期"] + [
        f"L{i:05d},名{i},{'sh-after' if i % 3 else 'sh-pre'},{'语音' if i % 2 else '在线/邮件'},2024-01-{1 + i % 28:02d}"
        for i in range(1500)
    ]
    changed = lines[:1] + [line.replace("名", "新名") if i % 5 == 0 else line for i, line in enumerate(lines[1:])]

    def scenario():
        first = run_import("agents", "\n".join(lines).encode(), "a.csv")
        again = run_import("agents", "\n".join(changed).encode(), "b.csv")
        return outcome(first)["counts"], outcome(again)["counts"], len(again.plan.updates), stored_agents()

    with_fast, plain = both_ways(settings, scenario)
    assert with_fast == plain
    assert plain[0]["created"] == 1500 and (plain[1]["updated"], plain[1]["unchanged"]) == (300, 1200)


def test_inserting_instances_agrees(org, settings):
    """``bulk_insert.insert`` (attendance, violations): JSON, defaults and ``auto_now`` as ``bulk_create`` has them."""
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    def scenario():
        bulk_insert.insert(Agent, [
            Agent(employee_no="J1", name="甲", team=org.sh_after, channel_skills=["voice", "chat"]),
            Agent(employee_no="J2", name="乙", team=org.sh_pre, hire_date=dt.date(2024, 2, 29)),
        ])
        assert all(stamp >= before for stamp in Agent.objects.values_list("updated_at", flat=True))
        return stored_agents(), Agent.objects.filter(channel_skills__1="chat").count()

    with_fast, plain = both_ways(settings, scenario)
    assert with_fast == plain and plain[1] == 1 and len(plain[0]) == 2


def test_plain_path_uses_bulk_create_and_chunked_lookups(org, settings):
    """With the fast paths off, SQL is Django's own: no COPY, no json_each / string_to_array, keys in chunks."""
    settings.IMPORT_FAST_PATHS = False
    Agent.objects.bulk_create(Agent(employee_no=f"K{i:04d}", name="x", team=org.sh_after) for i in range(20))
    keys = [f"K{i:04d}" for i in range(25)]
    querysets = keyed_querysets(Agent.objects.all(), "employee_no", keys, chunk=10)
    assert len(querysets) == 3
    assert sorted(a.employee_no for qs in querysets for a in qs) == keys[:20]
    lines = ["工号,姓名,班组"] + [f"P{i:03d},名,sh-after" for i in range(30)]
    with CaptureQueriesContext(connection) as queries:
        assert run_import("agents", "\n".join(lines).encode(), "a.csv").committed
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "json_each" not in sql and "string_to_array" not in sql
    assert Agent.objects.filter(employee_no__startswith="P").count() == 30
    settings.IMPORT_FAST_PATHS = True
    assert len(keyed_querysets(Agent.objects.all(), "employee_no", keys, chunk=10)) == 1


def test_collector_left_alone_without_the_fast_paths(settings):
    @without_cycle_collection
    def step():
        return gc.isenabled()

    assert gc.isenabled()
    settings.IMPORT_FAST_PATHS = False
    assert step() is True
    settings.IMPORT_FAST_PATHS = True
    assert step() is False
    assert gc.isenabled()
