from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "zhiren.org"
    verbose_name = _("Organisation")
    # Its pages are in the navigation through ``CoreConfig.ready``: org imports nothing above it.
