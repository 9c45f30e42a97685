"""The restore drill proves a backup restores every row, and names a table that does not."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection

from zhiren.core import backups
from zhiren.org.models import Agent, Team

from ..factories import AgentFactory


def _sqlite_db(path):
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT);"
        "CREATE TABLE agent (id INTEGER PRIMARY KEY, team_id INTEGER, name TEXT, note BLOB);"
        "INSERT INTO team VALUES (1, '售后一组'), (2, 'Presales');"
        "INSERT INTO agent VALUES (1, 1, '王芳', x'00ff'), (2, 2, 'Li Lei', NULL), (3, 1, '', 'x');"
    )
    conn.commit()
    conn.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_sqlite_drill_restores_every_row(tmp_path):
    result = backups.run_drill(_sqlite_db(tmp_path / "live.sqlite3"), directory=tmp_path / "drill")
    assert result.ok
    assert {name: f.rows for name, f in result.tables.items()} == {"agent": 3, "team": 2}
    assert result.backup.exists() and result.backup_bytes > 0


def test_a_changed_or_missing_row_is_named(tmp_path):
    db = _sqlite_db(tmp_path / "live.sqlite3")
    live = backups.sqlite_fingerprints(tmp_path / "live.sqlite3")
    copy = tmp_path / "copy.sqlite3"
    backups.sqlite_backup(tmp_path / "live.sqlite3", copy)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE agent SET name = '王芳 ' WHERE id = 1")  # one trailing space
    conn.execute("DROP TABLE team")
    conn.commit()
    conn.close()
    differences = backups.compare(live, backups.sqlite_fingerprints(copy))
    assert [(d.table, d.live.rows, d.restored and d.restored.rows) for d in differences] == [
        ("agent", 3, 3), ("team", 2, None)]
    assert backups.run_drill(db, directory=tmp_path / "again").ok  # the live file itself is untouched


def test_the_checksum_ignores_row_order(tmp_path):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path, order in ((a, "ASC"), (b, "DESC")):
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (k TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", sorted([("x",), ("y",), ("z",)], reverse=order == "DESC"))
        conn.commit()
        conn.close()
    assert backups.sqlite_fingerprints(a) == backups.sqlite_fingerprints(b)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_postgresql_drill_dumps_restores_and_compares(world, tmp_path, capsys):
    AgentFactory.create_batch(3, team=Team.objects.first(), name="回归 'quoted' \\ name")
    call_command("restore_drill", dir=tmp_path)
    out = capsys.readouterr().out
    assert "every table restored with the same rows" in out
    assert (tmp_path / f"{connection.settings_dict['NAME']}.dump").stat().st_size > 0

    db = connection.settings_dict
    live = backups.pg_fingerprints(db, db["NAME"])
    assert live["org_agent"].rows == Agent.objects.count()
    with backups.pg_scratch(db, tmp_path / f"{db['NAME']}.dump") as scratch:
        with backups._pg_connect(db, scratch) as conn:
            conn.execute("UPDATE org_agent SET name = name || ' ' WHERE id = (SELECT min(id) FROM org_agent)")
        differences = backups.compare(live, backups.pg_fingerprints(db, scratch))
    assert [d.table for d in differences] == ["org_agent"]
