"""Writing the audit trail. Callers pass field *names*; values are never logged."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import models
from django.http import HttpRequest

from zhiren.org.access import AnyUser

from .models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from django.conf import settings

    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).split(",")[0].strip() or None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def record(
    *,
    actor: AnyUser | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    subject_agent_id: int | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    event = _event(actor, action, obj, object_type, object_id, fields, subject_agent_id, purpose, request)
    event.save(force_insert=True)
    return event


def record_many(
    *,
    actor: AnyUser | None,
    action: AuditAction | str,
    subject_agent_ids: Iterable[int],
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    fields: Iterable[str] = (),
    purpose: str = "",
    request: HttpRequest | None = None,
) -> list[AuditEvent]:
    """``record`` once per subject agent (e.g. each agent whose note a page shows), in one INSERT."""
    fields = list(fields)
    return AuditEvent.objects.bulk_create([
        _event(actor, action, obj, object_type, object_id, fields, agent_id, purpose, request)
        for agent_id in subject_agent_ids
    ])


def _event(
    actor: AnyUser | None,
    action: AuditAction | str,
    obj: models.Model | None,
    object_type: str | None,
    object_id: str | int | None,
    fields: Iterable[str],
    subject_agent_id: int | None,
    purpose: str,
    request: HttpRequest | None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    user = actor if isinstance(actor, User) and actor.is_authenticated else None  # else the system
    return AuditEvent(
        actor=user,
        actor_name=user.get_username() if user is not None else "system",
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
    actor: AnyUser | None,
    object_type: str,
    subject_agent_ids: Iterable[int],
    fields: Iterable[str] = (),
    purpose: str = "",
    request: HttpRequest | None = None,
) -> list[AuditEvent]:
    """One read event per agent whose record was shown (a list page), in one INSERT.

    The object of each event is the agent: ``object_id`` is the agent's id.
    """
    fields = list(fields)
    return AuditEvent.objects.bulk_create([
        _event(actor, AuditAction.READ, None, object_type, agent_id, fields, agent_id, purpose, request)
        for agent_id in sorted(set(subject_agent_ids))
    ])


def record_object_reads(
    *,
    actor: AnyUser | None,
    object_type: str,
    object_ids: Iterable[int | str],
    fields: Iterable[str] = (),
    purpose: str = "",
    request: HttpRequest | None = None,
) -> list[AuditEvent]:
    """One read event per object shown on a list page that is not an agent (e.g. a candidate),
    in one INSERT."""
    fields = list(fields)
    return AuditEvent.objects.bulk_create([
        _event(actor, AuditAction.READ, None, object_type, object_id, fields, None, purpose, request)
        for object_id in sorted(set(object_ids), key=str)
    ])
