"""Reads of offboarding: records for the agent's lead and HR, the alumni list for HR, the
attrition report (reasons by site, team and tenure band) for HR, site managers and admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from zhiren.org.models import Agent, AgentStatus, Role
from zhiren.org.scoping import covers_any

from ..anonymity import DEFAULT_SCORES, Cell, Reason, guard
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


REPORT_MINIMUM = DEFAULT_SCORES  # leavers a row of the attrition report needs to be shown


@dataclass(frozen=True)
class ReportRow:
    label: str
    total: int
    voluntary: int
    counts: list[int]  # per reason, in ``reasons`` order; empty when hidden
    reason: Reason | None = None  # why the row is hidden (None: shown)

    @property
    def shown(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    reasons: list[tuple[str, str]]  # (code, label) of the reasons that occur in shown rows
    by_site: list[ReportRow]
    by_team: list[ReportRow]
    by_tenure: list[ReportRow]
    total: int | None  # None when the whole period has fewer leavers than the minimum
    minimum: int = REPORT_MINIMUM


def attrition_report(user, start: dt.date, end: dt.date, minimum: int = REPORT_MINIMUM) -> Report:
    """Coded main reasons of those whose last day fell from ``start`` to ``end`` (one query).

    A lead or a manager knows who left their team; the reasons of two leavers are theirs.
    So every row passes the survey's ``anonymity.guard``: a site, team or tenure band with
    fewer than ``minimum`` leavers is hidden, and so is a row that would give such a group
    away by differencing (the site minus its other teams, all minus a tenure band).
    """
    rows = list(
        Offboarding.objects.visible_to(user, REPORT_READERS, via="team")
        .filter(last_day__gte=start, last_day__lte=end)
        .exclude(main_reason="")
        .values_list("pk", "team__site__name", "team__name", "tenure_band", "main_reason")
    )
    labels = dict(LeavingReason.choices)
    bands = dict(TenureBand.choices)
    groups: dict[tuple[str, str], list[tuple]] = {}
    for r in rows:
        site = r[1] or "—"
        team = f"{r[1]} · {r[2]}" if r[2] else "—"
        for key in (
            ("all", ""),
            ("site", site),
            ("team", team),
            ("tenure", str(bands.get(r[3], r[3]))),
        ):
            groups.setdefault(key, []).append(r)
    verdicts = guard(
        [
            Cell(key, frozenset(r[0] for r in members), "filter" if key[0] == "tenure" else "group")
            for key, members in groups.items()
        ],
        minimum,
    )
    shown = {key for key, v in verdicts.items() if v.shown}
    present = [
        code
        for code in LeavingReason.values
        if any(r[4] == code for key in shown for r in groups[key])
    ]

    def table(kind: str, order: list[str] | None = None) -> list[ReportRow]:
        keys = order if order is not None else sorted(k for t, k in groups if t == kind)
        out = []
        for key in keys:
            members = groups.get((kind, key))
            if not members:
                continue
            if (kind, key) not in shown:
                out.append(ReportRow(key, 0, 0, [], verdicts[(kind, key)].reason))
                continue
            counts = rules.tally([(key, r[4]) for r in members])[key]
            out.append(
                ReportRow(
                    key,
                    sum(counts.values()),
                    sum(n for code, n in counts.items() if code not in INVOLUNTARY_REASONS),
                    [counts[code] for code in present],
                )
            )
        return out

    return Report(
        start,
        end,
        [(code, str(labels[code])) for code in present],
        table("site"),
        table("team"),
        table("tenure", [str(bands[b]) for b in TenureBand.values]),
        len(rows) if ("all", "") in shown else None,
        minimum,
    )


def may_read_report(user) -> bool:
    return covers_any(user, REPORT_READERS)


def covers_alumni(user) -> bool:
    return covers_any(user, ALUMNI_READERS)
