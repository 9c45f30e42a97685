"""What the people module shows on the home pages (``core.registries.home_cards``)."""

from __future__ import annotations

from django.utils import timezone

from .selectors import lead_home_panels


def lead_card(request) -> dict:
    """This week's talks and the emotional account's nudges, for a team lead."""
    return {"people_panels": lead_home_panels(request.user, timezone.localdate(), request=request)}
