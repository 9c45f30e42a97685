"""Survey distribution and reminders through the leads' group robots (WeCom, DingTalk, Feishu).

A message goes to each active robot a lead configured in people (``DigestWebhook``) and, as
it may land in a team's group chat, carries only the survey's title, the closing day, the
link to the answer page (behind a login; it answers only for the invited) and, per team the
lead leads, how many of those invited have answered — counted from the token table, never
who. Identified surveys (onboarding, exit) are never sent to a group. Sent by the task
``send_wave_to_robots``, queued when a wave is launched and when its runner reminds.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhiren.org.models import Team
from zhiren.org.selectors import team_lead_users
from zhiren.people import robots

from .items import IDENTIFIED_KINDS
from .models import Invitation, Wave

logger = logging.getLogger(__name__)


def team_rates(wave: Wave) -> dict[int, tuple[int, int]]:
    """Team id -> (answered, invited), from the token table."""
    rows = (
        Invitation.objects.filter(wave=wave, team__isnull=False)
        .values("team_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(responded=True)))
    )
    return {r["team_id"]: (r["answered"], r["invited"]) for r in rows}


def survey_message(
    wave: Wave, teams: list[tuple[str, int, int]], *, reminder: bool
) -> robots.Message:
    """The robot message for one lead: ``teams`` are (name, answered, invited)."""
    title = wave.survey.title
    heading = (
        _("Reminder: %(title)s closes on %(day)s")
        if reminder
        else _("New survey: %(title)s, until %(day)s")
    ) % {"title": title, "day": wave.closes_on.isoformat()}
    lines = [
        _("%(team)s: %(answered)s of %(invited)s answered (%(rate)s%%)")
        % {
            "team": name,
            "answered": answered,
            "invited": invited,
            "rate": round(100 * answered / invited) if invited else 0,
        }
        for name, answered, invited in teams
    ]
    lines.append(
        _("Answers are anonymous: results appear only for groups of at least %(n)s people.")
        % {"n": wave.min_scores}
    )
    base = getattr(settings, "ZHIREN_BASE_URL", "").rstrip("/")
    link = f"{base}{reverse('engagement:answer', args=[wave.pk])}" if base else ""
    return robots.Message(heading, lines, link)


def send_to_robots(wave: Wave, *, reminder: bool = False) -> dict[str, int]:
    """Post the wave's message to every active robot of each lead of its invited teams.

    A robot that fails (``robots.DeliveryError``, a network error) is logged and counted,
    never stops the others. Returns {"sent": …, "failed": …}."""
    outcome = {"sent": 0, "failed": 0}
    if wave.survey.kind in IDENTIFIED_KINDS:
        return outcome  # one named person's survey: never to a group chat
    rates = team_rates(wave)
    teams = Team.objects.filter(pk__in=rates).order_by("code")
    per_lead: dict[int, tuple[object, list[tuple[str, int, int]]]] = {}
    for team in teams:
        for lead in team_lead_users(team):
            per_lead.setdefault(lead.pk, (lead, []))[1].append((team.name, *rates[team.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        for lead, lines in per_lead.values():
            message = survey_message(wave, lines, reminder=reminder)
            for hook in lead.digest_webhooks.filter(active=True):  # type: ignore[attr-defined]
                try:
                    robots.post(hook.kind, hook.url, message, hook.secret)
                except (robots.DeliveryError, OSError) as exc:
                    logger.warning("survey robot %s of user %s: %s", hook.pk, lead.pk, exc)  # type: ignore[attr-defined]
                    outcome["failed"] += 1
                else:
                    outcome["sent"] += 1
    return outcome
