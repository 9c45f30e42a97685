"""Pages of leave and swap requests: lists with the agent's form, and the detail to decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhiren.org.access import load_access
from zhiren.org.scoping import own_agent_or_404

from ..models import RequestStatus
from ..pages import errors
from ..scope import may_approve
from . import selectors, services
from .forms import LeaveForm, SwapForm


@login_required
@require_http_methods(["GET", "POST"])
def leave_list(request):
    access = load_access(request.user)
    form = LeaveForm(request.POST or None)
    if request.method == "POST":
        agent = own_agent_or_404(request.user)
        if form.is_valid():
            try:
                services.request_leave(request.user, agent, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your leave request was sent to your team lead."))
                return redirect("workforce:leave_list")
    qs = selectors.visible_leave(request.user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/leave_list.html",
        {
            "form": form if access.own_agent_id else None,
            "page": page,
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_detail(request, pk):
    leave = selectors.get_leave(request.user, pk)
    may_decide = may_approve(request.user, leave.agent) and leave.status == RequestStatus.PENDING
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel" and leave.agent_id == load_access(request.user).own_agent_id:
            services.cancel_request(leave)
            return redirect("workforce:leave_list")
        if not may_decide or action not in ("approve", "refuse"):
            raise Http404
        try:
            services.decide_leave(
                request.user, leave, action == "approve", request.POST.get("note", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(
                request, errors(exc) if isinstance(exc, ValidationError) else _("Not allowed.")
            )
        else:
            messages.success(request, _("Decision saved."))
        return redirect("workforce:leave_detail", pk=leave.pk)
    impact = selectors.leave_impact(leave) if may_decide else []
    return render(
        request,
        "workforce/leave_detail.html",
        {"leave": leave, "impact": impact, "may_decide": may_decide},
    )


@login_required
@require_http_methods(["GET", "POST"])
def swap_list(request):
    access = load_access(request.user)
    form = None
    preview = None
    if access.own_agent_id:
        agent = own_agent_or_404(request.user)
        colleagues = selectors.colleagues(agent)
        form = SwapForm(request.POST or None, colleagues=colleagues)
        if request.method == "POST" and form.is_valid():
            chosen = form.cleaned_data["partner"]
            partner = next((a for a in colleagues if a.pk == chosen), None) if chosen else None
            if "preview" in request.POST:
                # what the lead's approval would meet, before anything is sent
                preview = services.preview_swap(agent, form.cleaned_data["day"], partner)
            else:
                try:
                    swap = services.request_swap(
                        request.user,
                        agent,
                        form.cleaned_data["day"],
                        partner,
                        form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Your swap request was sent."))
                    return redirect("workforce:swap_detail", pk=swap.pk)
    elif request.method == "POST":
        raise Http404
    qs = selectors.visible_swaps(request.user)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "workforce/swap_list.html", {"form": form, "page": page, "preview": preview}
    )


@login_required
@require_http_methods(["GET", "POST"])
def swap_detail(request, pk):
    swap = selectors.get_swap(request.user, pk)
    access = load_access(request.user)
    may_decide = (
        may_approve(request.user, swap.requester) and swap.status == RequestStatus.PENDING
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and access.own_agent_id:
                services.accept_swap(request.user, swap, own_agent_or_404(request.user))
            elif action == "cancel" and swap.requester_id == access.own_agent_id:
                services.cancel_request(swap)
            elif action in ("approve", "refuse") and may_decide:
                services.decide_swap(request.user, swap, action == "approve")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, errors(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("workforce:swap_detail", pk=swap.pk)
    shifts = selectors.swap_shifts(swap)
    # checked now, as the approval will: the schedule may have changed since the request
    checks = (
        services.swap_check_messages(swap)
        if swap.partner_id and swap.status == RequestStatus.PENDING
        else None
    )
    return render(
        request,
        "workforce/swap_detail.html",
        {
            "swap": swap,
            "checks": checks,
            "may_decide": may_decide,
            "shifts": shifts,
            "own_agent_id": access.own_agent_id,
            "mine": shifts.get(swap.requester_id),
            "theirs": shifts.get(swap.partner_id),
        },
    )
