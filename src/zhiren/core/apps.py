from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhiren.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from zhiren.org.models import Role

        from .navigation import NavItem, register

        register(
            NavItem(_("Home"), "core:home", frozenset(), icon="home", order=0),
            NavItem(
                _("Audit log"), "audit:list", frozenset({Role.ADMIN}), icon="shield", order=900
            ),
            NavItem(_("API"), "api-docs", frozenset({Role.ADMIN}), icon="api", order=950),
        )
