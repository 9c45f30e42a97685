from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhiren.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from zhiren.org.models import Role

        from .navigation import NavItem, register

        # The foundation apps (org, imports, audit) sit below core and cannot import it:
        # core registers their pages. Feature apps register their own in their ``ready``.
        staff = frozenset(set(Role.values) - {Role.AGENT})
        register(
            NavItem(_("Home"), "core:home", frozenset(), icon="home", order=0),
            NavItem(_("Teams"), "org:team_list", staff, icon="users-group", order=10),
            NavItem(_("Agents"), "org:agent_list", staff, icon="user", order=20),
            NavItem(_("My profile"), "org:my_profile", frozenset({Role.AGENT}), icon="id", order=5),
            NavItem(
                label=_("Import / export"),
                url_name="imports:index",
                roles=frozenset({Role.HR, Role.SITE_MANAGER, Role.ADMIN}),
                order=90,
            ),
            NavItem(
                _("Audit log"), "audit:list", frozenset({Role.ADMIN}), icon="shield", order=900
            ),
            NavItem(_("API"), "api-docs", frozenset({Role.ADMIN}), icon="api", order=950),
        )
