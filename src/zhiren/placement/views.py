"""Placement pages. Thin: selectors read (and 404 on denial), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.core.versioning import StaleEdit
from zhiren.org.access import load_access

from . import reasons, selectors, services
from .forms import KnowHowForm, PickForm, PositionForm, RoleForm, TraitsForm, WishesForm
from .models import KnowHowKind, RoleProfile, RunStatus


def _today():
    return timezone.localdate()


def _posted(request):
    return request.POST if request.method == "POST" else None


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


# --- fit ----------------------------------------------------------------------------------------


@login_required
def fit_matrix(request):
    selectors.require(request.user, *selectors.FIT_ROLES)
    team_id = _int(request.GET.get("team"))
    sort = request.GET.get("sort", "")
    data = selectors.fit_matrix(request.user, _today(), team_id=team_id, sort_role=sort)
    role_map = {r.code: r for r in data["roles"]}
    page = Paginator(data["rows"], 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cells = [
            {"fit": f, "summary": reasons.summary(f, role_map), "best": f.role == row.best} for f in row.fits
        ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "placement/fit_matrix.html", {
        **data,
        "page": page,
        "teams": selectors.fit_teams(request.user),
        "filters": {"team": team_id, "sort": sort},
        "querystring": params.urlencode(),
        "providers": selectors.inputs.providers(),
        "can_plan": selectors.can(request.user, *selectors.PLANNER_ROLES),
        "can_pick": selectors.can(request.user, *selectors.PICK_ROLES),
        "can_report": selectors.can(request.user, *selectors.REPORT_ROLES),
    })


@login_required
def agent_fit(request, pk: int):
    agent = selectors.get_fit_agent(request.user, pk)
    roles = selectors.role_catalogue()
    role_map = {r.code: r for r in roles}
    rows = [(role, f, reasons.worded(f, role_map)) for role, f in selectors.agent_fit(agent, _today())]
    traits = selectors.traits_of(agent)
    return render(request, "placement/agent_fit.html", {
        "agent": agent,
        "rows": rows,
        "traits_form": TraitsForm(initial={"traits": traits.traits if traits else []}),
        "traits_known": traits is not None,
        "wishes_form": WishesForm(roles=roles, wishes=selectors.wishes_of(agent)),
    })


@login_required
@require_POST
def agent_traits(request, pk: int):
    agent = selectors.get_fit_agent(request.user, pk)
    form = TraitsForm(request.POST)
    if form.is_valid():
        services.set_traits(request.user, agent, form.cleaned_data["traits"], request=request)
        messages.success(request, _("Traits saved."))
    return redirect("placement:agent_fit", pk=agent.pk)


def _save_wishes(request, agent, form) -> None:
    for role, stance, note in form.wishes():
        services.set_wish(request.user, agent, role, stance, note, request=request)


@login_required
@require_POST
def agent_wishes(request, pk: int):
    agent = selectors.get_fit_agent(request.user, pk)
    form = WishesForm(request.POST, roles=selectors.role_catalogue(), wishes=selectors.wishes_of(agent))
    if form.is_valid():
        _save_wishes(request, agent, form)
        messages.success(request, _("Wishes saved."))
    return redirect("placement:agent_fit", pk=agent.pk)


@login_required
def my_wishes(request):
    access = load_access(request.user)
    if not access.own_agent_id:
        raise Http404
    agent = selectors.org.get_visible_agent(request.user, access.own_agent_id)
    roles = selectors.role_catalogue()
    form = WishesForm(_posted(request), roles=roles, wishes=selectors.wishes_of(agent))
    if request.method == "POST" and form.is_valid():
        _save_wishes(request, agent, form)
        messages.success(request, _("Thank you — your wishes are saved. Your lead will see them."))
        return redirect("placement:my_wishes")
    return render(request, "placement/my_wishes.html", {"agent": agent, "form": form})


# --- catalogue ------------------------------------------------------------------------------------


@login_required
def role_list(request):
    selectors.require(request.user, *selectors.STAFF_ROLES)
    return render(request, "placement/role_list.html", {
        "roles": selectors.role_catalogue(include_inactive=True),
        "can_edit": selectors.can(request.user, *selectors.CATALOGUE_EDIT_ROLES),
    })


@login_required
def role_edit(request, pk: int):
    selectors.require(request.user, *selectors.CATALOGUE_EDIT_ROLES)
    role = selectors.get_role(pk)
    form = RoleForm(_posted(request), instance=selectors.get_role(pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_role(request.user, role, form.cleaned_data, request=request,
                                 version=form.opened_version)
        except StaleEdit as exc:
            form.reject_stale(exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role saved."))
            return redirect("placement:role_list")
    return render(request, "placement/role_form.html", {"role": role, "form": form})


# --- positions and assignments ------------------------------------------------------------------------


def _site(request):
    sites = list(selectors.planner_sites(request.user))
    if not sites:
        raise Http404
    wanted = _int(request.POST.get("site") or request.GET.get("site"))
    if wanted is None:
        return sites[0], sites
    return selectors.get_planner_site(request.user, wanted), sites


@login_required
def positions(request):
    selectors.require(request.user, *selectors.PLANNER_ROLES)
    site, sites = _site(request)
    form = PositionForm(_posted(request), site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.open_position(request.user, site, data["role"], data["capacity"], team=data["team"],
                               title=data["title"], request=request)
        messages.success(request, _("Position opened."))
        return redirect(f"{request.path}?site={site.pk}")
    open_positions = selectors.site_positions(site)
    return render(request, "placement/positions.html", {
        "site": site,
        "sites": sites,
        "form": form,
        "positions": open_positions,
        "seats": sum(p.capacity for p in open_positions),
        "candidates": len(selectors.site_candidates(site)),
        "blocked": selectors.blocked_pairs(site, open_positions),
        "runs": selectors.visible_runs(request.user).filter(site=site)[:10],
    })


@login_required
@require_POST
def position_close(request, pk: int):
    selectors.require(request.user, *selectors.PLANNER_ROLES)
    position = selectors.get_position(request.user, pk)
    services.close_position(request.user, position, request=request)
    messages.success(request, _("Position closed."))
    return redirect(f"{reverse('placement:positions')}?site={position.site_id}")


@login_required
@require_POST
def run_create(request):
    selectors.require(request.user, *selectors.PLANNER_ROLES)
    site, _sites = _site(request)
    overrides = {}
    for key, value in request.POST.items():
        if key.startswith("override_") and value.strip():
            agent_id, _sep, role_id = key.removeprefix("override_").partition("_")
            if agent_id.isdigit() and role_id.isdigit():
                overrides[int(agent_id), int(role_id)] = value
    run = services.run_assignment(request.user, site, _today(), overrides, request=request)
    return redirect("placement:run_detail", pk=run.pk)


@login_required
def run_detail(request, pk: int):
    selectors.require(request.user, *selectors.PLANNER_ROLES)
    run = selectors.get_run(request.user, pk)
    moves = selectors.run_moves(run)
    positions = {}
    for move in moves:
        positions.setdefault(move.position, []).append(move)
    return render(request, "placement/run_detail.html", {
        "run": run,
        "by_position": [(p, ms, p.capacity - len(ms)) for p, ms in positions.items()],
        "moves": moves,
        "ratio": (run.total_fit / run.greedy_total) if run.greedy_total else None,
        "applied": run.status == RunStatus.APPLIED,
    })


@login_required
@require_POST
def run_apply(request, pk: int):
    selectors.require(request.user, *selectors.PLANNER_ROLES)
    run = selectors.get_run(request.user, pk)
    try:
        count = services.apply_run(request.user, run, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assignment applied: %(n)s agents placed.") % {"n": count})
    return redirect("placement:run_detail", pk=run.pk)


# --- picks and the favoritism report -----------------------------------------------------------------


@login_required
def pick(request):
    selectors.require(request.user, *selectors.PICK_ROLES)
    candidates = selectors.pick_candidates(request.user)
    form = PickForm(
        _posted(request),
        initial={"role": request.GET.get("role"), "agent": request.GET.get("agent")},
        candidates=candidates,
        positions=selectors.pick_positions(request.user),
        teams=selectors.fit_teams(request.user, selectors.PICK_ROLES),
    )
    check = ranked = None
    role = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = data["role"]
        try:
            services.pick(
                request.user, data["agent"], role, list(candidates), _today(), kind=data["kind"],
                position=data["position"], to_team=data["to_team"], justification=data["justification"],
                request=request,
            )
        except services.JustificationRequired as exc:
            check = exc.check
            form.add_error("justification", exc)
        else:
            messages.success(request, _("Your choice is recorded."))
            return redirect("placement:fit_matrix")
    else:
        role = RoleProfile.objects.filter(pk=_int(request.GET.get("role")), is_active=True).first()
    if role is not None:
        fits = selectors.fits_for_agents(list(candidates), [role], _today())
        role_map = {role.code: role}
        ranked = sorted(
            ((a, fits[a.pk][role.code]) for a in candidates),
            key=lambda af: (af[1].score is None, -(af[1].score or 0), af[0].pk),
        )
        ranked = [(i + 1, a, f, reasons.summary(f, role_map)) for i, (a, f) in enumerate(ranked)]
    return render(request, "placement/pick.html", {
        "form": form, "check": check, "ranked": ranked, "role": role, "top_n": selectors.top_n(),
    })


@login_required
def report(request):
    selectors.require(request.user, *selectors.REPORT_ROLES)
    flagged_only = request.GET.get("flagged") == "1"
    return render(request, "placement/report.html", {
        **selectors.favoritism_report(request.user, flagged_only=flagged_only),
        "flagged_only": flagged_only,
        "top_n": selectors.top_n(),
    })


# --- know-how -------------------------------------------------------------------------------------------


@login_required
def know_how_list(request):
    role_id = _int(request.GET.get("role"))
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.visible_know_how(request.user, role_id, q), 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "placement/know_how_list.html", {
        "page": page,
        "roles": selectors.role_catalogue(),
        "filters": {"role": role_id, "q": q},
        "querystring": params.urlencode(),
        "kinds": dict(KnowHowKind.choices),
        "can_write": selectors.can(request.user, *selectors.KNOW_HOW_WRITE_ROLES),
    })


@login_required
def know_how_create(request):
    selectors.require(request.user, *selectors.KNOW_HOW_WRITE_ROLES)
    form = KnowHowForm(
        _posted(request),
        initial={"role": request.GET.get("role"), "author": request.GET.get("author")},
        authors=selectors.know_how_authors(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = services.record_know_how(
            request.user, role=data["role"], title=data["title"], body=data["body"], kind=data["kind"],
            author=data["author"], situation=data["situation"], request=request,
        )
        messages.success(request, _("Know-how saved for newcomers."))
        return redirect("placement:know_how_detail", pk=item.pk)
    return render(request, "placement/know_how_form.html", {"form": form})


@login_required
def know_how_detail(request, pk: int):
    item = selectors.get_know_how(request.user, pk)
    return render(request, "placement/know_how_detail.html", {
        "item": item,
        "more": selectors.know_how_for_role(item.role.code).exclude(pk=item.pk)[:5],
    })
