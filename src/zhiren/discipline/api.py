"""REST API: punches pushed by time clocks or the telephony login feed, and scoped reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from zhiren.core.api_bulk import bulk_result, bulk_schema, read_bulk

from .importers import MAX_API_PUNCHES, may_push, push_punches
from .models import ClockEvent
from .selectors import discipline_agents


class ClockEventSerializer(serializers.ModelSerializer):
    agent = serializers.SlugRelatedField(slug_field="employee_no", read_only=True)

    class Meta:
        model = ClockEvent
        fields = ["id", "agent", "at", "kind", "source", "device", "voided"]


class ClockEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """``GET``: punches of the agents whose attendance the caller may see (own, lead, site manager, HR).
    ``POST``: a JSON list of punches (or ``{"records": [...], "dry_run": true}``) with ``agent`` (employee
    number), ``at`` (ISO 8601; local time when no zone), ``kind`` (``in``/``out``/``punch``), ``device``.
    Site managers and administrators may push, for their own sites. A punch sent twice is stored once."""

    serializer_class = ClockEventSerializer
    filterset_fields = ["kind", "source"]

    def get_queryset(self):
        return ClockEvent.objects.filter(agent__in=discipline_agents(self.request.user)).select_related(
            "agent").order_by("-at", "-id")

    @bulk_schema(
        name="PunchImport",
        fields={
            "agent": "Employee number (required).",
            "at": "When, ISO 8601 (required; local time when no zone).",
            "kind": "in, out, or punch (the first punch of a day is in, the last out).",
            "device": "The clock or system that recorded it.",
        },
        limit=MAX_API_PUNCHES,
        example={"agent": "A1001", "at": "2026-03-11T08:58:00+08:00", "kind": "in", "device": "gate-2"},
        created="new punches were stored (a punch sent twice is stored once)",
    )
    def create(self, request, *args, **kwargs):
        if not may_push(request.user):
            raise NotFound()
        payload, dry_run = read_bulk(request.data, limit=MAX_API_PUNCHES, allow_form=True)
        if not payload:
            return Response(bulk_result(None, dry_run))
        try:
            plan = push_punches(payload, user=request.user, dry_run=dry_run)
        except DjangoPermissionDenied as exc:
            raise NotFound() from exc
        body = bulk_result(plan, dry_run)
        code = status.HTTP_400_BAD_REQUEST if plan.has_errors else (
            status.HTTP_200_OK if dry_run or not plan.creates else status.HTTP_201_CREATED
        )
        return Response(body, status=code)
