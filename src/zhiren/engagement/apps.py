from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "zhiren.engagement"
    verbose_name = _("Engagement")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import demo_loaders, personal_data

        from .demo import load as load_demo
        from .personal_data import RETENTION, SOURCE
        from .teamlife import photo_files

        photo_files.connect()

        register(
            NavItem(_("Surveys"), "engagement:home", frozenset(), icon="messages", order=70),
            NavItem(_("Suggestions"), "engagement:suggestions", frozenset(), icon="bulb", order=71),
            NavItem(
                _("Suggestion dashboard"),
                "engagement:dashboard",
                frozenset(),
                icon="chart-bar",
                order=72,
            ),
        )
        from zhiren.org.models import Role

        register(
            NavItem(
                _("Leaving risk"),
                "engagement:risk",
                frozenset({Role.TEAM_LEAD, Role.HR}),
                icon="user-exclamation",
                order=73,
            ),
            NavItem(
                _("Offboarding"),
                "engagement:offboarding_list",
                frozenset({Role.TEAM_LEAD, Role.HR}),
                icon="door-exit",
                order=74,
            ),
            NavItem(
                _("Why people leave"),
                "engagement:attrition_report",
                frozenset({Role.HR, Role.SITE_MANAGER, Role.ADMIN}),
                icon="chart-pie",
                order=75,
            ),
            NavItem(_("Alumni"), "engagement:alumni", frozenset({Role.HR}), icon="users", order=76),
            NavItem(_("Team life"), "engagement:life", frozenset(), icon="confetti", order=77),
            NavItem(
                _("Mutual-aid fund"), "engagement:fund", frozenset(), icon="heart-handshake", order=78
            ),
        )
        from zhiren.core.registries import away_days, wall_feeds

        from .teamlife.selectors import competition_wall
        from .teamlife.services import away_days as swap_days

        away_days.register("engagement", swap_days)
        wall_feeds.register("engagement", competition_wall)

        # the lead's workspace (leadership): competition results, a risk rising (lead only)
        from zhiren.core.registries import deferred, huddle_sources

        huddle_sources.register(
            "engagement", deferred("zhiren.engagement.workspace:huddle_competitions"), order=35
        )
        huddle_sources.register(
            "engagement risk", deferred("zhiren.engagement.workspace:huddle_risk_rising"), order=60
        )
        demo_loaders.register("engagement", load_demo, order=90)

        # the attrition model is refitted in the background, never on a page read
        from datetime import timedelta

        from django.conf import settings

        from zhiren.core.periodic import parse_at
        from zhiren.core.registries import PeriodicJob, periodic_jobs

        from .reminder_tasks import send_survey_reminders
        from .tasks import refit_attrition_model

        periodic_jobs.register(
            "attrition_refit",
            PeriodicJob(
                _("Refit the attrition model when it is a month old"),
                lambda: timedelta(days=1),
                refit_attrition_model.enqueue,
            ),
        )
        # the surveys' automatic reminders (halfway, last day), once a day at a working hour
        periodic_jobs.register(
            "survey_reminders",
            PeriodicJob(
                _("Send the surveys' planned reminders"),
                lambda: timedelta(days=1),
                send_survey_reminders.enqueue,
                at=lambda: parse_at(settings.SURVEY_REMINDERS_AT),
            ),
        )
        personal_data.register("engagement", SOURCE, order=90)
        from zhiren.core.registries import retention_rules

        retention_rules.register("event_photos", RETENTION, order=50)
