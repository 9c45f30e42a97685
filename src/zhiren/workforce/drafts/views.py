"""Pages of roster drafts: the site's drafts, a draft with its progress, hand edits, publishing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiren.core.text import join_list

from ..dates import week_start
from ..models import Queue
from ..pages import errors, minute, violation_text
from ..scope import get_planner_site, planner_sites
from . import selectors, services
from .forms import DraftForm, ShiftEditForm


@login_required
@require_http_methods(["GET", "POST"])
def drafts(request, pk):
    site = get_planner_site(request.user, pk)
    form = DraftForm(
        request.POST or None,
        site=site,
        initial={"start": week_start(timezone.localdate()) + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            draft = services.start_roster(
                request.user, site, d["teams"], d["start"], d["weeks"], d["time_limit_s"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("workforce:draft_detail", pk=draft.pk)
    return render(
        request,
        "workforce/drafts.html",
        {
            "site": site,
            "sites": planner_sites(request.user),
            "form": form,
            "page": Paginator(selectors.site_drafts(request.user, site), 20).get_page(
                request.GET.get("page")
            ),
        },
    )


def _wish_text(wish: dict) -> str:
    """An unmet wish in the active language (the engine's English note for older drafts)."""
    params = wish.get("params")
    if not params:
        return wish.get("detail", "")
    if wish.get("kind") == "preferred_shift":
        return _("got %(got)s, wished %(wished)s") % {
            "got": params.get("got", ""),
            "wished": join_list(params.get("wished", [])),
        }
    return _("works %(got)s") % {"got": params.get("got", "")}


def _worded(draft) -> dict:
    """The stored summary with queue names for codes and the engine's notes in words."""
    result = dict(draft.result or {})
    names = dict(Queue.objects.filter(site=draft.site_id).values_list("code", "name"))
    result["worst"] = [{**w, "queue": names.get(w["queue"], w["queue"])} for w in result.get("worst", [])]
    result["wishes"] = [{**w, "detail": _wish_text(w)} for w in result.get("wishes", [])]
    result["violations"] = [
        {
            **v,
            "detail": violation_text(
                v["rule"],
                v.get("agent") or "",
                draft.start + timedelta(days=v["day"]) if v.get("day") is not None else None,
                v["params"],
            ),
        }
        if "params" in v
        else v
        for v in result.get("violations", [])
    ]
    return result


def _draft_context(draft, form=None):
    return {
        "draft": draft,
        "site": draft.site,
        **selectors.draft_grid(draft),
        "form": form or ShiftEditForm(initial={"version": draft.version}),
        "result": _worded(draft),
        "wish_kinds": {
            "preferred_shift": _("preferred shift"),
            "preferred_day_off": _("preferred day off"),
        },
    }


@login_required
@require_GET
def draft_detail(request, pk):
    draft = selectors.get_draft(request.user, pk)
    return render(request, "workforce/draft_detail.html", _draft_context(draft))


@login_required
@require_GET
def draft_progress(request, pk):
    draft = selectors.get_draft(request.user, pk)
    response = render(
        request,
        "workforce/_draft_progress.html",
        {"draft": draft, "progress": selectors.progress(draft, timezone.now())},
    )
    if not draft.is_working and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the finished draft
    return response


@login_required
@require_POST
def draft_edit(request, pk):
    draft = selectors.get_draft(request.user, pk)
    form = ShiftEditForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        agent = selectors.draft_agent(draft, d["agent"])
        if agent is None:
            form.add_error("agent", _("This agent is not in the draft's teams."))
        else:
            try:
                services.edit_draft_shift(
                    request.user,
                    draft,
                    d["version"],
                    agent,
                    d["day"],
                    d["template"] or None,
                    minute(d["start"]),
                )
            except services.StaleDraft as exc:
                form.add_error(None, str(exc))
                draft.refresh_from_db()
                return render(
                    request, "workforce/draft_detail.html", _draft_context(draft, form), status=409
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Shift saved and the roster re-checked."))
                return redirect("workforce:draft_detail", pk=draft.pk)
    return render(request, "workforce/draft_detail.html", _draft_context(draft, form))


@login_required
@require_POST
def draft_publish(request, pk):
    draft = selectors.get_draft(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        published = services.publish_draft(
            request.user, draft, version, request.POST.get("note", "")
        )
    except services.StaleDraft as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, errors(exc))
    else:
        messages.success(
            request, _("Published as schedule version %(n)d.") % {"n": published.number}
        )
    return redirect("workforce:draft_detail", pk=draft.pk)
