from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitingConfig(AppConfig):
    name = "zhiren.recruiting"
    verbose_name = _("Recruiting")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from zhiren.core.navigation import NavItem, register
        from zhiren.core.registries import (
            PeriodicJob,
            demo_loaders,
            periodic_jobs,
            personal_data,
            retention_rules,
        )
        from zhiren.org.models import Role

        from . import figures
        from . import personal_data as mine
        from .demo import load as load_demo
        from .tasks import refresh_hire_figures

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
        periodic_jobs.register(
            "hire_figures",
            PeriodicJob(
                _("Refresh the hires' figures for the channel report"),
                lambda: timedelta(hours=settings.HIRE_FIGURES_EVERY_HOURS),
                refresh_hire_figures.enqueue,
            ),
        )
        figures.connect()
