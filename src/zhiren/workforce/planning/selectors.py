"""Reads of planning, through the planner's scope: a site's setup, events and holidays, the
forecast page and the staffing picture."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from zhiren.org.models import Agent, Site, Team

from ..dates import days_between, tz, week_start
from ..engine.calendar_cn import DayKind
from ..engine.roster.problem import SLOTS_PER_DAY
from ..models import ForecastEvent, ForecastVersion, HolidayDay, Queue, ShiftTemplate, Shrinkage
from ..pages import holiday_name
from ..scope import planner_sites
from ..selectors import published_shifts
from ..staff import active_agents, agent_skills, site_rules
from .defaults import default_templates, missing_shrinkage
from .forecasting import actuals, holiday_calendar
from .staffing import WhatIf, requirement

# --- setup ---------------------------------------------------------------------------------


def site_setup(site: Site) -> dict:
    """Queues, shift templates, shrinkage and rules of a site; defaults (unsaved) where it has none."""
    shrinkage = list(Shrinkage.objects.filter(site=site))
    return {
        "queues": Queue.objects.filter(site=site),
        "templates": list(ShiftTemplate.objects.filter(site=site)) or default_templates(site),
        "shrinkage": shrinkage + missing_shrinkage(site, {s.kind for s in shrinkage}),
        "rules": site_rules(site.pk),
    }


def get_queue(user, pk) -> Queue:
    return get_object_or_404(
        Queue.objects.select_related("site"), pk=pk, site__in=planner_sites(user)
    )


def get_template(user, pk) -> ShiftTemplate:
    return get_object_or_404(ShiftTemplate, pk=pk, site__in=planner_sites(user))


def get_event(user, pk) -> ForecastEvent:
    return get_object_or_404(ForecastEvent, pk=pk, site__in=planner_sites(user))


def get_version(user, pk) -> ForecastVersion:
    return get_object_or_404(ForecastVersion, pk=pk, queue__site__in=planner_sites(user))


def site_events(site: Site) -> QuerySet[ForecastEvent]:
    return ForecastEvent.objects.filter(site=site)


def upcoming_holidays(today: date, days: int = 120) -> list:
    """Holidays and make-up workdays of the next ``days`` days (the table and the package)."""
    calendar = holiday_calendar()
    out = []
    for n in range(days):
        info = calendar.classify(today + timedelta(days=n))
        if info.kind in ("holiday", "makeup_workday"):
            out.append(replace(info, name=holiday_name(info.name) if info.source != "user" else info.name))
    return out


def public_holidays(start: date, end: date) -> set[date]:
    """The holidays' days off from ``start`` to ``end`` (the table, then the package).

    The ``holiday_feeds`` entry of workforce: wellbeing looks for the mood before them.
    """
    calendar = holiday_calendar()
    return {
        day
        for day in days_between(start, end)
        if calendar.classify(day).kind == DayKind.HOLIDAY
    }


def holiday_days() -> QuerySet[HolidayDay]:
    return HolidayDay.objects.all()


# --- forecasts -----------------------------------------------------------------------------


def versions(queue: Queue) -> list[ForecastVersion]:
    """The queue's latest 20 versions, newest first."""
    return list(ForecastVersion.objects.filter(queue=queue).select_related("created_by")[:20])


def recent_events(site: Site, today: date) -> QuerySet[ForecastEvent]:
    return ForecastEvent.objects.filter(site=site, end__gte=today - timedelta(days=90))[:20]


def forecast_chart(queue: Queue, version: ForecastVersion | None, today: date) -> dict:
    """Daily actuals of the last 8 weeks and the version's daily forecast. One query."""
    history_start = today - timedelta(days=56)
    actual = actuals(queue, history_start, today)
    days = days_between(history_start, version.end if version else today)
    fc = version.data if version else {}
    return {
        "days": [d.isoformat() for d in days],
        "actual": [round(sum(actual[d]["volume"])) if d in actual else None for d in days],
        "forecast": [
            round(sum(fc[d.isoformat()]["volume"])) if d.isoformat() in fc else None for d in days
        ],
    }


def holdout_weeks(version: ForecastVersion | None) -> list[dict]:
    """The version's stored accuracy per holdout week (none until the task has scored it)."""
    if version is None or not version.holdout:
        return []
    return [{**week, "start": date.fromisoformat(week["start"])} for week in version.holdout]


# --- staffing ------------------------------------------------------------------------------


def scheduled_agents(site: Site, days: list[date]) -> np.ndarray:
    """Agents of the site scheduled to work per day and quarter hour (days × 96)."""
    out = np.zeros((len(days), SLOTS_PER_DAY), dtype=int)
    agents = Agent.objects.filter(team__site=site).values_list("pk", flat=True)
    zone = tz()
    for shift in published_shifts(list(agents), days[0] - timedelta(days=1), days[-1]):
        for act in shift.activities:
            if act.kind != "work":
                continue
            t = act.start.astimezone(zone)
            while t < act.end:
                i = (t.date() - days[0]).days
                if 0 <= i < len(days):
                    out[i][(t.hour * 60 + t.minute) // 15] += 1
                t += timedelta(minutes=15)
    return out


def staffing(site: Site, day: date, what_if: WhatIf) -> dict:
    """The week of ``day``: required agents per queue, scheduled agents, and the gap by hour.

    ``required`` and ``scheduled`` are ``day``'s 96 quarter hours; ``heat`` is
    ``[hour, weekday, mean gap]`` for each hour of the week (scheduled − required).
    """
    queues = list(Queue.objects.filter(site=site))
    week = [week_start(day) + timedelta(days=n) for n in range(7)]
    req = requirement(queues, week, what_if=what_if)
    scheduled = scheduled_agents(site, week)
    d = week.index(day)
    total_req = sum(req.values()) if req else np.zeros((7, SLOTS_PER_DAY), dtype=int)
    gap = (scheduled - total_req).tolist()
    return {
        "queues": queues,
        "week": week,
        "slots": [f"{s // 4:02d}:{s % 4 * 15:02d}" for s in range(SLOTS_PER_DAY)],
        "required": [(q, req[q.code][d].tolist()) for q in queues],
        "scheduled": scheduled[d].tolist(),
        "heat": [
            [h, wd, int(sum(gap[wd][h * 4 : h * 4 + 4]) / 4)] for wd in range(7) for h in range(24)
        ],
        "required_hours": round(float(np.sum(total_req)) / 4, 1),
        "scheduled_hours": round(float(np.sum(scheduled)) / 4, 1),
    }


def weekly_fte(site: Site, weeks: list[date], hours_per_fte: float = 40.0) -> list[dict]:
    """Per queue of the site: FTE required in each week and FTE available now (recruiting's gap).

    ``weeks`` are week starts. ``required`` is the hours to schedule in each week (the latest
    forecast through the queue's staffing model, with the site's shrinkage) ÷ ``hours_per_fte``;
    ``available`` counts the site's active agents skilled for the queue, an agent with several
    queues in equal shares. ``[{"code", "name", "required": [per week], "available"}]``.
    """
    queues = list(Queue.objects.filter(site=site).order_by("code"))
    if not queues or not weeks:
        return []
    days = [w + timedelta(days=n) for w in weeks for n in range(7)]
    req = requirement(queues, days)
    agents = active_agents(list(Team.objects.filter(site=site).values_list("pk", flat=True)))
    skills = agent_skills(agents, queues)
    available: dict[str, float] = {q.code: 0.0 for q in queues}
    for agent in agents:
        codes = skills[agent.pk]
        for code in codes:
            available[code] += 1 / len(codes)
    return [
        {
            "code": q.code,
            "name": q.name,
            "required": [float(np.sum(req[q.code][i * 7:(i + 1) * 7])) / 4 / hours_per_fte for i in range(len(weeks))],
            "available": available[q.code],
        }
        for q in queues
    ]
