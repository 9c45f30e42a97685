"""Helpers for apps filling ``core.registries.personal_data``: model rows to plain sections.

An app's ``collect(agent)`` usually reads a few querysets and hands each to
``model_section``, naming the fields to show. A field given by name takes the model
field's verbose name as its label and, for a field with choices, the display value; a
``(name, label, getter)`` triple shows anything else (a related name, a list of labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst

from .registries import DataSection

FieldSpec = str | tuple[str, Any] | tuple[str, Any, Callable[[Any], Any]]


def model_section(
    key: str, label: Any, model, objects: Iterable[Any], fields: Iterable[FieldSpec], note: Any = ""
) -> DataSection:
    """A section of ``objects`` (instances of ``model``) showing ``fields``, values made plain."""
    specs = [_spec(model, field) for field in fields]
    rows = [{name: plain(get(obj)) for name, _label, get in specs} for obj in objects]
    return DataSection(key, label, tuple((name, label) for name, label, _get in specs), rows, note)


def _spec(model, field: FieldSpec) -> tuple[str, Any, Callable[[Any], Any]]:
    if isinstance(field, str):
        name, label, get = field, None, None
    elif len(field) == 2:
        (name, label), get = field, None
    else:
        name, label, get = field
    if label is None or get is None:
        model_field = model._meta.get_field(name)
        if label is None:
            label = model_field.verbose_name
        if get is None:
            get = _display(name) if model_field.choices else _attribute(name)
    return name, label, get


def _display(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, f"get_{name}_display")() if getattr(obj, name) not in (None, "") else ""


def _attribute(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


def plain(value: Any) -> Any:
    """``value`` as JSON-able data: dates in ISO 8601 (local time), lazy text as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return str(value)


def plain_label(label: Any) -> str:
    return capfirst(str(label))


def delete_rows(queryset, dry_run: bool) -> int:
    """Delete the rows of ``queryset`` (or with ``dry_run`` count them); cascades are not counted."""
    if dry_run:
        return queryset.count()
    _total, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)


def blank_rows(queryset, dry_run: bool, **values) -> int:
    """Set ``values`` (empty text, nulls) on the rows of ``queryset``; with ``dry_run`` count them."""
    return queryset.count() if dry_run else queryset.update(**values)


def kept_for(name: str) -> Callable[[], timedelta]:
    """The retention period of the data class ``name`` (``settings.RETENTION_DAYS``), read when called."""
    return lambda: timedelta(days=settings.RETENTION_DAYS[name])
