"""REST API (read-only): QA evaluations, disputes and rule hits, scoped like the pages.

Agents get their own released results, leads their team's, QA inspectors and the QA lead
the teams their role covers (``selectors``). Transcript text is not served here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from . import selectors
from .models import Dispute, Evaluation, RuleHit


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    contact = serializers.CharField(source="interaction.external_id", read_only=True)
    agent = serializers.CharField(source="agent.employee_no", read_only=True)
    scorecard = serializers.CharField(source="version.scorecard.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    inspector = serializers.CharField(source="inspector.username", read_only=True)
    answers = serializers.JSONField(read_only=True, help_text="criterion key → {answer, comment}")

    class Meta:
        model = Evaluation
        fields = ["id", "contact", "agent", "day", "scorecard", "version", "inspector", "kind", "status", "score",
                  "critical_failed", "answers", "seconds_spent", "submitted_at", "released_at"]


class DisputeSerializer(serializers.ModelSerializer[Dispute]):
    agent = serializers.CharField(source="agent.employee_no", read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "evaluation", "agent", "criterion_key", "status", "level", "comment", "raised_at",
                  "inspector_reply", "replied_at", "escalation_comment", "ruling", "ruled_at"]


class RuleHitSerializer(serializers.ModelSerializer[RuleHit]):
    rule = serializers.CharField(source="rule.key", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    agent = serializers.CharField(source="agent.employee_no", read_only=True)
    contact = serializers.CharField(source="transcript.interaction.external_id", read_only=True)
    sentence = serializers.IntegerField(source="turn.seq", read_only=True, allow_null=True,
                                        help_text="the sentence's number in its transcript (from 0); null: a missing phrase")

    class Meta:
        model = RuleHit
        fields = ["id", "rule", "rule_name", "agent", "contact", "day", "sentence", "value"]


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet[Evaluation]):
    serializer_class = EvaluationSerializer
    filterset_fields = ["status", "kind", "day"]

    def get_queryset(self) -> QuerySet[Evaluation]:
        return selectors.visible_evaluations(self.request.user).order_by("-day", "-id")


class DisputeViewSet(viewsets.ReadOnlyModelViewSet[Dispute]):
    serializer_class = DisputeSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[Dispute]:
        return selectors.visible_disputes(self.request.user).select_related("agent").order_by("-raised_at", "-id")


class RuleHitViewSet(viewsets.ReadOnlyModelViewSet[RuleHit]):
    serializer_class = RuleHitSerializer
    filterset_fields = ["day"]

    def get_queryset(self) -> QuerySet[RuleHit]:
        return (selectors.visible_hits(self.request.user).select_related("transcript__interaction")
                .order_by("-day", "-id"))
