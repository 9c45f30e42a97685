from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhiren.core.text import join_list

from .models import AuditAction, AuditEvent
from .selectors import audit_events, may_query_audit


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not may_query_audit(request.user):
        raise Http404
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "object_type": request.GET.get("object_type", "").strip(),
    }
    agent = request.GET.get("agent", "")
    events = audit_events(
        request.user, subject_agent_id=int(agent) if agent.isdigit() else None, **filters
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        # Shown by the template next to the stored event.
        event.object_label, event.field_labels = _readable(event)  # type: ignore[attr-defined]
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filters": {**filters, "agent": agent}, "actions": AuditAction.choices},
    )


def _readable(event: AuditEvent) -> tuple[str, str]:
    """The object as "<verbose name> #<id>" and its fields by their verbose names.

    ``object_type`` is a model label ("people.bankentry"); one that no longer resolves
    stays as it is.
    """
    try:
        meta = apps.get_model(event.object_type)._meta
    except (LookupError, ValueError):
        meta = None
    name = str(meta.verbose_name) if meta else event.object_type
    label = f"{name} #{event.object_id}" if event.object_id else name
    fields = []
    for field in event.fields or []:
        try:
            fields.append(str(meta.get_field(field).verbose_name) if meta else str(field))
        except Exception:  # noqa: BLE001 - a field since removed, a relation without a verbose name
            fields.append(str(field))
    return label, join_list(fields)
