"""A large insert's foreign keys checked once per distinct key, not once per row (PostgreSQL).

PostgreSQL checks a foreign key with a trigger per inserted row: it looks the
referenced row up and locks it (``FOR KEY SHARE``), so that nobody deletes or
re-keys it before the transaction ends. A roster of 20,000 agents in 40 teams
makes 20,000 look-ups of 40 rows: close to half of the server's work in the
``COPY``. :func:`checked_once_per_key` does the same work per distinct key:
it locks the referenced rows itself, fails naming the keys that are missing,
and runs the insert with row triggers off (``session_replication_role =
replica``), restoring the setting right after it so that later statements of
the transaction are checked as usual.

It applies only when all of these hold, and otherwise leaves the insert to
PostgreSQL's own checks:

- the insert has at least :data:`FROM_ROWS` rows and runs inside a transaction;
- the database role may set ``session_replication_role`` (superusers; from
  PostgreSQL 15 also roles granted ``SET`` on it);
- the table has no triggers but PostgreSQL's own and no rules, so nothing a
  deployment added is skipped; and no key refers to the table itself (rows of
  one insert may refer to each other, which only a check after the insert
  sees).
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Iterator

from django.db import IntegrityError, connection, models

FROM_ROWS = 500  # below this the per-row checks cost less than the statements added here

_may_set_role: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # psycopg connection → bool


def constrained_keys(fields: list[models.Field]) -> list[tuple[int, models.Field]]:
    """The positions and fields of a row tuple's columns that the database checks as foreign keys."""
    return [(i, f) for i, f in enumerate(fields) if f.is_relation and getattr(f, "db_constraint", False)]


def _role_may_skip_triggers(cursor) -> bool:
    raw = cursor.cursor.connection
    allowed = _may_set_role.get(raw)
    if allowed is None:
        if raw.info.server_version >= 150000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        allowed = _may_set_role[raw] = bool(cursor.fetchone()[0])
    return allowed


def _applies(cursor, model: type[models.Model], keys: list[tuple[models.Field, Iterable]], count: int) -> bool:
    if count < FROM_ROWS or not keys or not connection.in_atomic_block:
        return False
    if any(field.related_model is model for field, _column in keys):
        return False
    if not _role_may_skip_triggers(cursor):
        return False
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(
        "SELECT current_setting('session_replication_role') = 'origin'"
        " AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal)"
        " AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = %s::regclass)",  # rules follow the role too
        [table, table],
    )
    return bool(cursor.fetchone()[0])


def lock_referenced(cursor, model: type[models.Model], keys: list[tuple[models.Field, Iterable]]) -> None:
    """Lock every row the keys refer to, as PostgreSQL's check does; ``IntegrityError`` names missing keys."""
    quote = connection.ops.quote_name
    for field, column in keys:
        wanted = set(column)
        wanted.discard(None)
        if not wanted:
            continue
        target = quote(field.target_field.column)
        related = field.related_model._meta.db_table
        cursor.execute(
            f"SELECT {target} FROM ONLY {quote(related)} WHERE {target} = ANY(%s) FOR KEY SHARE",  # noqa: S608
            [list(wanted)],
        )
        missing = wanted - {row[0] for row in cursor.fetchall()}
        if missing:
            shown = ", ".join(map(str, sorted(missing, key=str)[:5]))
            raise IntegrityError(
                f'insert on table "{model._meta.db_table}" violates the foreign key on "{field.column}": '
                f'{shown} not present in table "{related}"'
            )


@contextlib.contextmanager
def checked_once_per_key(
    cursor, model: type[models.Model], keys: list[tuple[models.Field, Iterable]], count: int
) -> Iterator[bool]:
    """Around a ``COPY`` of ``count`` rows: yields whether the keys were checked here (row triggers off).

    ``keys`` pairs each constrained field with its column of values. The setting is restored however
    the block ends; when the insert failed in the database, the transaction (or savepoint) is aborted
    and its rollback restores it.
    """
    from psycopg.pq import TransactionStatus

    if not _applies(cursor, model, keys, count):
        yield False
        return
    lock_referenced(cursor, model, keys)
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield True
    finally:
        if cursor.cursor.connection.info.transaction_status != TransactionStatus.INERROR:
            cursor.execute("SET LOCAL session_replication_role = origin")
