from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "zhiren.wellbeing"
    verbose_name = _("Wellbeing")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            HOME_AGENT,
            HOME_LEAD,
            HomeCard,
            demo_loaders,
            home_cards,
            personal_data,
            retention_rules,
        )
        from zhiren.org.models import Role

        from . import demo, home
        from . import personal_data as mine

        register(
            NavItem(_("My moods"), "wellbeing:my_moods", frozenset({Role.AGENT}), icon="mood-smile",
                    order=30),
            NavItem(_("Mood alerts"), "wellbeing:alert_list", frozenset({Role.TEAM_LEAD, Role.HR}),
                    icon="alert-triangle", order=35),
            NavItem(_("Mood board"), "wellbeing:board", frozenset(), icon="heart", order=40),
        )
        demo_loaders.register("wellbeing", demo.load, order=30)
        home_cards.register("wellbeing", HomeCard(HOME_LEAD, "wellbeing/_lead_home_panel.html", home.lead_card), order=10)
        home_cards.register("wellbeing check-in", HomeCard(HOME_AGENT, "wellbeing/_agent_home_card.html", home.agent_card), order=10)
        personal_data.register("wellbeing", mine.SOURCE, order=20)
        retention_rules.register("moods", mine.RETENTION, order=20)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources

        from . import workspace

        huddle_sources.register("wellbeing", workspace.huddle_mood, order=15)

        from zhiren.core.registries import team_facts

        team_facts.register("wellbeing", workspace.team_facts, order=40)
        board_feeds.register("wellbeing", workspace.board_alerts, order=10)

        # started by one task worker a night, however many run (core.periodic)
        from datetime import timedelta

        from django.conf import settings

        from zhiren.core.periodic import parse_at
        from zhiren.core.registries import PeriodicJob, periodic_jobs

        from .tasks import nightly_evaluation

        periodic_jobs.register("wellbeing_nightly", PeriodicJob(
            _("Evaluate mood cycles and alerts overnight"), lambda: timedelta(days=1),
            nightly_evaluation.enqueue, at=lambda: parse_at(settings.WELLBEING_NIGHTLY_AT),
        ))

        # recruiting's accepted offer: a buddy (一帮一) for the new hire
        from zhiren.core.registries import onboarding_steps

        from .onboarding import pair_new_hire

        onboarding_steps.register("buddy", pair_new_hire, order=30)
