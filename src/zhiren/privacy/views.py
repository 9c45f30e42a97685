"""Privacy pages. Thin: selectors read (scoped), services write and audit, 404 on anything not allowed."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.core.downloads import attach
from zhiren.core.text import join_list
from zhiren.org.scoping import own_agent_or_404

from . import selectors, services
from .forms import APPROVE, CorrectionForm, DecisionForm


@login_required
def my_data(request):
    return redirect("privacy:export_page", pk=own_agent_or_404(request.user).pk)


@login_required
def export_page(request, pk: int):
    agent = selectors.export_agent(request.user, pk)
    own = selectors.is_own(request.user, agent)
    export = services.export_data(request.user, agent, request=request)
    context = {
        "agent": agent,
        "is_self": own,
        "export": export,
        "tables": [_tables(source) for source in export["sources"]],
        "requests": list(selectors.own_requests(request.user).filter(agent=agent)) if own else [],
    }
    return render(request, "privacy/export.html", context)


def _cell(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return join_list(_cell(item) for item in value)
    return str(value)


def _tables(source: dict) -> dict:
    """A source of the export as tables of text, for the page."""
    sections = [
        {
            "label": section["label"],
            "note": section["note"],
            "headers": [field["label"] for field in section["fields"]],
            "rows": [[_cell(row[field["name"]]) for field in section["fields"]] for row in section["rows"]],
        }
        for section in source["sections"]
    ]
    return {"key": source["key"], "label": source["label"], "sections": sections}


@login_required
def export_json(request, pk: int):
    agent = selectors.export_agent(request.user, pk)
    data = services.export_data(request.user, agent, request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    return attach(response, f"zhiren-my-data-{agent.employee_no}.json")


@login_required
def correction_new(request, pk: int):
    agent = selectors.export_agent(request.user, pk)
    if not selectors.is_own(request.user, agent):
        raise Http404
    topics = selectors.topics()
    initial = {"topic": request.GET.get("topic", "")}
    form = CorrectionForm(request.POST or None, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_correction(
                request.user, agent, form.cleaned_data["topic"], form.cleaned_data["wrong"],
                form.cleaned_data["correct"], request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request is sent. You will see the decision on this page."))
            return redirect("privacy:export_page", pk=agent.pk)
    return render(request, "privacy/correction_form.html", {"agent": agent, "form": form})


@login_required
def corrections(request):
    deciding = selectors.may_decide_any(request.user)
    if not deciding and not selectors.is_agent(request.user):
        raise Http404
    own = list(selectors.own_requests(request.user))
    context = {"own": own, "deciding": deciding}
    if deciding:
        context["pending"] = list(selectors.pending_to_decide(request.user))
        context["decided"] = selectors.recently_decided(request.user)
    return render(request, "privacy/corrections.html", context)


@login_required
def correction_detail(request, pk: int):
    asked, can_decide = selectors.get_request(request.user, pk)
    form = None
    if can_decide and asked.is_pending:
        form = DecisionForm(can_apply=selectors.can_apply(asked))
    return render(request, "privacy/correction_detail.html", {"asked": asked, "form": form})


@login_required
@require_POST
def correction_decide(request, pk: int):
    asked, can_decide = selectors.get_request(request.user, pk)
    if not can_decide:
        raise Http404
    form = DecisionForm(request.POST, can_apply=selectors.can_apply(asked))
    if form.is_valid():
        try:
            services.decide(
                request.user, asked, approve=form.cleaned_data["decision"] == APPROVE,
                note=form.cleaned_data["note"], apply_change=form.cleaned_data.get("apply_change", False),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Decision saved; the agent sees it on their data page."))
            return redirect("privacy:corrections")
    return render(request, "privacy/correction_detail.html", {"asked": asked, "form": form}, status=200)
