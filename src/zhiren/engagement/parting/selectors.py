"""Reads of offboarding: records for the agent's lead and HR, the alumni list for HR, the
attrition report (reasons by site, team and tenure band) for HR, site managers and admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from zhiren.org.models import Agent, AgentStatus, Role
from zhiren.org.scoping import covers_any

from ..models import INVOLUNTARY_REASONS, LeavingReason, Offboarding, TenureBand
from . import rules

KEEPERS = (Role.TEAM_LEAD, Role.HR)  # the agent's lead and HR: records and conversation notes
ALUMNI_READERS = (Role.HR,)
REPORT_READERS = (Role.HR, Role.SITE_MANAGER, Role.ADMIN)


def visible_offboardings(user) -> QuerySet[Offboarding]:
    return Offboarding.objects.visible_to(user, KEEPERS, via="agent").select_related(
        "agent", "team__site", "exit_wave"
    )


def may_keep(user) -> bool:
    return covers_any(user, KEEPERS)


def candidates(user) -> QuerySet[Agent]:
    """Active agents of the user's teams whose offboarding has not started."""
    return (
        Agent.objects.visible_to(user, KEEPERS)
        .filter(status=AgentStatus.ACTIVE, offboarding__isnull=True)
        .order_by("team__code", "employee_no")
    )


def alumni(user) -> QuerySet[Offboarding]:
    """Leavers who agreed to be on the alumni list, with their re-hire eligibility."""
    return (
        Offboarding.objects.visible_to(user, ALUMNI_READERS, via="agent")
        .filter(alumni_consent=True, closed_on__isnull=False)
        .select_related("agent", "team__site")
        .order_by("-last_day", "pk")
    )


@dataclass(frozen=True)
class ReportRow:
    label: str
    total: int
    voluntary: int
    counts: list[int]  # per reason, in ``reasons`` order


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    reasons: list[tuple[str, str]]  # (code, label) of the reasons that occur
    by_site: list[ReportRow]
    by_team: list[ReportRow]
    by_tenure: list[ReportRow]
    total: int


def attrition_report(user, start: dt.date, end: dt.date) -> Report:
    """Coded main reasons of those whose last day fell from ``start`` to ``end`` (one query)."""
    rows = list(
        Offboarding.objects.visible_to(user, REPORT_READERS, via="team")
        .filter(last_day__gte=start, last_day__lte=end)
        .exclude(main_reason="")
        .values_list("team__site__name", "team__name", "tenure_band", "main_reason")
    )
    labels = dict(LeavingReason.choices)
    present = [code for code in LeavingReason.values if any(r[3] == code for r in rows)]
    bands = dict(TenureBand.choices)

    def table(pairs: list[tuple[str, str]], order: list[str] | None = None) -> list[ReportRow]:
        counts = rules.tally(pairs)
        keys = order if order is not None else sorted(counts)
        return [
            ReportRow(
                key,
                sum(counts[key].values()),
                sum(n for code, n in counts[key].items() if code not in INVOLUNTARY_REASONS),
                [counts[key][code] for code in present],
            )
            for key in keys
            if key in counts
        ]

    tenure_rows = table(
        [(str(bands.get(r[2], r[2])), r[3]) for r in rows],
        [str(bands[b]) for b in TenureBand.values],
    )
    return Report(
        start,
        end,
        [(code, str(labels[code])) for code in present],
        table([(r[0] or "—", r[3]) for r in rows]),
        table([(f"{r[0]} · {r[1]}" if r[1] else "—", r[3]) for r in rows]),
        tenure_rows,
        len(rows),
    )


def may_read_report(user) -> bool:
    return covers_any(user, REPORT_READERS)


def covers_alumni(user) -> bool:
    return covers_any(user, ALUMNI_READERS)
