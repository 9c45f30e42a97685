from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "zhiren.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.demo.loaders import register as register_demo
        from zhiren.org.models import Role

        from .demo import load

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
        register_demo("workforce", load, order=70)
