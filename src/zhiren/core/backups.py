"""The restore drill: take a backup, restore it into a scratch database, prove nothing was lost.

A backup no one has restored is a hope. ``zhiren restore_drill`` dumps the live database
(PostgreSQL: ``pg_dump -Fc``; SQLite: the online backup API, safe while the server runs),
restores the dump into a scratch database, and compares every table: the row count and a
checksum of the rows that does not depend on their physical order. Then it drops the scratch
database. Any table that differs is named.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One checksum per table: md5 over the sorted md5s of its rows' text form, so two tables with the
# same rows in a different physical order (a restore re-packs them) agree.
PG_FINGERPRINT = (
    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
    "FROM (SELECT md5(t::text) AS h FROM {table} AS t) AS rows"
)


@dataclass(frozen=True)
class Fingerprint:
    rows: int
    checksum: str


@dataclass(frozen=True)
class Difference:
    table: str
    live: Fingerprint | None
    restored: Fingerprint | None


@dataclass(frozen=True)
class DrillResult:
    backup: Path
    backup_bytes: int
    tables: dict[str, Fingerprint]
    differences: list[Difference]

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def total_rows(self) -> int:
        return sum(f.rows for f in self.tables.values())


def compare(live: dict[str, Fingerprint], restored: dict[str, Fingerprint]) -> list[Difference]:
    """Tables missing on either side or whose rows differ, by name."""
    return [
        Difference(name, live.get(name), restored.get(name))
        for name in sorted(set(live) | set(restored))
        if live.get(name) != restored.get(name)
    ]


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_connect(db: dict[str, Any], name: str):
    import psycopg

    return psycopg.connect(
        dbname=name, host=db.get("HOST") or None, port=db.get("PORT") or None,
        user=db.get("USER") or None, password=db.get("PASSWORD") or None, autocommit=True,
    )


def pg_fingerprints(db: dict[str, Any], name: str) -> dict[str, Fingerprint]:
    """Every table of the ``public`` schema of database ``name``."""
    from psycopg import sql

    with _pg_connect(db, name) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        result = {}
        for table in tables:
            query = sql.SQL(PG_FINGERPRINT).format(table=sql.Identifier("public", table))
            rows, checksum = conn.execute(query).fetchone()
            result[table] = Fingerprint(rows, checksum)
        return result


def _run(args: list[str], env: dict[str, str]) -> None:
    """Run one of PostgreSQL's client programs (from PATH, as an operator would); fail loudly."""
    subprocess.run(args, env=env, check=True, capture_output=True, text=True)  # noqa: S603


def pg_dump(db: dict[str, Any], target: Path) -> None:
    _run(["pg_dump", "-Fc", "--no-owner", "-f", str(target), db["NAME"]], _pg_env(db))


@contextmanager
def pg_scratch(db: dict[str, Any], backup: Path, *, keep: bool = False) -> Iterator[str]:
    """A scratch database holding ``backup``, dropped afterwards unless ``keep``."""
    name = f"{db['NAME']}_drill_{os.getpid()}"
    env = _pg_env(db)
    _run(["dropdb", "--if-exists", name], env)
    _run(["createdb", name], env)
    try:
        _run(["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(backup)], env)
        yield name
    finally:
        if not keep:
            _run(["dropdb", "--if-exists", name], env)


# --- SQLite ----------------------------------------------------------------------------------


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()  # a checksum, not a secret


def sqlite_fingerprints(path: Path) -> dict[str, Fingerprint]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        result = {}
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            hashes = sorted(_md5(repr(row))
                            for row in conn.execute(f"SELECT * FROM {quoted}"))  # noqa: S608 - names from sqlite_master
            checksum = _md5("".join(hashes)) if hashes else ""
            result[table] = Fingerprint(len(hashes), checksum)
        return result
    finally:
        conn.close()


def sqlite_backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- the drill -------------------------------------------------------------------------------


def run_drill(db: dict[str, Any], *, directory: Path | None = None, keep: bool = False) -> DrillResult:
    """Back up database ``db`` (a ``settings.DATABASES`` entry), restore it, compare every table.

    The live side is fingerprinted right after the dump; writes in between show as differences,
    so drill a quiet database (or a copy) when you need a clean result.
    """
    directory = Path(directory or tempfile.mkdtemp(prefix="zhiren-drill-"))
    directory.mkdir(parents=True, exist_ok=True)
    if db["ENGINE"].endswith("postgresql"):
        backup = directory / f"{db['NAME']}.dump"
        pg_dump(db, backup)
        live = pg_fingerprints(db, db["NAME"])
        with pg_scratch(db, backup, keep=keep) as scratch:
            restored = pg_fingerprints(db, scratch)
    elif db["ENGINE"].endswith("sqlite3"):
        backup = directory / "backup.sqlite3"
        sqlite_backup(Path(db["NAME"]), backup)
        live = sqlite_fingerprints(Path(db["NAME"]))
        scratch_copy = directory / "restored.sqlite3"
        sqlite_backup(backup, scratch_copy)  # "restore": a copy made from the backup alone
        restored = sqlite_fingerprints(scratch_copy)
        if not keep:
            scratch_copy.unlink()
    else:
        raise ValueError(f"no restore drill for the database engine {db['ENGINE']}")
    return DrillResult(backup, backup.stat().st_size, restored, compare(live, restored))
