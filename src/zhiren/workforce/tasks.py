"""Background tasks of the workforce app. They take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_roster(draft_id: int) -> dict:
    """Build a queued roster draft with the engine (a draft already claimed is left alone)."""
    from .services import run_roster

    draft = run_roster(draft_id)
    if draft is None:
        return {"draft": draft_id, "status": "missing"}
    return {"draft": draft_id, "status": draft.status, "engine_seconds": draft.engine_seconds}
