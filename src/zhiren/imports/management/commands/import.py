"""``zhiren import KIND FILE [--dry-run]``: import a CSV/XLSX file from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhiren.imports.registry import import_kinds, import_spec
from zhiren.imports.services import run_import

MAX_ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (all rows or none). Exits non-zero on any error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=import_kinds(), help="what the file holds, e.g. agents")
        parser.add_argument("file", type=Path, help="CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        parser.add_argument(
            "--mapping", metavar="NAME", help="a saved column mapping (for kinds that have them, e.g. interactions)"
        )

    def handle(self, *args: Any, kind: str, file: Path, dry_run: bool, mapping: str | None = None, **options: Any) -> None:
        try:
            with file.open("rb"):  # readable? (the import reads it a chunk at a time, never whole)
                pass
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from exc
        run_options = {"mapping": mapping} if mapping else None
        try:
            result = run_import(import_spec(kind), file, file.name, dry_run=dry_run, options=run_options)
        except LookupError as exc:
            raise CommandError(str(exc.args[0]) if exc.args else str(exc)) from exc
        counts = result.counts()
        for warning in result.warnings:
            self.stderr.write(_("warning: %(problem)s") % {"problem": warning})
        for error in result.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(_("error: %(problem)s") % {"problem": error})
        if counts["errors"] > MAX_ERRORS_SHOWN:
            self.stderr.write(_("… and %(count)d more errors") % {"count": counts["errors"] - MAX_ERRORS_SHOWN})
        table = result.table
        if table is not None:
            self.stdout.write(
                _("Read %(rows)d rows (%(format)s%(encoding)s).")
                % {
                    "rows": counts["total"],
                    "format": table.format.upper(),
                    "encoding": f", {table.encoding}" if table.encoding else "",
                }
            )
        if not result.ok:
            raise CommandError(
                _("%(errors)d errors in %(rows)d rows; nothing was imported.")
                % {"errors": counts["errors"], "rows": counts["error_rows"] or 1}
            )
        if dry_run:
            for change in (result.plan.creates + result.plan.updates)[:50]:
                fields = ", ".join(sorted(change.diffs)) if change.obj is not None else ""
                self.stdout.write(f"  {change.action} {change.key} (row {change.row}) {fields}".rstrip())
            message = _("Dry run: %(created)d to create, %(updated)d to update, %(unchanged)d unchanged; nothing written.")
        else:
            message = _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        self.stdout.write(message % counts)
