"""Retention: ``zhiren purge`` deletes or blanks personal data kept longer than its period.

Each data class is a ``RetentionRule`` in ``core.registries.retention_rules``, registered by
the app that holds the data (wellbeing: moods; people: talk notes; discipline: violations)
or, for the foundation, by this app: import uploads, the audit log, decided correction
requests, and the sensitive data of agents who left (``leavers``), which every app's
``PersonalDataSource.erase`` removes. Periods are settings (``RETENTION_DAYS``); see
docs/privacy.md for the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction, AuditEvent
from zhiren.audit.services import record as audit
from zhiren.audit.services import record_many as audit_each
from zhiren.core.personal_data import delete_rows, kept_for
from zhiren.core.registries import RetentionRule, personal_data, retention_rules
from zhiren.imports.retention import purge_stale_uploads
from zhiren.imports.retention import retention as import_upload_retention
from zhiren.org.models import Agent, AgentStatus

from .models import CorrectionRequest, CorrectionStatus, Departure

ERASE_BATCH = 500  # agents per transaction (and per IN list)


@dataclass(frozen=True)
class Purged:
    key: str
    label: str
    kept: timedelta
    cutoff: datetime
    count: int


def purge(*, now: datetime | None = None, dry_run: bool = False) -> list[Purged]:
    """Run every retention rule; with ``dry_run`` count what would go and change nothing."""
    now = now or timezone.now()
    if not dry_run:
        sync_departures(now)
    results = []
    for entry in retention_rules.entries():
        rule = entry.value
        kept = rule.kept()
        cutoff = now - kept
        count = rule.purge(cutoff, dry_run)
        results.append(Purged(entry.name, str(rule.label), kept, cutoff, count))
        if count and not dry_run:
            audit(actor=None, action=AuditAction.DELETE, object_type="privacy.retention", object_id=entry.name,
                  purpose=f"retention: {count} older than {timezone.localtime(cutoff):%Y-%m-%d %H:%M}")
    return results


# --- leavers ----------------------------------------------------------------------------------


def sync_departures(now: datetime) -> None:
    """Note the agents newly seen as left, and forget those who came back."""
    today = timezone.localdate(now)
    left = Agent.objects.filter(status=AgentStatus.LEFT)
    Departure.objects.exclude(agent__in=left).delete()
    new = left.filter(departure__isnull=True).values_list("pk", flat=True)
    Departure.objects.bulk_create([Departure(agent_id=pk, noticed_on=today) for pk in new],
                                  ignore_conflicts=True)


def purge_leavers(cutoff: datetime, dry_run: bool) -> int:
    """Erase the sensitive data of agents noticed as left before the cutoff (every app's ``erase``).

    Agents already erased are left alone; one who comes back and leaves again starts anew.
    """
    due = Departure.objects.filter(
        noticed_on__lt=timezone.localdate(cutoff), agent__status=AgentStatus.LEFT, erased_at__isnull=True
    )
    agent_ids = sorted(due.values_list("agent_id", flat=True))
    total = 0
    for start in range(0, len(agent_ids), ERASE_BATCH):
        batch = agent_ids[start:start + ERASE_BATCH]
        with transaction.atomic():
            for source in personal_data:
                if source.erase is not None:
                    total += source.erase(batch, dry_run)
            if not dry_run:
                Departure.objects.filter(agent_id__in=batch).update(erased_at=timezone.now())
                audit_each(actor=None, action=AuditAction.DELETE, object_type="org.agent",
                           subject_agent_ids=batch, purpose="left: sensitive data erased after the retention period")
    return total


# --- the foundation's classes -------------------------------------------------------------------


def purge_import_uploads(cutoff: datetime, dry_run: bool) -> int:
    result = purge_stale_uploads(now=cutoff + import_upload_retention(), dry_run=dry_run)
    return result.expired_jobs + result.deleted_files


def purge_audit_log(cutoff: datetime, dry_run: bool) -> int:
    return delete_rows(AuditEvent.objects.filter(at__lt=cutoff), dry_run)


def purge_correction_requests(cutoff: datetime, dry_run: bool) -> int:
    decided = CorrectionRequest.objects.exclude(status=CorrectionStatus.PENDING)
    return delete_rows(decided.filter(decided_at__lt=cutoff), dry_run)


def register_rules() -> None:
    retention_rules.register("import_uploads", RetentionRule(
        _("Uploaded import files"), import_upload_retention, purge_import_uploads,
        _("upload (previews not committed; files of finished imports go at once)"),
    ), order=10)
    retention_rules.register("leavers", RetentionRule(
        _("Sensitive data of agents who left"), kept_for("leavers"), purge_leavers,
        _("the day the purge first saw the agent as left"),
    ), order=80)
    retention_rules.register("correction_requests", RetentionRule(
        _("Decided correction requests"), kept_for("correction_requests"), purge_correction_requests,
        _("decision"),
    ), order=85)
    retention_rules.register("audit_log", RetentionRule(
        _("Audit log"), kept_for("audit_log"), purge_audit_log, _("event"),
    ), order=90)
