from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "zhiren.performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import demo_loaders, personal_data
        from zhiren.org.models import Role

        from . import personal_data as mine
        from .demo import load

        staff = frozenset(set(Role.values) - {Role.AGENT})
        register(
            NavItem(_("Performance"), "performance:home", staff, icon="chart-line", order=30),
            NavItem(_("My performance"), "performance:mine", frozenset({Role.AGENT}), icon="chart-line", order=6),
            NavItem(_("Goals"), "performance:goals", frozenset(), icon="target", order=32),
            NavItem(_("Appraisals"), "performance:cycles", frozenset(), icon="clipboard-check", order=34),
        )
        demo_loaders.register("performance", load, order=40)
        personal_data.register("performance", mine.SOURCE, order=40)

        # the lead's workspace (leadership)
        from zhiren.core.registries import huddle_sources

        from . import workspace

        huddle_sources.register("performance", workspace.huddle_numbers, order=10)
        huddle_sources.register("performance goals", workspace.huddle_goals_at_risk, order=12)

        from zhiren.core.registries import team_facts


        team_facts.register("performance", workspace.team_facts, order=10)
