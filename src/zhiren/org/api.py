"""REST API for teams and agents, honouring the same scope rules as the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from . import selectors
from .models import Agent, Site, Team


class TeamSerializer(serializers.ModelSerializer[Team]):
    site: serializers.SlugRelatedField[Site] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "site", "main_channel"]


class AgentSerializer(serializers.ModelSerializer[Agent]):
    """Fields outside the caller's visible field groups are left out of each record."""

    team: serializers.SlugRelatedField[Team] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agent
        fields = [
            "id",
            "employee_no",
            "name",
            "team",
            "position",
            "status",
            "channel_skills",
            "hire_date",
            "birthday",
        ]

    def to_representation(self, instance: Agent) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        assert request is not None, "the viewsets pass the request in the context"
        allowed = selectors.visible_agent_fields(request.user, instance) | {"id"}
        return {key: value for key, value in data.items() if key in allowed}


class AgentFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(field_name="team__code")

    class Meta:
        model = Agent
        fields = ["team", "status", "position"]


class TeamViewSet(viewsets.ReadOnlyModelViewSet[Team]):
    serializer_class = TeamSerializer
    filterset_fields = ["main_channel"]

    def get_queryset(self) -> QuerySet[Team]:
        return selectors.visible_teams(self.request.user).order_by("code")


class AgentViewSet(viewsets.ReadOnlyModelViewSet[Agent]):
    serializer_class = AgentSerializer
    filterset_class = AgentFilter

    def get_queryset(self) -> QuerySet[Agent]:
        return selectors.visible_agents(self.request.user).order_by("employee_no")
