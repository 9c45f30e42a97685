"""The bulk POST endpoints' shared contract: a JSON list of records, or an envelope with a dry run.

``POST /api/interactions/`` and ``POST /api/clock-events/`` take the same records as an import file
and answer the same result: counts and errors naming the record and field. The body's shape is read
and checked here, and described to the OpenAPI schema here, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

SCALAR = (str, int, float, bool, type(None))


def read_bulk(data: Any, *, limit: int, allow_form: bool = False) -> tuple[list[dict], bool]:
    """The records and the dry-run flag of a bulk body, or a 400 naming what is wrong with it."""
    dry_run = False
    if allow_form and isinstance(data, QueryDict):  # the browsable API's form: one record, or none
        return ([data.dict()] if data else []), False
    if isinstance(data, dict):
        dry_run = data.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise ValidationError({"dry_run": "Must be true or false."})
        data = data.get("records")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValidationError({"records": "Send a JSON list of objects."})
    if len(data) > limit:
        raise ValidationError({"records": f"At most {limit} records per request."})
    for number, record in enumerate(data, start=1):
        for key, value in record.items():
            if not isinstance(value, SCALAR):
                raise ValidationError({"records": f"Record {number}, field {key!r}: "
                                                  "must be text, a number, true/false or null."})
    return data, dry_run


def bulk_result(plan: Any, dry_run: bool) -> dict[str, Any]:
    """The answer body: counts and the errors, each naming the record (1-based) and the field.

    ``plan``: an ``imports.plans.ImportPlan``, or None when there was nothing to import."""
    if plan is None:
        counts = {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "errors": 0, "error_rows": 0}
        return {"dry_run": dry_run, "counts": counts, "errors": []}
    return {
        "dry_run": dry_run,
        "counts": plan.counts(),
        "errors": [{"record": e.row, "field": e.field, "message": e.message} for e in plan.errors],
    }


def _result_serializer(name: str):
    return inline_serializer(
        name,
        {
            "dry_run": serializers.BooleanField(),
            "counts": inline_serializer(
                f"{name}Counts",
                {key: serializers.IntegerField() for key in
                 ("total", "created", "updated", "unchanged", "errors", "error_rows")},
            ),
            "errors": inline_serializer(
                f"{name}Error",
                {
                    "record": serializers.IntegerField(help_text="1-based position in the list."),
                    "field": serializers.CharField(),
                    "message": serializers.CharField(),
                },
                many=True,
            ),
        },
    )


def bulk_schema(*, name: str, fields: dict[str, str], limit: int, example: dict[str, Any],
                created: str) -> Any:
    """``extend_schema`` for a bulk ``create``. ``fields``: record key → what it holds.

    Records are keyed by these names or by any column header the file import accepts, and values
    are read as the import reads them (``"1:30"`` is a duration), so the record schema lists the
    keys without pinning their types; the import's checks answer 400 naming record and field.
    """
    record = {
        "type": "object",
        "description": "Keyed by the names below or by any column header the file import accepts.",
        "properties": {key: {"description": text} for key, text in fields.items()},
        "additionalProperties": True,
    }
    records = {"type": "array", "items": record, "maxItems": limit}
    body = {
        "oneOf": [
            records,
            {
                "type": "object",
                "properties": {
                    "records": records,
                    "dry_run": {"type": "boolean", "default": False,
                                "description": "Check only: nothing is written."},
                },
                "required": ["records"],
            },
        ]
    }
    result = _result_serializer(f"{name}Result")
    return extend_schema(
        request={"application/json": body},
        responses={
            201: result,
            200: result,
        },
        description=(
            f"All records or none are written. 201: {created}; 200: a dry run, or nothing new; "
            "400: the errors, each naming the record and field (or the body's shape is wrong)."
        ),
        examples=[OpenApiExample("records", value=[example], request_only=True)],
    )
