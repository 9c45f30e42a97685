"""Writes of the mutual-aid fund: contributions and grants by its committee or HR; the site
manager seats the committee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from zhiren.org.access import AnyUser
from zhiren.org.models import Agent, Site

from ..models import FundCommitteeMember, FundContribution, FundGrant
from ..services import EngagementError
from . import selectors


def _amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise EngagementError(_("Give an amount in yuan, above zero.")) from exc
    if amount <= 0 or amount >= Decimal("100000000"):
        raise EngagementError(_("Give an amount in yuan, above zero."))
    return amount


def _keeper(user: AnyUser, site: Site) -> None:
    if not selectors.may_see_grants(user, site):
        raise EngagementError(_("Only the fund's committee and HR keep its books."))


def contribute(
    site: Site, *, user: AnyUser, day: dt.date, amount: object, source: str
) -> FundContribution:
    _keeper(user, site)
    if not source.strip():
        raise EngagementError(_("Say where the money came from."))
    return FundContribution.objects.create(
        site=site, day=day, amount=_amount(amount), source=source.strip()[:120], recorded_by=user
    )


@transaction.atomic
def grant(
    site: Site, *, user: AnyUser, day: dt.date, amount: object, beneficiary: Agent, reason: str
) -> FundGrant:
    """A grant to an agent of the site; it cannot exceed what the fund holds."""
    _keeper(user, site)
    if beneficiary.team is None or beneficiary.team.site_id != site.pk:
        raise EngagementError(_("The fund helps people of its own site."))
    if not reason.strip():
        raise EngagementError(_("A grant needs its reason."))
    value = _amount(amount)
    Site.objects.select_for_update().filter(pk=site.pk).first()  # one grant at a time per site
    if value > selectors.totals(site)["balance"]:
        raise EngagementError(_("The fund does not hold that much."))
    return FundGrant.objects.create(
        site=site,
        day=day,
        amount=value,
        beneficiary=beneficiary,
        reason=reason.strip(),
        recorded_by=user,
    )


def seat(site: Site, *, user: AnyUser, username: str) -> FundCommitteeMember:
    if not selectors.may_seat(user, site):
        raise EngagementError(_("Only the site's manager seats the fund's committee."))
    member = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if member is None:
        raise EngagementError(_("No active user with that login."))
    return FundCommitteeMember.objects.get_or_create(site=site, user=member)[0]
