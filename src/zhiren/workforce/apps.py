from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "zhiren.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            deferred,
            demo_loaders,
            hard_queue_feeds,
            holiday_feeds,
            personal_data,
            work_day_feeds,
        )
        from zhiren.org.models import Role

        from . import personal_data as mine

        register(
            NavItem(_("Schedule"), "workforce:home", frozenset(), icon="calendar", order=20),
            NavItem(
                _("Floor"),
                "workforce:floor",
                frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN}),
                icon="activity",
                order=21,
            ),
        )
        demo_loaders.register("workforce", deferred("zhiren.workforce.demo:load"), order=70)
        hard_queue_feeds.register("published schedules", deferred("zhiren.workforce.selectors:hard_queue_provider"))
        work_day_feeds.register("published schedules", deferred("zhiren.workforce.selectors:team_work_days"))
        holiday_feeds.register("holiday calendar", deferred("zhiren.workforce.planning.selectors:public_holidays"))
        personal_data.register("workforce", mine.SOURCE, order=30)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources, shift_start_feeds

        from . import workspace

        huddle_sources.register("workforce", workspace.huddle_staffing, order=50)
        huddle_sources.register(
            "workforce forecast",
            deferred("zhiren.workforce.ahead:huddle_staffing_forecast"),
            order=52,
        )
        huddle_sources.register(
            "workforce ahead", deferred("zhiren.workforce.ahead:huddle_ahead"), order=55
        )
        board_feeds.register("workforce", workspace.board_requests, order=50)
        shift_start_feeds.register("published schedules", workspace.team_shift_starts)
