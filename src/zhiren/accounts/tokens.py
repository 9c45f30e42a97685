"""API tokens that expire: a leaked key stops working on its own."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(created) -> bool:
    return timezone.now() - created > settings.API_TOKEN_LIFETIME


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than ``API_TOKEN_LIFETIME``.

    An administrator revokes a token by deleting it (Django admin, *Auth Token*) and
    renews one by deleting it and creating a new one.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token.created):
            raise AuthenticationFailed(_("This API token has expired; ask an administrator for a new one."))
        return user, token
