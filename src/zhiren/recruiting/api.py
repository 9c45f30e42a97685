"""REST API: candidates, for job sites, agencies' systems and forms elsewhere to push
applications, and for HR to read them. Recruiters (HR) only; every read is audited.

``POST /api/candidates/`` creates an application like the form does: the same phone or ID
number as an earlier candidate is flagged (``duplicate_of``), never refused or merged.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record, record_object_reads
from zhiren.org.models import Site

from . import scope, services
from .models import Candidate

FIELDS = ["name", "phone", "id_number", "email", "source", "stage"]


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    site = serializers.SlugRelatedField(slug_field="code", queryset=Site.objects.none())
    applied_on = serializers.DateField(required=False)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "site",
            "name",
            "phone",
            "id_number",
            "email",
            "source",
            "source_detail",
            "applied_on",
            "talent_pool",
            "stage",
            "duplicate_of",
        ]
        read_only_fields = ["stage", "duplicate_of"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = scope.recruiter_sites(request.user)  # type: ignore[attr-defined]


class CandidateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Candidate]):
    serializer_class = CandidateSerializer
    filterset_fields = ["stage", "source"]

    def get_queryset(self) -> QuerySet[Candidate]:
        return scope.recruited_candidates(self.request.user).order_by("-applied_on", "-id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = (
            response.data.get("results", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        ids = [row["id"] for row in rows]
        if ids:
            record_object_reads(
                actor=request.user,
                object_type="recruiting.candidate",
                object_ids=ids,
                fields=FIELDS,
                purpose="api",
                request=request,
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        record(
            actor=request.user,
            action=AuditAction.READ,
            object_type="recruiting.candidate",
            object_id=response.data["id"],
            fields=FIELDS,
            purpose="api",
            request=request,
        )
        return response

    def create(self, request, *args, **kwargs):
        if not scope.is_recruiter(request.user):
            raise NotFound
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.setdefault("applied_on", timezone.localdate())
        serializer.instance = services.add_candidate(user=self.request.user, **data)
