"""Background tasks of the import framework. Tasks take ids and are safe to run twice.

``commit_import`` is declared in ``services`` beside ``commit_job``, which enqueues it, and
``check_import`` (the dry run of a large upload) beside ``start_job`` (so the two files do not
import each other); they are named here too, where a reader looks for tasks.
"""

from __future__ import annotations

from .services import check_import, commit_import

__all__ = ["check_import", "commit_import"]
