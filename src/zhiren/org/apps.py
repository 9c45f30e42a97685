from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "zhiren.org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register

        from .models import Role

        staff = frozenset(set(Role.values) - {Role.AGENT})
        register(
            NavItem(_("Teams"), "org:team_list", staff, icon="users-group", order=10),
            NavItem(_("Agents"), "org:agent_list", staff, icon="user", order=20),
            NavItem(
                _("My profile"), "org:my_profile", frozenset({Role.AGENT}), icon="id", order=5
            ),
        )
