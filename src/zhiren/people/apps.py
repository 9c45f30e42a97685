from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "zhiren.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            HOME_LEAD,
            HomeCard,
            demo_loaders,
            home_cards,
            lead_notifiers,
            onboarding_steps,
            personal_data,
            retention_rules,
        )
        from zhiren.org.models import Role

        from . import home, onboarding, robots
        from . import personal_data as mine
        from .demo import load as load_demo

        lead = frozenset({Role.TEAM_LEAD})
        register(
            NavItem(_("Talks"), "people:talk_list", frozenset({Role.TEAM_LEAD, Role.HR}), icon="message", order=30),
            NavItem(_("Emotional account"), "people:ledger_overview", lead, icon="heart", order=31),
            NavItem(_("About me"), "people:my_profile", frozenset({Role.AGENT}), icon="heart", order=6),
        )
        demo_loaders.register("people", load_demo, order=20)
        home_cards.register("people", HomeCard(HOME_LEAD, "people/_lead_home_panels.html", home.lead_card), order=20)
        personal_data.register("people", mine.SOURCE, order=10)
        retention_rules.register("talk_notes", mine.RETENTION, order=30)
        lead_notifiers.register("robots", robots.notify_lead)
        onboarding_steps.register("people_profile", onboarding.open_profile, order=10)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources

        from . import workspace

        huddle_sources.register("people", workspace.huddle_praise, order=30)

        from zhiren.core.registries import team_facts


        team_facts.register("people", workspace.team_facts, order=50)
        board_feeds.register("people", workspace.board_talks, order=20)

        # started by one task worker a day, however many run (core.periodic)
        from datetime import timedelta

        from django.conf import settings

        from zhiren.core.periodic import parse_at
        from zhiren.core.registries import PeriodicJob, periodic_jobs

        from .tasks import send_daily_digests

        periodic_jobs.register("digests", PeriodicJob(
            _("Send the leads' daily digests"), lambda: timedelta(days=1),
            send_daily_digests.enqueue, at=lambda: parse_at(settings.DIGESTS_AT),
        ))
