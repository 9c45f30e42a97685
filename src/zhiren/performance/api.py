"""REST API: contacts in bulk (POST a JSON list, the same records as an import file) and scoped reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from zhiren.org.scoping import NO_ROLE, covers_any

from .models import Interaction
from .selectors import STAFF_ROLES
from .services import MAX_API_RECORDS, import_records


class InteractionSerializer(serializers.ModelSerializer):
    agent = serializers.SlugRelatedField(slug_field="employee_no", read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id", "external_id", "channel", "queue", "agent", "customer_id", "offered_at", "answered_at",
            "ended_at", "wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "first_response_seconds",
            "abandoned", "transferred", "resolved", "csat", "nps", "repeat_contact",
        ]


class InteractionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """``GET``: contacts the caller may see. ``POST``: a JSON list of records (or ``{"records": [...],
    "dry_run": true}``) keyed by field (``external_id``, ``agent`` = employee number, ``offered_at`` …) or by
    any header the file import accepts. All records or none are written; errors name record and field."""

    serializer_class = InteractionSerializer
    filterset_fields = ["channel", "queue", "day"]

    def get_queryset(self):
        user = self.request.user
        # Newest first; day first (the same order: a contact's day is the local date of offered_at) so that
        # the day index serves the page in every scope instead of a sort of all the scope's contacts.
        qs = Interaction.objects.select_related("agent").order_by("-day", "-offered_at", "-id")
        if covers_any(user, STAFF_ROLES):  # staff: their teams' contacts (not their own as an agent)
            return qs.visible_to(user, STAFF_ROLES, via="team")
        return qs.visible_to(user, NO_ROLE, via="team", own=True, own_via="agent")

    def create(self, request, *args, **kwargs):
        payload = request.data
        dry_run = False
        if isinstance(payload, dict):
            dry_run = bool(payload.get("dry_run"))
            payload = payload.get("records")
        if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
            raise ValidationError({"records": "Send a JSON list of objects."})
        if len(payload) > MAX_API_RECORDS:
            raise ValidationError({"records": f"At most {MAX_API_RECORDS} records per request."})
        try:
            plan = import_records(payload, user=request.user, dry_run=dry_run, request=request)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = {
            "dry_run": dry_run,
            "counts": plan.counts(),
            "errors": [{"record": e.row, "field": e.field, "message": e.message} for e in plan.errors],
        }
        code = status.HTTP_400_BAD_REQUEST if plan.has_errors else (
            status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        )
        return Response(body, status=code)
