from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "zhiren.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import ability_inputs, demo_loaders, personal_data
        from zhiren.org.models import Role

        from . import personal_data as mine
        from .demo import load as load_demo
        from .providers import kpi_inputs

        register(
            NavItem(_("Coaching"), "coaching:home", frozenset({Role.TEAM_LEAD, Role.HR}), icon="target", order=35),
            NavItem(_("My coaching"), "coaching:home", frozenset({Role.AGENT}), icon="target", order=7),
            NavItem(_("Recognition wall"), "coaching:wall", frozenset({Role.AGENT}), icon="star", order=8),
        )
        demo_loaders.register("coaching", load_demo, order=50)
        ability_inputs.register("kpi", kpi_inputs, order=10)
        personal_data.register("coaching", mine.SOURCE, order=50)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources

        from . import workspace

        huddle_sources.register("coaching", workspace.huddle_praise, order=25)

        from zhiren.core.registries import team_facts


        team_facts.register("coaching", workspace.team_facts, order=60)
        board_feeds.register("coaching", workspace.board_check_ins, order=35)
