"""Reads of the mutual-aid fund (互助会): totals for everyone at the site; grants (who and
why) for the site's fund committee and HR only."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum

from zhiren.org.access import AnyUser
from zhiren.org.models import Role, Site, Team

from ..models import FundCommitteeMember, FundContribution, FundGrant
from ..selectors import runs_site, suggestion_sites

DETAIL_ROLES = (Role.HR,)  # besides the site's committee


def fund_sites(user: AnyUser) -> QuerySet[Site]:
    """Everyone at a site sees its fund's totals."""
    return suggestion_sites(user).order_by("code")


def on_committee(user: AnyUser, site: Site) -> bool:
    return FundCommitteeMember.objects.filter(site=site, user_id=getattr(user, "pk", None)).exists()


def may_see_grants(user: AnyUser, site: Site) -> bool:
    """The site's fund committee and HR covering the site: beneficiaries and reasons."""
    return on_committee(user, site) or (
        Team.objects.visible_to(user, DETAIL_ROLES).filter(site_id=site.pk).exists()
    )


def may_seat(user: AnyUser, site: Site) -> bool:
    return runs_site(user, site)


def totals(site: Site) -> dict[str, Decimal]:
    contributed = FundContribution.objects.filter(site=site).aggregate(s=Sum("amount"))["s"]
    granted = FundGrant.objects.filter(site=site).aggregate(s=Sum("amount"))["s"]
    contributed, granted = contributed or Decimal(0), granted or Decimal(0)
    return {"contributed": contributed, "granted": granted, "balance": contributed - granted}


def grants(site: Site) -> QuerySet[FundGrant]:
    """Sensitive: call only after ``may_see_grants``, and audit the read."""
    return FundGrant.objects.filter(site=site).select_related("beneficiary", "recorded_by")


def contributions(site: Site) -> QuerySet[FundContribution]:
    return FundContribution.objects.filter(site=site)


def committee(site: Site) -> QuerySet[FundCommitteeMember]:
    return FundCommitteeMember.objects.filter(site=site).select_related("user")
