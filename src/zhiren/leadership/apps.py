from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    name = "zhiren.leadership"
    verbose_name = _("Team lead's workspace")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            HOME_AGENT,
            HOME_LEAD,
            HOME_OVERVIEW,
            HomeCard,
            PeriodicJob,
            demo_loaders,
            home_cards,
            periodic_jobs,
            personal_data,
        )
        from zhiren.org.models import Role

        from . import demo, home, tasks
        from .personal_data import SOURCE

        register(
            NavItem(
                _("Huddles"),
                "leadership:huddles",
                frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN}),
                icon="speakerphone",
                order=5,
            ),
            NavItem(
                _("Four-quadrant board"),
                "leadership:board",
                frozenset({Role.TEAM_LEAD}),
                icon="layout-grid",
                order=6,
            ),
        )
        register(
            NavItem(
                _("Requests for instructions"),
                "leadership:requests",
                frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER}),
                icon="file-text",
                order=7,
            ),
            NavItem(
                _("Reports"),
                "leadership:reports",
                frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER}),
                icon="report",
                order=8,
            ),
            NavItem(
                _("My growth"),
                "leadership:growth",
                frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER}),
                icon="compass",
                order=9,
            ),
        )
        home_cards.register(
            "leadership",
            HomeCard(HOME_LEAD, "leadership/_lead_home_card.html", home.lead_card),
            order=0,
        )
        home_cards.register(
            "leadership manager",
            HomeCard(HOME_OVERVIEW, "leadership/_manager_home_card.html", home.manager_card),
            order=0,
        )
        home_cards.register(
            "leadership agent",
            HomeCard(HOME_AGENT, "leadership/_agent_home_card.html", home.agent_card),
            order=0,
        )
        periodic_jobs.register(
            "huddles",
            PeriodicJob(
                _("Prepare the coming huddles"),
                lambda: timedelta(minutes=15),
                tasks.plan_huddles.enqueue,
            ),
        )
        demo_loaders.register("leadership", demo.load, order=95)
        personal_data.register("leadership", SOURCE, order=95)
