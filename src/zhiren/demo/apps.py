from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "zhiren.demo"
    verbose_name = _("Demo centre")

    def ready(self) -> None:
        from . import org_data
        from .loaders import register

        register("org", org_data.load, order=0)
