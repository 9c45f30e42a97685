"""``zhiren export KIND FILE``: export to CSV or XLSX (by the file's suffix, or --format)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhiren.imports.exporting import FORMATS
from zhiren.imports.registry import export_kinds, export_spec
from zhiren.imports.services import export


class Command(BaseCommand):
    help = "Export data (formula-safe) to a CSV or XLSX file; '-' writes CSV to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=export_kinds(), help="what to export, e.g. agents")
        parser.add_argument("file", help="output file (.csv or .xlsx), or - for standard output")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")
        # Options declared by the export kinds themselves (e.g. kpis: --level, --period, --from, --to).
        for name in export_kinds():
            export_spec(name).add_arguments(parser)

    def handle(self, *args: Any, kind: str, file: str, format: str | None, **options: Any) -> None:
        fmt = format or ("xlsx" if file.lower().endswith(".xlsx") else "csv")
        spec = export_spec(kind)
        try:
            spec_options = spec.cli_options(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if file == "-":
            if fmt != "csv":
                raise CommandError(_("Only CSV can be written to standard output."))
            sys.stdout.flush()
            export(spec, fmt, sys.stdout.buffer, options=spec_options)
            sys.stdout.buffer.flush()
            return
        path = Path(file)
        tmp = path.with_name(f".{path.name}.part")
        try:
            with tmp.open("wb") as stream:
                count = export(spec, fmt, stream, options=spec_options)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        self.stdout.write(_("Exported %(count)d rows to %(file)s.") % {"count": count, "file": path})
