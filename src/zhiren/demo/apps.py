from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "zhiren.demo"
    verbose_name = _("Demo centre")

    def ready(self) -> None:
        from zhiren.core.registries import demo_loaders

        from . import org_data

        demo_loaders.register("org", org_data.load, order=0)
