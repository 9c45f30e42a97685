"""REST API (read-only): survey waves and their *guarded* results.

There is deliberately no endpoint for answers or comments: ``results`` returns the same
cells as the results page, each shown or hidden with its reason, through ``anonymity.guard``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors
from .models import Wave


class WaveSerializer(serializers.ModelSerializer[Wave]):
    survey = serializers.CharField(source="survey.title", read_only=True)
    kind = serializers.CharField(source="survey.kind", read_only=True)
    site = serializers.CharField(source="survey.site.code", read_only=True)

    class Meta:
        model = Wave
        fields = [
            "id",
            "survey",
            "kind",
            "site",
            "number",
            "items",
            "min_scores",
            "min_comments",
            "opens_on",
            "closes_on",
        ]


class WaveViewSet(viewsets.ReadOnlyModelViewSet[Wave]):
    serializer_class = WaveSerializer

    def get_queryset(self) -> QuerySet[Wave]:
        return selectors.visible_waves(self.request.user).order_by("-opens_on", "-id")

    @action(detail=True)
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Guarded cells: ``shown`` false carries ``reason`` and no number."""
        wave = self.get_object()
        data = selectors.results(
            wave,
            request.user,
            request.query_params.get("by", ""),
            request.query_params.get("value", ""),
        )
        cells = []
        for row in data.rows:
            cell: dict = {
                "group": row.label,
                "kind": row.kind,
                "shown": row.shown,
                "filter": f"{data.filter_field}={data.filter_value}"
                if row.kind == "filter"
                else "",
            }
            if row.shown:
                cell.update(
                    answers=row.verdict.count,
                    enps=row.enps,
                    index=row.index,
                    factors={
                        k: {"mean": v["mean"], "favourable": v["favourable"], "alpha": v["alpha"]}
                        for k, v in row.scores.items()
                    },
                )
            else:
                cell["reason"] = str(row.verdict.reason)
            cells.append(cell)
        return Response({"wave": wave.pk, "minimum": data.minimum, "cells": cells})
