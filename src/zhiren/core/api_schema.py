"""The OpenAPI schema states every status code the API can answer with.

drf-spectacular documents the success codes it can infer. The others follow from rules that hold
for every endpoint, so they are added here once, after generation, instead of on each view:

- 401: no credentials, or a token that is wrong, expired or revoked;
- 403: a signed-in caller the action is refused to (a session POST without its CSRF token, or a
  role that may read but not write);
- 404: an object that does not exist *or* is outside the caller's scope (denial is a 404, never a
  403), and a page number past the last page;
- 400: a query parameter or body that is not valid (the body names the parameter or field);
- 415: an unsafe method with a body that is not JSON (or a form, for the browsable API).

An optional query parameter sent empty (``?status=``) means "not given", as in DRF and
django-filter; the schema says so with ``allowEmptyValue``.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": 'Either {"detail": "…"} or, for invalid input, a map of parameter or field '
    "names to messages; bulk endpoints answer their result object (counts and errors).",
    "additionalProperties": True,
}

MESSAGES = {
    "400": "Invalid parameters or body; the answer names what is wrong and where.",
    "401": "Not authenticated: no token, or a token that is wrong, expired or revoked.",
    "403": "Signed in, but the action is refused (CSRF token missing, or read-only role).",
    "404": "Not found, outside your scope, or a page past the last one.",
    "415": "Unsupported media type: send application/json.",
}

NO_NUL = "^[^\\u0000]*$"

UNSAFE = {"post", "put", "patch", "delete"}


def _codes(method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "404"]
    if method in UNSAFE:
        codes += ["403", "415"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("400")
    return codes


def _describe_query_parameter(parameter: dict[str, Any]) -> None:
    if parameter.get("in") != "query":
        return
    if not parameter.get("required"):
        # DRF and django-filter read ``?status=`` as "not given", so say so.
        parameter["allowEmptyValue"] = True
    schema = parameter.get("schema", {})
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema.setdefault("pattern", NO_NUL)  # Django's form fields refuse NUL characters


def _json_only_for_lists(operation: dict[str, Any]) -> None:
    """A body that is a list (bulk endpoints) cannot be sent as a form: document JSON only."""
    content = operation.get("requestBody", {}).get("content", {})
    json_schema = content.get("application/json", {}).get("schema", {})
    if json_schema.get("type") == "array" or "oneOf" in json_schema:
        for media_type in list(content):
            if media_type != "application/json":
                del content[media_type]


def document_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "head", "options", *UNSAFE}:
                continue
            for parameter in operation.get("parameters", []):
                _describe_query_parameter(parameter)
            _json_only_for_lists(operation)
            responses = operation.setdefault("responses", {})
            for code in _codes(method, operation):
                responses.setdefault(
                    code,
                    {"description": MESSAGES[code], "content": {"application/json": {"schema": ref}}},
                )
    return result
