"""Background tasks of the workforce app. They take ids and are safe to run twice.

Each is declared beside the service that enqueues it (so the two files do not import each
other) and named here too, where a reader looks for tasks:

- ``generate_roster`` (``drafts.services``, from ``start_roster``): build a roster draft;
- ``score_forecast`` (``planning.services``, from ``create_forecast``): store how well the
  queue's model did on the weeks before the version was made (the forecast page's accuracy).
"""

from __future__ import annotations

from .drafts.services import generate_roster
from .planning.services import score_forecast

__all__ = ["generate_roster", "score_forecast"]
