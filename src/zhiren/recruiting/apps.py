from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitingConfig(AppConfig):
    name = "zhiren.recruiting"
    verbose_name = _("Recruiting")

    def ready(self) -> None:
        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import demo_loaders, personal_data, retention_rules
        from zhiren.org.models import Role

        from . import personal_data as mine
        from .demo import load as load_demo

        register(
            NavItem(
                _("Recruiting"),
                "recruiting:home",
                frozenset({Role.HR, Role.SITE_MANAGER, Role.ADMIN}),
                icon="user-plus",
                order=38,
            ),
            NavItem(
                _("My interviews"),
                "recruiting:home",
                frozenset({Role.TEAM_LEAD, Role.QA, Role.TRAINER}),
                icon="user-plus",
                order=39,
            ),
        )
        personal_data.register("recruiting", mine.SOURCE, order=80)
        retention_rules.register("candidates", mine.RETENTION, order=80)
        demo_loaders.register("recruiting", load_demo, order=80)
