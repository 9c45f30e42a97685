"""Background tasks of the import framework. Tasks take ids and are safe to run twice.

``commit_import`` is declared in ``services`` beside ``commit_job``, which enqueues it (so the
two files do not import each other); it is named here too, where a reader looks for tasks.
"""

from __future__ import annotations

from .services import commit_import

__all__ = ["commit_import"]
