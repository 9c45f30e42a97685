from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "zhiren.quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            AgentScores,
            ability_inputs,
            agent_scores,
            demo_loaders,
            kpi_sources,
        )
        from zhiren.org.models import Role

        from .demo import load as load_demo
        from .providers import qa_inputs, qa_kpi_source, qa_scores

        register(
            NavItem(_("Quality"), "quality:home",
                    frozenset({Role.QA, Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN}), icon="clipboard-check", order=36),
            NavItem(_("My quality results"), "quality:home", frozenset({Role.AGENT}), icon="clipboard-check", order=9),
        )
        ability_inputs.register("qa", qa_inputs, order=20)
        agent_scores.register("qa", AgentScores(qa_scores, _("QA score")), order=10)
        kpi_sources.register("qa", qa_kpi_source, order=10)
        demo_loaders.register("quality", load_demo, order=60)

        # the lead's workspace (leadership)
        from zhiren.core.registries import board_feeds, huddle_sources

        from . import workspace

        huddle_sources.register("quality", workspace.huddle_critical_fails, order=20)

        from zhiren.core.registries import team_facts


        team_facts.register("quality", workspace.team_facts, order=20)
        board_feeds.register("quality", workspace.board_disputes, order=30)

        # engagement's attrition risk
        from zhiren.core.registries import RiskSignal, risk_signals

        from .providers import qa_events

        risk_signals.register("qa", RiskSignal("qa", qa_events))
