from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "zhiren.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.demo.loaders import register as register_demo
        from zhiren.org.models import Role

        from .demo import load as load_demo

        lead = frozenset({Role.TEAM_LEAD})
        register(
            NavItem(_("Talks"), "people:talk_list", frozenset({Role.TEAM_LEAD, Role.HR}), icon="message", order=30),
            NavItem(_("Emotional account"), "people:ledger_overview", lead, icon="heart", order=31),
            NavItem(_("About me"), "people:my_profile", frozenset({Role.AGENT}), icon="heart", order=6),
        )
        register_demo("people", load_demo, order=20)
