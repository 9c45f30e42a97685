"""Import and export specs by kind (``agents``, later ``interactions``, ``kpis`` …).

Modules register their specs in an ``importers`` module, which the imports
app discovers at start-up (``ImportsConfig.ready``).
"""

from __future__ import annotations

from django.http import Http404

from .spec import ExportSpec, ImportSpec

_imports: dict[str, ImportSpec] = {}
_exports: dict[str, ExportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    _imports[spec.kind] = spec
    return spec


def register_export(spec: ExportSpec) -> ExportSpec:
    _exports[spec.kind] = spec
    return spec


def import_spec(kind: str) -> ImportSpec:
    try:
        return _imports[kind]
    except KeyError:
        raise LookupError(kind) from None


def export_spec(kind: str) -> ExportSpec:
    try:
        return _exports[kind]
    except KeyError:
        raise LookupError(kind) from None


def import_spec_or_404(kind: str) -> ImportSpec:
    try:
        return import_spec(kind)
    except LookupError:
        raise Http404(kind) from None


def export_spec_or_404(kind: str) -> ExportSpec:
    try:
        return export_spec(kind)
    except LookupError:
        raise Http404(kind) from None


def import_kinds() -> list[str]:
    return sorted(_imports)


def export_kinds() -> list[str]:
    return sorted(_exports)
