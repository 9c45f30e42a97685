from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "zhiren.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            HOME_LEAD,
            HomeCard,
            PeriodicJob,
            home_cards,
            periodic_jobs,
            personal_data,
        )
        from zhiren.org.models import Role

        from . import home, retention, sources
        from .tasks import purge_personal_data

        register(
            NavItem(_("My data"), "privacy:my_data", frozenset({Role.AGENT}), icon="file-text", order=9),
            NavItem(_("Correction requests"), "privacy:corrections", frozenset({Role.TEAM_LEAD, Role.HR}),
                    icon="edit", order=38),
        )
        personal_data.register("org", sources.SOURCE, order=0)
        retention.register_rules()
        periodic_jobs.register("purge", PeriodicJob(
            _("Purge personal data past its retention period"),
            lambda: timedelta(hours=settings.PURGE_EVERY_HOURS),
            purge_personal_data.enqueue,
        ))
        home_cards.register("privacy", HomeCard(HOME_LEAD, "privacy/_lead_home_card.html", home.lead_card), order=90)
