"""Alerts as they happen: the rules for one agent after a low check-in, storing, telling the leads.

The nightly job (``services.run_nightly``) stores what it finds through ``store_alerts`` too, so
an episode is one alert whichever path saw it first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import alerts as rules
from .evaluation import daily_moods
from .models import AlertStatus, MoodAlert, MoodEntry
from .queues import on_hard_queue

ALERT_WINDOW_DAYS = 60


@task()
def evaluate_check_in(agent_id: int, day: str) -> dict:
    """Right after a low check-in: run the alert rules for that agent and tell the leads of a new alert."""
    new = evaluate_agent(agent_id, date.fromisoformat(day))
    return {"alerts_raised": len(new), "notices": notify_leads(new) if new else 0}


def evaluate_agent(agent_id: int, today: date) -> list[MoodAlert]:
    """The alert rules for one agent now (after a low check-in); returns the alerts newly raised."""
    rows = (
        MoodEntry.objects.filter(agent_id=agent_id, day__gt=today - timedelta(days=ALERT_WINDOW_DAYS),
                                 day__lte=today)
        .order_by("agent_id", "day", "source")
        .values_list("agent_id", "day", "source", "score", "causes")
    )
    moods = daily_moods(rows).get(agent_id)
    if not moods:
        return []
    hard = on_hard_queue([agent_id], [moods[-1].day]) if moods[-1].score <= rules.DEFAULTS.low_score else set()
    found = rules.evaluate(moods, today, lambda d: (agent_id, d) in hard)
    return store_alerts({agent_id: found}, today) if found else []


def notify_leads(alerts: Iterable[MoodAlert]) -> int:
    """Tell each alerted agent's leads through their notifiers (no names or moods: see LeadNotice)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from zhiren.core.registries import LeadNotice, lead_notifiers
    from zhiren.org.selectors import team_lead_users

    sent = 0
    base = getattr(settings, "ZHIREN_BASE_URL", "").rstrip("/")
    for alert in alerts:
        link = f"{base}{reverse('wellbeing:alert_detail', args=[alert.pk])}" if base else ""
        with translation.override(settings.LANGUAGE_CODE):
            notice = LeadNotice(
                title=str(_("Zhiren: a wellbeing alert needs you")),
                lines=(str(_("Someone on your team may need a word from you today. Open Zhiren to see who "
                             "and what might help.")),),
                link=link,
            )
        for lead in team_lead_users(alert.agent.team):
            for notifier in lead_notifiers.values():
                notifier(lead, notice)
                sent += 1
    return sent


def store_alerts(raised: Mapping[int, list[rules.Alert]], today: date) -> list[MoodAlert]:
    """Store what the rules raised, one open alert per episode; returns the alerts newly created."""
    if not raised:
        return []
    existing: dict[tuple[int, str], list[MoodAlert]] = {}
    for alert in MoodAlert.objects.filter(agent_id__in=list(raised)).order_by("-day"):
        existing.setdefault((alert.agent_id, alert.kind), []).append(alert)
    new, changed = [], []
    for agent_id, alerts in raised.items():
        for found in alerts:
            previous = existing.get((agent_id, found.kind), [])
            same_day = next((a for a in previous if a.day == found.day), None)
            open_one = next((a for a in previous if a.status == AlertStatus.OPEN), None)
            closed = next((a for a in previous if a.status != AlertStatus.OPEN and a.acted_at), None)
            first_day = date.fromisoformat(found.evidence["days"][0])
            if same_day is not None:
                if same_day.status == AlertStatus.OPEN:
                    same_day.evidence, same_day.suggested = found.evidence, list(found.actions)
                    changed.append(same_day)
                continue
            if open_one is not None:  # the same episode goes on: keep one alert, newest evidence
                open_one.day, open_one.evidence = found.day, found.evidence
                open_one.suggested = list(found.actions)
                changed.append(open_one)
                continue
            if closed is not None and first_day <= timezone.localdate(closed.acted_at):
                continue  # the lead already acted on this episode
            new.append(
                MoodAlert(agent_id=agent_id, kind=found.kind, day=found.day, raised_on=today,
                          evidence=found.evidence, suggested=list(found.actions))
            )
    MoodAlert.objects.bulk_update(changed, ["day", "evidence", "suggested"], batch_size=1000)
    return MoodAlert.objects.bulk_create(new, batch_size=1000)
