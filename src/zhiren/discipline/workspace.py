"""What discipline contributes to the lead's workspace: the one rule in its announcement or grace
period to read out (``huddle_sources``; seed 004: one rule at a time, announced before enforced),
and grace periods ending (``board_feeds``). Violations of a named person never appear."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import (
    HUDDLE_RULES,
    IMPORTANT_COMPLIANCE,
    BoardCard,
    FactTable,
    HuddleItem,
)
from zhiren.org.models import Team

from . import ladder
from .models import AttendanceDay, Rule

# A grace period's end goes on the board this many days before.
GRACE_NOTICE_DAYS = 7


def _team_rules(team_ids: Sequence[int]) -> list[tuple[Rule, list[int]]]:
    """Announced, unretired rules with the given teams each covers (two queries)."""
    sites = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "site_id"))
    rules = (
        Rule.objects.filter(site_id__in=set(sites.values()), announced_on__isnull=False)
        .filter(Q(teams__isnull=True) | Q(teams__in=team_ids))
        .distinct()
        .prefetch_related("teams")
        .order_by("announced_on", "pk")
    )
    result = []
    for rule in rules:
        named = {t.pk for t in rule.teams.all()}
        covered = [
            t for t, site in sites.items() if site == rule.site_id and (not named or t in named)
        ]
        if covered:
            result.append((rule, covered))
    return result


def huddle_rule(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """The one rule to talk about: the earliest announced still in grace, else one starting within the week."""
    day = timezone.localdate(shift_start)
    coming = None
    for rule, _ in _team_rules([team_id]):
        phase, enforced = rule.terms.phase(day), rule.enforced_from
        if enforced is None or rule.announced_on is None:
            continue
        if phase == ladder.GRACE:
            return [
                HuddleItem(
                    kind="rule",
                    section=HUDDLE_RULES,
                    key=f"discipline:rule:{rule.pk}",
                    text=gettext_noop(
                        "Rule in its grace period: %(title)s, enforced from %(date)s"
                    ),
                    params={"title": rule.title, "date": enforced.isoformat()},
                )
            ]
        if (
            coming is None
            and phase == ladder.NOT_IN_FORCE
            and (rule.announced_on - day).days <= GRACE_NOTICE_DAYS
        ):
            coming = HuddleItem(
                kind="rule",
                section=HUDDLE_RULES,
                key=f"discipline:rule:{rule.pk}",
                text=gettext_noop("New rule announced: %(title)s, grace period from %(date)s"),
                params={"title": rule.title, "date": rule.announced_on.isoformat()},
            )
    return [coming] if coming else []


def board_grace(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    cards = []
    for rule, covered in _team_rules(team_ids):
        enforced = rule.enforced_from
        if enforced is None or rule.terms.phase(today) != ladder.GRACE:
            continue
        last = enforced - timedelta(days=1)
        if (last - today).days > GRACE_NOTICE_DAYS:
            continue
        cards.append(
            BoardCard(
                key=f"discipline.grace:{rule.pk}",
                kind="grace_ending",
                text=gettext_noop(
                    "Grace period of %(title)s ends: make sure everyone knows the rule"
                ),
                params={"title": rule.title},
                due=last,
                important=IMPORTANT_COMPLIANCE,
                link=reverse("discipline:rule_detail", args=[rule.pk]),
                team_id=covered[0] if len(covered) == 1 else None,
            )
        )
    return cards


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """The period's scheduled shifts against the punches, as counts for the team (one query)."""
    row = AttendanceDay.objects.filter(agent__team_id=team_id, day__range=(start, end)).aggregate(
        shifts=Count("pk"),
        absent=Count("pk", filter=Q(absent=True, excused=False)),
        late=Count("pk", filter=Q(late_minutes__gt=0, excused=False)),
        late_minutes=Sum("late_minutes", filter=Q(excused=False)),
        excused=Count("pk", filter=Q(excused=True)),
    )
    if not row["shifts"]:
        return []
    return [
        FactTable(
            key="discipline:attendance",
            title=gettext_noop("Attendance"),
            columns=(gettext_noop("Measure"), gettext_noop("Value")),
            rows=(
                (gettext_noop("Scheduled shifts"), str(row["shifts"])),
                (gettext_noop("Absences"), str(row["absent"])),
                (gettext_noop("Late arrivals"), str(row["late"])),
                (gettext_noop("Minutes late"), str(row["late_minutes"] or 0)),
                (gettext_noop("Shifts on leave"), str(row["excused"])),
            ),
        )
    ]
