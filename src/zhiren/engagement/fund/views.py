"""The mutual-aid fund (互助会) pages. Thin: rules in ``services``, reads in ``selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.audit.services import record_reads
from zhiren.org.models import Agent

from ..services import EngagementError
from . import selectors, services


def _site(request, code: str | None):
    site = selectors.fund_sites(request.user).filter(code=code or "").first()
    if site is None:
        raise Http404
    return site


@login_required
def fund(request):
    """Per site: the totals for everyone; the grants (who, why) for the committee and HR,
    each beneficiary shown recorded as a read."""
    rows = []
    for site in selectors.fund_sites(request.user):
        row = {"site": site, "totals": selectors.totals(site), "keeper": False}
        if selectors.may_see_grants(request.user, site):
            grants = list(selectors.grants(site)[:100])
            record_reads(
                actor=request.user,
                object_type="engagement.fund_grant",
                subject_agent_ids=[g.beneficiary_id for g in grants if g.beneficiary_id],
                fields=["beneficiary", "amount", "reason"],
                purpose="mutual-aid fund grants",
                request=request,
            )
            row.update(
                keeper=True,
                grants=grants,
                contributions=list(selectors.contributions(site)[:50]),
                agents=list(
                    Agent.objects.filter(team__site=site, status="active").order_by("employee_no")
                ),
            )
        if selectors.may_seat(request.user, site):
            row["committee"] = list(selectors.committee(site))
            row["may_seat"] = True
        rows.append(row)
    if not rows:
        raise Http404
    return render(request, "engagement/fund.html", {"rows": rows, "today": timezone.localdate()})


@login_required
@require_POST
def fund_contribute(request):
    site = _site(request, request.POST.get("site"))
    try:
        services.contribute(
            site,
            user=request.user,
            day=parse_date(request.POST.get("day", "") or "") or timezone.localdate(),
            amount=request.POST.get("amount", ""),
            source=request.POST.get("source", ""),
        )
    except EngagementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Contribution recorded."))
    return redirect("engagement:fund")


@login_required
@require_POST
def fund_grant(request):
    site = _site(request, request.POST.get("site"))
    beneficiary = Agent.objects.filter(
        team__site=site, pk=request.POST.get("beneficiary") or 0
    ).first()
    try:
        if beneficiary is None:
            raise EngagementError(_("Choose who the grant is for."))
        services.grant(
            site,
            user=request.user,
            day=parse_date(request.POST.get("day", "") or "") or timezone.localdate(),
            amount=request.POST.get("amount", ""),
            beneficiary=beneficiary,
            reason=request.POST.get("reason", ""),
        )
    except EngagementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Grant recorded."))
    return redirect("engagement:fund")


@login_required
@require_POST
def fund_seat(request):
    site = _site(request, request.POST.get("site"))
    try:
        services.seat(site, user=request.user, username=request.POST.get("username", ""))
    except EngagementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Committee member seated."))
    return redirect("engagement:fund")
