from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "zhiren.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.demo.loaders import register as register_demo
        from zhiren.org.models import Role

        from .demo import load as load_demo

        register(
            NavItem(_("Coaching"), "coaching:home", frozenset({Role.TEAM_LEAD, Role.HR}), icon="target", order=35),
            NavItem(_("My coaching"), "coaching:home", frozenset({Role.AGENT}), icon="target", order=7),
            NavItem(_("Recognition wall"), "coaching:wall", frozenset({Role.AGENT}), icon="star", order=8),
        )
        register_demo("coaching", load_demo, order=50)
