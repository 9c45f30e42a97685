from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "zhiren.wellbeing"
    verbose_name = _("Wellbeing")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.demo.loaders import register as register_demo
        from zhiren.org.models import Role

        from . import demo

        register(
            NavItem(_("My moods"), "wellbeing:my_moods", frozenset({Role.AGENT}), icon="mood-smile",
                    order=30),
            NavItem(_("Mood alerts"), "wellbeing:alert_list", frozenset({Role.TEAM_LEAD, Role.HR}),
                    icon="alert-triangle", order=35),
            NavItem(_("Mood board"), "wellbeing:board", frozenset(), icon="heart", order=40),
        )
        register_demo("wellbeing", demo.load, order=30)
