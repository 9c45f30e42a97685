from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "zhiren.imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its import/export specs in an ``importers`` module (this app's
        # own holds the agent roster's). Its page is in the navigation through ``CoreConfig``.
        autodiscover_modules("importers")
