"""The import framework's fast paths, fenced off behind one setting.

Everything in this package is a faster way to do something the general path
(``zhiren.imports``) also does with plain Django, and gives the same result:

=================  ===================================================  ==========================================
module             fast path                                            reference path (plain Django)
=================  ===================================================  ==========================================
``inserts``        PostgreSQL binary ``COPY``; SQLite multi-row          ``bulk_create`` of model instances
                   ``INSERT`` through the driver; values converted a
                   column at a time
``lookups``        all of a file's keys in one query with one           ``__in`` in chunks of ``spec.lookup_chunk``
                   parameter (``AnyOf``)
``snapshots``      existing rows read as plain columns and compared     existing rows loaded as model instances
                   with the file a column at a time                     and compared a row at a time
``collector``      Python's cyclic garbage collector paused during a    left alone
                   step
=================  ===================================================  ==========================================

``settings.IMPORT_FAST_PATHS`` (environment ``IMPORT_FAST_PATHS``, default on)
chooses; :func:`enabled` reads it at each call, so a test can switch it.
``tests/imports/test_paths_agree.py`` runs the same imports both ways and
compares stored rows, errors and dry-run plans.

Layering: the general path imports from here, never the other way round,
except for plain data types (``zhiren.imports.rows``, ``plans``, ``spec``).
"""

from __future__ import annotations

from django.conf import settings


def enabled() -> bool:
    """Whether imports take the fast paths (``settings.IMPORT_FAST_PATHS``, default True)."""
    return bool(getattr(settings, "IMPORT_FAST_PATHS", True))
