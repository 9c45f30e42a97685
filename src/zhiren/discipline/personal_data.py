"""What the discipline module holds about an agent (``core.registries.personal_data``), what it
erases when an agent has left, and the retention of violations (``retention_rules``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import delete_rows, kept_for, model_section
from zhiren.core.registries import (
    APPROVER_LEAD,
    CorrectionTopic,
    DataSection,
    PersonalDataSource,
    RetentionRule,
)
from zhiren.org.models import Agent

from . import ladder
from .models import AttendanceDay, ClockCorrection, ClockEvent, Exemption, Rule, Violation


def _exemption(violation: Violation) -> str:
    try:
        return violation.exemption.reason
    except Exemption.DoesNotExist:
        return ""


def collect(agent: Agent) -> list[DataSection]:
    violations = Violation.objects.filter(agent=agent).select_related("rule", "exemption").order_by("day", "id")
    return [
        model_section("violations", _("Violations"), Violation, violations, [
            "day", ("rule", _("rule"), lambda v: v.rule.title), "kind", "minutes", "note", "consequence",
            "response_note", ("exemption", _("exception"), _exemption),
        ]),
        model_section("clock_corrections", _("Clock corrections"), ClockCorrection,
                      ClockCorrection.objects.filter(agent=agent).order_by("requested_at", "id"),
                      [("requested_at", _("asked on")), "action", "at", "kind", "reason", "status", "decision_note"]),
        model_section("attendance", _("Attendance"), AttendanceDay,
                      AttendanceDay.objects.filter(agent=agent).order_by("day", "shift_start"),
                      ["day", "shift_start", "shift_end", "arrived", "left", "late_minutes", "early_minutes",
                       "overtime_minutes", "absent", "excused"]),
        model_section("punches", _("Clock events"), ClockEvent,
                      ClockEvent.objects.filter(agent=agent).order_by("at", "id"),
                      ["at", "kind", "source", "device", "voided"]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Violations (with their exceptions) and clock-correction requests of leavers.

    Attendance and punches stay: they are working-time records, not judgements.
    """
    return (delete_rows(Violation.objects.filter(agent_id__in=agent_ids), dry_run)
            + delete_rows(ClockCorrection.objects.filter(agent_id__in=agent_ids), dry_run))


def purge_violations(cutoff: datetime, dry_run: bool) -> int:
    """Violations that stopped counting towards any consequence before the cutoff's day.

    ``ladder.settled`` says which: removing them cannot change a kept violation's consequence,
    even on a recount. A calendar window is one query per rule; a rolling window reads the
    rule's older violations to find their chains.
    """
    day = timezone.localdate(cutoff)
    total = 0
    for rule in Rule.objects.all():
        terms = rule.terms
        if terms.window in (ladder.MONTH, ladder.QUARTER):
            total += delete_rows(Violation.objects.filter(rule=rule, day__lt=ladder.window_start(terms, day)),
                                 dry_run)
            continue
        by_agent: dict[int, list] = defaultdict(list)
        rows = Violation.objects.filter(rule=rule, day__lt=day).values_list("pk", "agent_id", "day")
        for pk, agent_id, when in rows.iterator(chunk_size=2000):
            by_agent[agent_id].append((pk, when))
        ids = [pk for days in by_agent.values() for pk in ladder.settled(terms, days, day)]
        for start in range(0, len(ids), 900):  # short IN lists (SQLite's variable limit)
            total += delete_rows(Violation.objects.filter(pk__in=ids[start:start + 900]), dry_run)
    return total


SOURCE = PersonalDataSource(
    label=_("Attendance and rules"),
    collect=collect,
    erase=erase,
    corrections=(CorrectionTopic("discipline.records", _("Violations and attendance"), APPROVER_LEAD),),
)
RETENTION = RetentionRule(
    _("Violations"), kept_for("discipline"), purge_violations,
    _("the day the violation stopped counting towards any consequence (the end of its window)"),
)
