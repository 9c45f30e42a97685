"""What workforce reads out at the 晨会 that needs the planning models (``huddle_sources``,
deferred: the holiday calendar, the forecast and Erlang): today's staffing against the forecast,
and the coming week's holidays, make-up workdays (调休) and the site's promotions (大促, the
forecast events)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from zhiren.core.batch import remembered
from zhiren.core.registries import HUDDLE_AHEAD, HUDDLE_TODAY, HuddleItem
from zhiren.org.models import Team

from .engine.calendar_cn import DayKind
from .models import ForecastEvent, Queue
from .pages import holiday_name
from .planning.forecasting import holiday_calendar
from .planning.staffing import site_demand, team_share_demand
from .selectors import published_shifts
from .staff import active_agents, agent_skills

# How far ahead the 晨会 looks.
AHEAD_DAYS = 7


def _when(first: date, last: date) -> str:
    return f"{first:%m-%d}" if first == last else f"{first:%m-%d}–{last:%m-%d}"


def huddle_ahead(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """Holidays, make-up workdays (调休) and the site's promotions or events (大促, forecast events)
    within the coming week, from the huddle's day (two queries)."""
    day = timezone.localdate(shift_start)
    last = day + timedelta(days=AHEAD_DAYS)
    calendar = holiday_calendar()
    spans: dict[tuple[str, str], list[date]] = {}
    for n in range(1, AHEAD_DAYS + 1):
        info = calendar.classify(day + timedelta(days=n))
        if info.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
            name = info.name if info.source == "user" else holiday_name(info.name)
            spans.setdefault((info.kind, name or ""), []).append(info.date)
    items = [
        HuddleItem(
            kind="holiday" if kind == DayKind.HOLIDAY else "makeup_workday",
            section=HUDDLE_AHEAD,
            key=f"workforce:{kind}:{days[0].isoformat()}",
            text=gettext_noop("Holiday ahead: %(name)s, %(when)s (days off)")
            if kind == DayKind.HOLIDAY
            else gettext_noop("Make-up workday (调休) ahead: %(when)s %(name)s"),
            params={"name": name, "when": _when(days[0], days[-1])},
        )
        for (kind, name), days in spans.items()
    ]
    site_id = Team.objects.filter(pk=team_id).values_list("site_id", flat=True).first()
    events = ForecastEvent.objects.filter(site_id=site_id, start__lte=last, end__gte=day).order_by(
        "start", "pk"
    )
    for event in events:
        items.append(
            HuddleItem(
                kind="promotion",
                section=HUDDLE_AHEAD,
                key=f"workforce:event:{event.pk}",
                text=gettext_noop("Promotion on now: %(name)s, until %(end)s")
                if event.start <= day
                else gettext_noop("Promotion ahead: %(name)s, %(when)s. Expect more contacts."),
                params={
                    "name": event.name,
                    "when": _when(event.start, event.end),
                    "end": f"{event.end:%m-%d}",
                },
            )
        )
    return items


def huddle_staffing_forecast(team_id: int, shift_start: datetime) -> list[HuddleItem]:
    """Agent-hours the team has scheduled today (work only, breaks out) against its share of the
    site's forecast requirement (``team_share_demand``: by the share of each queue's skilled
    agents; the site's requirement is computed once per batch of huddles). Nothing without a
    queue or a forecast for the day."""
    day = timezone.localdate(shift_start)
    site_id = Team.objects.filter(pk=team_id).values_list("site_id", flat=True).first()
    queues = list(Queue.objects.filter(site_id=site_id))
    if not queues:
        return []
    agents = active_agents([team_id])
    # the site's side is the same for each of its teams: once per batch (the periodic job)
    site = remembered(
        ("workforce.site_demand", site_id, day), lambda: site_demand(site_id, queues, [day])
    )
    demand = team_share_demand(
        site_id, queues, agents, agent_skills(agents, queues), [day], site=site
    )
    required = sum(sum(slots) for slots in demand.values()) / 4  # quarter hours → hours
    if not required:
        return []
    worked = sum(
        (act.end - act.start).total_seconds()
        for shift in published_shifts([a.pk for a in agents], day, day)
        for act in shift.activities
        if act.kind == "work"
    )
    scheduled = worked / 3600
    short = scheduled < required
    return [
        HuddleItem(
            kind="staffing_forecast",
            section=HUDDLE_TODAY,
            key="workforce:forecast",
            text=gettext_noop(
                "Staffing against the forecast: %(scheduled)s agent-hours scheduled, %(required)s"
                " needed. %(gap)s hours short: keep breaks on time."
            )
            if short
            else gettext_noop(
                "Staffing against the forecast: %(scheduled)s agent-hours scheduled, %(required)s"
                " needed. Covered."
            ),
            params={
                "scheduled": f"{scheduled:.1f}",
                "required": f"{required:.1f}",
                "gap": f"{required - scheduled:.1f}",
            },
        )
    ]
