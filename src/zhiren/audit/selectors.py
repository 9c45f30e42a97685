from __future__ import annotations

from django.db.models import QuerySet

from zhiren.org.access import AnyUser, load_access
from zhiren.org.models import Role

from .models import AuditEvent


def may_query_audit(user: AnyUser) -> bool:
    return load_access(user).has_role(Role.ADMIN)


def audit_events(user: AnyUser, *, actor: str = "", action: str = "", object_type: str = "",
                 subject_agent_id: int | None = None) -> QuerySet[AuditEvent]:
    if not may_query_audit(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type__icontains=object_type)
    if subject_agent_id:
        qs = qs.filter(subject_agent_id=subject_agent_id)
    return qs
