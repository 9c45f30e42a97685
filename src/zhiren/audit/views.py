from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import AuditAction
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
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filters": {**filters, "agent": agent}, "actions": AuditAction.choices},
    )
