"""API tokens that expire: a leaked key stops working on its own."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token


def token_expired(created: datetime) -> bool:
    lifetime: timedelta = settings.API_TOKEN_LIFETIME
    return timezone.now() - created > lifetime


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than ``API_TOKEN_LIFETIME``.

    An administrator revokes a token by deleting it (Django admin, *Auth Token*) and
    renews one by deleting it and creating a new one.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token.created):
            raise AuthenticationFailed(_("This API token has expired; ask an administrator for a new one."))
        return user, token
