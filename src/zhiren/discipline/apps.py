from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "zhiren.discipline"
    verbose_name = _("Attendance and rules")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
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
            NavItem(_("Rules"), "discipline:rules", frozenset(), icon="gavel", order=60),
            NavItem(_("Violations"), "discipline:queue",
                    frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR}), icon="flag", order=61),
        )
        demo_loaders.register("discipline", demo.load, order=80)
        home_cards.register("discipline", HomeCard(HOME_LEAD, "discipline/_lead_home_panel.html", home.lead_card), order=30)
        personal_data.register("discipline", mine.SOURCE, order=60)
        retention_rules.register("discipline", mine.RETENTION, order=40)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources

        from . import workspace

        huddle_sources.register("discipline", workspace.huddle_rule, order=40)

        from zhiren.core.registries import team_facts


        team_facts.register("discipline", workspace.team_facts, order=30)
        board_feeds.register("discipline", workspace.board_grace, order=40)

        # engagement's attrition risk
        from zhiren.core.registries import RiskSignal, risk_signals

        from . import risk

        risk_signals.register("absence", RiskSignal("absence", risk.absences))
        risk_signals.register("lateness", RiskSignal("lateness", risk.lateness))
