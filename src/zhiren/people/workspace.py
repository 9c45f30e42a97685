"""What people contributes to the lead's workspace: birthdays and work anniversaries to read out
at the 晨会 (``huddle_sources``), heart-to-hearts overdue on the board (``board_feeds``)."""

from __future__ import annotations

from calendar import isleap
from collections.abc import Sequence
from datetime import date, datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.registries import (
    HUDDLE_PRAISE,
    IMPORTANT_PERSON,
    BoardCard,
    FactTable,
    HuddleItem,
)
from zhiren.org.models import Agent, AgentStatus

from .models import Talk
from .selectors import talk_statuses


def _same_day(anniversary: date, day: date) -> bool:
    """Month and day match; 29 February is celebrated on the 28th in other years."""
    if (anniversary.month, anniversary.day) == (day.month, day.day):
        return True
    return (
        (anniversary.month, anniversary.day) == (2, 29)
        and (day.month, day.day) == (2, 28)
        and not isleap(day.year)
    )


def huddle_praise(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    day = timezone.localdate(shift_start)
    agents = Agent.objects.filter(team_id=team_id, status=AgentStatus.ACTIVE).order_by(
        "employee_no"
    )
    items: list[HuddleItem] = []
    for agent in agents.only("pk", "name", "birthday", "hire_date"):
        if agent.birthday and _same_day(agent.birthday, day):
            items.append(
                HuddleItem(
                    kind="birthday",
                    section=HUDDLE_PRAISE,
                    key=f"people:birthday:{agent.pk}",
                    text=gettext_noop("Happy birthday, %(name)s!"),
                    params={"name": agent.name},
                )
            )
        if agent.hire_date and agent.hire_date.year < day.year and _same_day(agent.hire_date, day):
            items.append(
                HuddleItem(
                    kind="anniversary",
                    section=HUDDLE_PRAISE,
                    key=f"people:anniversary:{agent.pk}",
                    text=gettext_noop("%(name)s joined us %(years)s years ago today."),
                    params={"name": agent.name, "years": str(day.year - agent.hire_date.year)},
                )
            )
    return items


def board_talks(team_ids: Sequence[int], today: date) -> list[BoardCard]:
    """A card for each agent whose heart-to-heart is overdue or due within the week (three queries)."""
    agents = list(Agent.objects.filter(team_id__in=team_ids, status=AgentStatus.ACTIVE))
    cards = []
    for row in talk_statuses(agents, today):
        due = row.status.due_on
        if (due - today).days > 7:
            continue
        cards.append(
            BoardCard(
                key=f"people.talk:{row.agent.pk}:{due.isoformat()}",
                kind="talk",
                text=gettext_noop("Heart-to-heart with %(name)s"),
                params={"name": row.agent.name},
                due=due,
                important=IMPORTANT_PERSON,
                link=reverse("people:talk_create"),
                team_id=row.agent.team_id,
            )
        )
    return cards


def team_facts(team_id: int, start: date, end: date) -> list[FactTable]:
    """Heart-to-hearts held in the period and how many agents they reached (one query)."""
    row = Talk.objects.filter(team_id=team_id, held_on__range=(start, end)).aggregate(
        talks=Count("pk", distinct=True), agents=Count("participants__agent", distinct=True)
    )
    if not row["talks"]:
        return []
    return [
        FactTable(
            key="people:talks",
            title=gettext_noop("Heart-to-hearts"),
            columns=(gettext_noop("Measure"), gettext_noop("Value")),
            rows=(
                (gettext_noop("Talks held"), str(row["talks"])),
                (gettext_noop("Agents reached"), str(row["agents"])),
            ),
        )
    ]
