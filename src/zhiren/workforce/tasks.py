"""Background tasks of the workforce app. They take ids and are safe to run twice.

``generate_roster`` is declared in ``drafts.services`` beside ``start_roster``, which enqueues
it (so the two files do not import each other); it is named here too, where a reader looks
for tasks.
"""

from __future__ import annotations

from .drafts.services import generate_roster

__all__ = ["generate_roster"]
