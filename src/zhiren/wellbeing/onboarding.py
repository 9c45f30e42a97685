"""Wellbeing's onboarding step (``core.registries.onboarding_steps``): a buddy (一帮一).

When recruiting has turned an accepted offer into an agent, the new hire is paired with an
experienced colleague of the same team — an active agent hired at least ``EXPERIENCED_DAYS``
ago, the one helping the fewest colleagues now, then the longest-serving — as a
``BuddyPair`` the team lead sees and ends like any other. A team with no such colleague gets
no pair, and the line says so: the lead pairs someone by hand later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.org.models import Agent, AgentStatus

from .models import BuddyPair

EXPERIENCED_DAYS = 180


def helper_for(agent: Agent, day) -> Agent | None:
    """The colleague to pair the new hire with, or None when the team has no experienced one."""
    return (
        Agent.objects.filter(
            team_id=agent.team_id,
            status=AgentStatus.ACTIVE,
            hire_date__lte=day - timedelta(days=EXPERIENCED_DAYS),
        )
        .exclude(pk=agent.pk)
        .annotate(helping=Count("buddy_helping", filter=Q(buddy_helping__ended_on__isnull=True)))
        .order_by("helping", "hire_date", "pk")
        .first()
    )


def pair_new_hire(agent: Agent, offer: Any = None) -> str:
    if agent.team_id is None:
        return ""
    if BuddyPair.objects.filter(buddy=agent, ended_on__isnull=True).exists():
        return ""
    start = agent.hire_date or timezone.localdate()
    helper = helper_for(agent, start)
    if helper is None:
        return _(
            "No buddy yet: no one on the team has six months' experience; the lead can pair "
            "someone later."
        )
    BuddyPair.objects.create(
        helper=helper, buddy=agent, reason=_("New hire (onboarding)"), started_on=start
    )
    return _("Buddy: %(helper)s helps %(agent)s through the first weeks.") % {
        "helper": helper.name,
        "agent": agent.name,
    }
