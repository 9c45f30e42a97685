from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhiren.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from .forms import LockoutAdminAuthenticationForm

        admin.site.login_form = LockoutAdminAuthenticationForm
