from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "zhiren.placement"
    verbose_name = _("Placement")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import demo_loaders, personal_data
        from zhiren.org.models import Role

        from . import demo, inputs
        from . import personal_data as mine

        inputs.register_defaults()
        fit_roles = frozenset({Role.TEAM_LEAD, Role.SITE_MANAGER, Role.HR, Role.ADMIN})
        register(
            NavItem(_("Placement"), "placement:fit_matrix", fit_roles, icon="arrows-exchange", order=36),
            NavItem(_("Know-how"), "placement:know_how_list", frozenset(), icon="bulb", order=37),
            NavItem(_("My role wishes"), "placement:my_wishes", frozenset({Role.AGENT}), icon="compass", order=7),
        )
        demo_loaders.register("placement", demo.load, order=60)
        personal_data.register("placement", mine.SOURCE, order=70)
