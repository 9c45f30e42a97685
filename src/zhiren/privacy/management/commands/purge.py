"""``zhiren purge [--dry-run]``: delete or blank personal data kept past its retention period.

The task worker starts it every ``PURGE_EVERY_HOURS``; run it by hand to see (``--dry-run``)
or to purge at once. Periods: ``RETENTION_DAYS`` (docs/privacy.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhiren.privacy.retention import purge


class Command(BaseCommand):
    help = "Delete or blank personal data past its retention period (see docs/privacy.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        results = purge(dry_run=dry_run)
        width = max((len(r.key) for r in results), default=0)
        for r in results:
            days = r.kept.total_seconds() / 86400
            kept = f"{days:g} d" if days >= 1 else f"{r.kept.total_seconds() / 3600:g} h"
            period = _("kept %(period)s") % {"period": kept}
            self.stdout.write(f"{r.key:<{width}}  {r.count:>8}  ({r.label}; {period})")
        total = sum(r.count for r in results)
        if dry_run:
            self.stdout.write(_("Dry run: %(count)d would be deleted or blanked; nothing changed.") % {"count": total})
        else:
            self.stdout.write(_("Deleted or blanked: %(count)d.") % {"count": total})
