"""Writing the audit trail. Callers pass field *names*; values are never logged."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .models import AuditAction, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    from django.conf import settings

    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    subject_agent_id: int | None = None,
    purpose: str = "",
    request=None,
) -> AuditEvent:
    event = _event(actor, action, obj, object_type, object_id, fields, subject_agent_id, purpose, request)
    event.save(force_insert=True)
    return event


def record_many(
    *,
    actor,
    action: AuditAction | str,
    subject_agent_ids: Iterable[int],
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    purpose: str = "",
    request=None,
) -> list[AuditEvent]:
    """``record`` once per subject agent (e.g. each agent whose note a page shows), in one INSERT."""
    fields = list(fields)
    return AuditEvent.objects.bulk_create([
        _event(actor, action, obj, object_type, object_id, fields, agent_id, purpose, request)
        for agent_id in subject_agent_ids
    ])


def _event(actor, action, obj, object_type, object_id, fields, subject_agent_id, purpose, request) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else "system",
        action=str(action),
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        subject_agent_id=subject_agent_id,
        fields=sorted(set(fields)),
        purpose=purpose[:200],
        ip_address=client_ip(request),
    )


def record_reads(
    *,
    actor,
    object_type: str,
    subject_agent_ids: Iterable[int],
    fields: Iterable[str] = (),
    purpose: str = "",
    request=None,
) -> list[AuditEvent]:
    """One read event per agent whose record was shown (a list page), in one INSERT.

    The object of each event is the agent: ``object_id`` is the agent's id.
    """
    fields = list(fields)
    return AuditEvent.objects.bulk_create([
        _event(actor, AuditAction.READ, None, object_type, agent_id, fields, agent_id, purpose, request)
        for agent_id in sorted(set(subject_agent_ids))
    ])
