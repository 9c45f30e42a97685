from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "zhiren.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            deferred,
            demo_loaders,
            nesting_outcomes,
            onboarding_steps,
            personal_data,
            queue_limits,
        )
        from zhiren.org.models import Role

        from .personal_data import SOURCE
        from .selectors import nesting_outcomes as outcomes
        from .selectors import nesting_queue_limits

        register(
            NavItem(
                _("Training"),
                "training:home",
                frozenset({Role.TRAINER, Role.TEAM_LEAD, Role.QA, Role.SITE_MANAGER, Role.ADMIN}),
                icon="school",
                order=37,
            ),
            NavItem(
                _("My training"), "training:home", frozenset({Role.AGENT}), icon="school", order=10
            ),
        )
        demo_loaders.register("training", deferred("zhiren.training.demo:load"), order=75)
        personal_data.register("training", SOURCE, order=70)
        queue_limits.register("nesting", nesting_queue_limits)

        # engagement's attrition risk
        from zhiren.core.registries import RiskSignal, risk_signals

        from .selectors import nesting_periods

        risk_signals.register("nesting", RiskSignal("nesting", nesting_periods))
        nesting_outcomes.register("training", outcomes)
        onboarding_steps.register("training", deferred("zhiren.training.services:onboarding_step"), order=20)

        # the lead's workspace (leadership): nesting agents' first live day at the 晨会
        from zhiren.core.registries import huddle_sources

        huddle_sources.register(
            "training", deferred("zhiren.training.workspace:huddle_first_live_day"), order=45
        )
