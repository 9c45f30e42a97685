from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "zhiren.imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its import/export specs in an ``importers`` module.
        autodiscover_modules("importers")

        from zhiren.core.navigation import NavItem, register
        from zhiren.org.models import Role

        register(
            NavItem(
                label=_("Import / export"),
                url_name="imports:index",
                roles=frozenset({Role.HR, Role.SITE_MANAGER, Role.ADMIN}),
                order=90,
            )
        )
