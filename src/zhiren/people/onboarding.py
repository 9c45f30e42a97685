"""The people module's onboarding step (``core.registries.onboarding_steps``).

When recruiting has turned an accepted offer into an agent, the profile (个人档案) is
opened for the team lead to fill in at the first one-to-one, and the hire date goes into
the important dates as a yearly work anniversary (入职纪念日).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhiren.org.models import Agent

from .models import AgentProfile, ImportantDate


def open_profile(agent: Agent, offer: Any) -> str:
    _profile, created = AgentProfile.objects.get_or_create(agent=agent)
    if (
        agent.hire_date
        and not ImportantDate.objects.filter(agent=agent, date=agent.hire_date).exists()
    ):
        ImportantDate.objects.create(
            agent=agent, label=_("Work anniversary"), date=agent.hire_date, yearly=True
        )
    return _("Profile opened for the team lead.") if created else ""
