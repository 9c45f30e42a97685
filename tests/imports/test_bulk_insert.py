"""Bulk inserts: rows held as columns, SQLite's multi-row statements, and PostgreSQL's own foreign-key
checks, triggers and locks kept for the rows a ``COPY`` writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhiren.imports import bulk_insert
from zhiren.imports.fast import inserts as fast_inserts
from zhiren.imports.registry import import_spec
from zhiren.imports.rows import RowColumns
from zhiren.imports.services import import_context
from zhiren.org.models import Agent, Team

from ..factories import CenterFactory, SiteFactory, TeamFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statements")


def agent_rows(team: Team, count: int, prefix: str = "B") -> RowColumns:
    spec = import_spec("agents")
    return spec.build_rows([
        {"employee_no": f"{prefix}{i:03d}", "name": f"员工{i}", "team": team, "channel_skills": ["voice"] * (i % 2),
         "hire_date": dt.date(2024, 1, 1) + dt.timedelta(days=i)}
        for i in range(count)
    ], import_context(None))


def with_team(rows: RowColumns, row: int, team_id: int) -> list[tuple]:
    """The rows with one row's team replaced (a key that may not exist)."""
    slot = [f.attname for f in bulk_insert.row_fields(Agent)].index("team_id")
    out = list(rows)
    out[row] = out[row][:slot] + (team_id,) + out[row][slot + 1:]
    return out


def stored() -> list[tuple]:
    return list(Agent.objects.order_by("pk").values_list("employee_no", "name", "team_id", "channel_skills",
                                                         "hire_date"))


def test_row_columns_read_as_row_tuples():
    rows = RowColumns([[1, 2, 3], ["a", "b", "c"]], 3)
    assert len(rows) == 3
    assert rows[1] == (2, "b") and rows[-1] == (3, "c")
    assert list(rows) == [(1, "a"), (2, "b"), (3, "c")]
    tail = rows[1:]
    assert isinstance(tail, RowColumns) and len(tail) == 2 and tail == [(2, "b"), (3, "c")]
    assert len(rows[::2]) == 2 and rows[::2] == [(1, "a"), (3, "c")]
    assert rows == ((1, "a"), (2, "b"), (3, "c"))
    assert rows != [(1, "a"), (2, "b"), (3, "x")]
    assert rows != [(1, "a"), (2, "b")]
    assert rows != [[1, "a"], [2, "b"], [3, "c"]]  # rows are tuples
    with pytest.raises(ValueError, match="3 values"):
        RowColumns([[1, 2, 3], ["a"]], 3)


@sqlite_only
def test_sqlite_inserts_many_rows_a_statement_and_a_short_last_one(org, monkeypatch):
    monkeypatch.setattr(fast_inserts, "SQLITE_ROWS_PER_STATEMENT", 3)
    rows = agent_rows(org.sh_after, 7)
    with CaptureQueriesContext(connection) as queries:  # logged: through Django's cursor
        bulk_insert.insert_rows(Agent, rows)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert [sql.count("), (") + 1 for sql in inserts] == [3, 3, 1]
    assert stored() == [
        (f"B{i:03d}", f"员工{i}", org.sh_after.pk, ["voice"] * (i % 2), dt.date(2024, 1, 1 + i)) for i in range(7)
    ]


@sqlite_only
def test_sqlite_statements_stay_within_the_parameter_limit(org):
    """A build of SQLite with a low parameter limit gets as many rows a statement as fit (10 columns, 25 marks: 2)."""
    import sqlite3

    rows = agent_rows(org.sh_after, 5)
    connection.ensure_connection()
    raw = connection.connection
    old = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 25)
    try:
        with CaptureQueriesContext(connection) as queries:
            bulk_insert.insert_rows(Agent, rows)
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)
    assert len(bulk_insert.row_fields(Agent)) == 10
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert [sql.count("), (") + 1 for sql in inserts] == [2, 2, 1]
    assert [row[0] for row in stored()] == [f"B{i:03d}" for i in range(5)]


@sqlite_only
def test_sqlite_statements_sent_as_they_are_store_the_same_rows(org, monkeypatch):
    monkeypatch.setattr(fast_inserts, "SQLITE_ROWS_PER_STATEMENT", 4)
    rows = agent_rows(org.sh_after, 9)
    with CaptureQueriesContext(connection):
        bulk_insert.insert_rows(Agent, rows)
    logged = stored()
    Agent.objects.all().delete()
    assert not connection.queries_logged
    bulk_insert.insert_rows(Agent, rows)
    assert stored() == logged and len(logged) == 9


@sqlite_only
def test_sqlite_statements_go_through_djangos_execute_wrappers(org, monkeypatch):
    monkeypatch.setattr(fast_inserts, "SQLITE_ROWS_PER_STATEMENT", 2)
    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(sql.count("), (") + 1 if sql.startswith("INSERT") else 0)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        bulk_insert.insert_rows(Agent, agent_rows(org.sh_after, 5))
    assert seen == [2, 2, 1]
    assert Agent.objects.count() == 5


@sqlite_only
def test_sqlite_duplicate_key_raises_djangos_integrity_error_and_writes_nothing(org):
    rows = list(agent_rows(org.sh_after, 5))
    rows.append(rows[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert.insert_rows(Agent, rows)
    assert Agent.objects.count() == 0


@postgres_only
def test_a_missing_key_fails_postgres_own_check_and_nothing_is_written(org):
    """A large COPY is checked by PostgreSQL's own foreign-key triggers, row by row, as any insert."""
    Agent.objects.create(employee_no="OLD", name="老员工", team=org.sh_after)
    missing = Team.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    rows = with_team(agent_rows(org.sh_after, 600), 300, missing)
    with pytest.raises(IntegrityError, match="violates foreign key constraint"), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            bulk_insert.insert_rows(Agent, rows)
        assert not [q for q in queries.captured_queries if "replication" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred check now, not at the test's end
    assert list(Agent.objects.values_list("employee_no", flat=True)) == ["OLD"]


@postgres_only
def test_a_tables_own_trigger_runs_for_copied_rows(org):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION zh_test_mark() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN NEW.name := NEW.name || '!'; RETURN NEW; END $$")
        cursor.execute("CREATE TRIGGER zh_test_mark BEFORE INSERT ON org_agent FOR EACH ROW "
                       "EXECUTE FUNCTION zh_test_mark()")
    bulk_insert.insert_rows(Agent, agent_rows(org.sh_after, 3))
    assert sorted(Agent.objects.values_list("name", flat=True)) == ["员工0!", "员工1!", "员工2!"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_team_deleted_before_the_commit_fails_the_insert():
    """What PostgreSQL's own check guarantees for a COPY: no agent is left pointing at a team another
    connection deleted before the insert committed."""
    import psycopg

    team = TeamFactory(site=SiteFactory(center=CenterFactory()))
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                            port=settings["PORT"] or 5432, autocommit=True)
    try:
        with pytest.raises(IntegrityError, match="foreign key"), transaction.atomic():
            bulk_insert.insert_rows(Agent, agent_rows(team, 600))
            other.execute("DELETE FROM org_team WHERE id = %s", [team.pk])
    finally:
        other.close()
    assert Agent.objects.count() == 0
