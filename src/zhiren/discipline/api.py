"""REST API: punches pushed by time clocks or the telephony login feed, and scoped reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import QueryDict
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

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

    def create(self, request, *args, **kwargs):
        if not may_push(request.user):
            raise NotFound()
        payload = request.data
        dry_run = False
        if isinstance(payload, QueryDict):  # a form post (browsable API): one punch, or none
            payload = [payload.dict()] if payload else []
        elif isinstance(payload, dict):
            dry_run = bool(payload.get("dry_run"))
            payload = payload.get("records")
        if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
            raise ValidationError({"records": "Send a JSON list of objects."})
        if not payload:
            return Response({"dry_run": dry_run, "counts": {"created": 0, "updated": 0, "unchanged": 0},
                             "errors": []})
        if len(payload) > MAX_API_PUNCHES:
            raise ValidationError({"records": f"At most {MAX_API_PUNCHES} records per request."})
        try:
            plan = push_punches(payload, user=request.user, dry_run=dry_run)
        except DjangoPermissionDenied as exc:
            raise NotFound() from exc
        body = {
            "dry_run": dry_run,
            "counts": plan.counts(),
            "errors": [{"record": e.row, "field": e.field, "message": e.message} for e in plan.errors],
        }
        code = status.HTTP_400_BAD_REQUEST if plan.has_errors else (
            status.HTTP_200_OK if dry_run or not plan.creates else status.HTTP_201_CREATED
        )
        return Response(body, status=code)
