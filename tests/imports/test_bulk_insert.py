"""Bulk inserts: rows held as columns, SQLite's multi-row statements, and PostgreSQL's foreign keys
checked once per distinct key (and every case where they must not be)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhiren.imports import bulk_insert, foreign_keys
from zhiren.imports.bulk_insert import RowColumns
from zhiren.imports.registry import import_spec
from zhiren.imports.services import import_context
from zhiren.org.models import Agent, Team

from ..factories import CenterFactory, SiteFactory, TeamFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's foreign-key triggers")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statements")


def agent_rows(team: Team, count: int, prefix: str = "B") -> RowColumns:
    spec = import_spec("agents")
    return spec.build_rows([
        {"employee_no": f"{prefix}{i:03d}", "name": f"员工{i}", "team": team, "channel_skills": ["voice"] * (i % 2),
         "hire_date": dt.date(2024, 1, 1 + i)}
        for i in range(count)
    ], import_context(None))


def with_team(rows: RowColumns, row: int, team_id: int) -> list[tuple]:
    """The rows with one row's team replaced (a key that may not exist)."""
    slot = [f.attname for f in bulk_insert.row_fields(Agent)].index("team_id")
    out = list(rows)
    out[row] = out[row][:slot] + (team_id,) + out[row][slot + 1:]
    return out


def key_columns(rows: RowColumns) -> list[tuple]:
    """What ``checked_once_per_key`` takes: each constrained field of the agent rows with its column."""
    return [(f, [row[i] for row in rows]) for i, f in foreign_keys.constrained_keys(bulk_insert.row_fields(Agent))]


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
    monkeypatch.setattr(bulk_insert, "SQLITE_ROWS_PER_STATEMENT", 3)
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
    monkeypatch.setattr(bulk_insert, "SQLITE_ROWS_PER_STATEMENT", 4)
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
    monkeypatch.setattr(bulk_insert, "SQLITE_ROWS_PER_STATEMENT", 2)
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
def test_a_missing_key_is_named_and_nothing_is_written(org, monkeypatch):
    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    Agent.objects.create(employee_no="OLD", name="老员工", team=org.sh_after)
    missing = Team.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    rows = with_team(agent_rows(org.sh_after, 4), 2, missing)
    named = rf'on "team_id": {missing} not present in table "org_team"'
    with pytest.raises(IntegrityError, match=named), transaction.atomic():
        bulk_insert.insert_rows(Agent, rows)
    assert list(Agent.objects.values_list("employee_no", flat=True)) == ["OLD"]


@postgres_only
def test_checks_come_back_on_after_the_copy(org, monkeypatch):
    """Statements after the insert, in the same transaction, are checked by PostgreSQL as usual."""
    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    with pytest.raises(IntegrityError, match="violates foreign key constraint"), transaction.atomic():
        bulk_insert.insert_rows(Agent, agent_rows(org.sh_after, 3))
        assert Agent.objects.count() == 3
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
            cursor.execute(
                "INSERT INTO org_agent (employee_no, name, team_id, position, channel_skills, status, updated_at)"
                " VALUES ('LATE', '晚到', %s, 'aftersales', '[]', 'active', now())", [org.sh_after.pk + 1000])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred check now, not at the test's end


@postgres_only
def test_without_the_right_to_skip_triggers_postgres_checks_every_row(org, monkeypatch):
    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    monkeypatch.setattr(foreign_keys, "_role_may_skip_triggers", lambda cursor: False)
    rows = with_team(agent_rows(org.sh_after, 3), 0, org.sh_after.pk + 1000)
    with pytest.raises(IntegrityError, match="violates foreign key constraint"), transaction.atomic():
        bulk_insert.insert_rows(Agent, rows)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Agent.objects.count() == 0


@postgres_only
def test_small_inserts_and_tables_with_their_own_triggers_keep_row_checks(org, monkeypatch):
    rows = agent_rows(org.sh_after, 3)
    keys = key_columns(rows)
    assert [f.name for f, _column in keys] == ["team", "user"]
    with connection.cursor() as cursor:
        with foreign_keys.checked_once_per_key(cursor, Agent, keys, 3) as checked_here:
            assert checked_here is False  # fewer than FROM_ROWS rows
        monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
        with foreign_keys.checked_once_per_key(cursor, Agent, keys, 3) as checked_here:
            assert checked_here is True
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "replica"
        # A deployment's own trigger must still run: with one on the table, PostgreSQL checks each row.
        cursor.execute(
            "CREATE FUNCTION zh_test_mark() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN NEW.name := NEW.name || '!'; RETURN NEW; END $$")
        cursor.execute("CREATE TRIGGER zh_test_mark BEFORE INSERT ON org_agent FOR EACH ROW "
                       "EXECUTE FUNCTION zh_test_mark()")
    bulk_insert.insert_rows(Agent, rows)
    assert sorted(Agent.objects.values_list("name", flat=True)) == ["员工0!", "员工1!", "员工2!"]


@postgres_only
def test_the_setting_is_restored_when_the_block_fails_before_the_database_does(org, monkeypatch):
    """A caller that catches the error and goes on in the same transaction is checked as usual."""
    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    keys = key_columns(agent_rows(org.sh_after, 2))
    with connection.cursor() as cursor:
        with pytest.raises(RuntimeError), foreign_keys.checked_once_per_key(cursor, Agent, keys, 2) as checked_here:
            assert checked_here is True
            raise RuntimeError("before the COPY")
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


@postgres_only
def test_a_table_with_a_rule_keeps_row_checks(org, monkeypatch):
    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    keys = key_columns(agent_rows(org.sh_after, 2))
    with connection.cursor() as cursor:
        cursor.execute("CREATE RULE zh_test_rule AS ON INSERT TO org_agent DO ALSO NOTIFY zh_test_agents")
        with foreign_keys.checked_once_per_key(cursor, Agent, keys, 2) as checked_here:
            assert checked_here is False


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_referenced_rows_stay_locked_until_the_insert_commits(monkeypatch):
    """What PostgreSQL's per-row check guarantees: nobody deletes a referenced team before the commit."""
    import psycopg

    monkeypatch.setattr(foreign_keys, "FROM_ROWS", 1)
    team = TeamFactory(site=SiteFactory(center=CenterFactory()))
    spare = TeamFactory(site=team.site)
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                            port=settings["PORT"] or 5432, autocommit=True)
    lock = "SELECT id FROM org_team WHERE id = %s FOR UPDATE NOWAIT"
    try:
        with transaction.atomic():
            bulk_insert.insert_rows(Agent, agent_rows(team, 3))
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(lock, [team.pk])
            assert other.execute(lock, [spare.pk]).fetchone() == (spare.pk,)  # only what the rows refer to
        assert other.execute(lock, [team.pk]).fetchone() == (team.pk,)
    finally:
        other.close()
    assert Agent.objects.filter(team=team).count() == 3
