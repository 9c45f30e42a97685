"""REST API: contacts in bulk (POST a JSON list, the same records as an import file) and scoped reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zhiren.core.api_bulk import bulk_result, bulk_schema, read_bulk
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

    @bulk_schema(
        name="InteractionImport",
        fields={
            "external_id": "The contact's ID in the telephony or chat system (required).",
            "offered_at": "When it was offered, ISO 8601 (required; local time when no zone).",
            "channel": "voice, chat, email, ticket … or the system's own word for it.",
            "queue": "Queue or skill group.",
            "agent": "Employee number of the agent who handled it.",
            "customer_id": "The customer's ID.",
            "answered_at": "When it was answered.",
            "ended_at": "When it ended.",
            "wait_seconds": "Seconds, or a duration such as 1:30.",
            "talk_seconds": "Seconds, or a duration.",
            "hold_seconds": "Seconds, or a duration.",
            "acw_seconds": "After-call work: seconds, or a duration.",
            "first_response_seconds": "Chat: seconds to the first answer.",
            "abandoned": "Yes or no (是/否, true/false, 1/0).",
            "transferred": "Yes or no.",
            "resolved": "Yes or no; blank when unknown.",
            "csat": "Satisfaction score, 1 to 5.",
            "nps": "Likelihood to recommend, 0 to 10.",
        },
        limit=MAX_API_RECORDS,
        example={"external_id": "C-20260311-0001", "channel": "voice", "agent": "A1001",
                 "offered_at": "2026-03-11T09:30:00+08:00", "talk_seconds": 185, "csat": 5},
        created="records were written",
    )
    def create(self, request, *args, **kwargs):
        payload, dry_run = read_bulk(request.data, limit=MAX_API_RECORDS)
        if not payload:
            return Response(bulk_result(None, dry_run))
        try:
            plan = import_records(payload, user=request.user, dry_run=dry_run, request=request)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = bulk_result(plan, dry_run)
        code = status.HTTP_400_BAD_REQUEST if plan.has_errors else (
            status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        )
        return Response(body, status=code)
