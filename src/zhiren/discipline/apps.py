from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "zhiren.discipline"
    verbose_name = _("Attendance and rules")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.demo.loaders import register as register_demo
        from zhiren.org.models import Role

        from . import demo

        register(
            NavItem(_("Rules"), "discipline:rules", frozenset(), icon="gavel", order=60),
            NavItem(_("Violations"), "discipline:queue",
                    frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR}), icon="flag", order=61),
        )
        register_demo("discipline", demo.load, order=80)
