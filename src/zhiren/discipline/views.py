"""Discipline pages. Thin: forms parse, services write, selectors read. Denial is a 404."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.core.versioning import StaleEdit
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Site
from zhiren.org.scoping import ANY_ROLE, covers_any, own_agent

from . import selectors, services
from .forms import (
    AnnounceForm,
    CorrectionForm,
    DecideForm,
    ExceptionForm,
    PolicyForm,
    RespondForm,
    RetireForm,
    RuleForm,
    ViolationForm,
)
from .models import AttendancePolicy, ClockEvent, Consequence, Rule

STANDING_FIELDS = ["violations", "exceptions", "attendance"]


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _page(request, items, per_page: int = 30):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _date_param(request, name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


# --- rules -------------------------------------------------------------------------------------


@login_required
def rules(request):
    today = timezone.localdate()
    agent = own_agent(request.user)
    rule_list = selectors.visible_rules(request.user)
    for rule in rule_list:
        rule.current_status = rule.status_on(today)
    standing = None
    if agent is not None and not covers_any(request.user, ANY_ROLE):
        standing = selectors.standing(agent, today)
    policy_sites = [site for site in Site.objects.filter(
        pk__in=selectors.manageable_teams(request.user, (Role.SITE_MANAGER, Role.ADMIN)).values("site_id")
    ).order_by("code") if services.may_set_policy(request.user, site)]
    return render(request, "discipline/rules.html", {
        "rules": rule_list, "standing": standing, "agent": agent, "today": today, "policy_sites": policy_sites,
        "may_write": selectors.manageable_teams(request.user).exists(),
        "in_grace": [r for r in rule_list if r.current_status == "grace"],
    })


def _rule_form(request, data=None, initial=None):
    teams = selectors.manageable_teams(request.user)
    sites = Site.objects.filter(pk__in=teams.values("site_id")).order_by("code")
    return RuleForm(data, initial=initial, teams_qs=teams, sites_qs=sites)


def _save_rule(request, form, rule=None):
    data = form.cleaned_data
    try:
        return services.save_rule(
            request.user, rule=rule, site=data["site"], teams=data["teams"], title=data["title"], text=data["text"],
            category=data["category"], kinds=data["kinds"], ladder=data["ladder"], window=data["window"],
            window_days=data["window_days"], free_per_window=data["free_per_window"],
            lates_per_absence=data["lates_per_absence"], grace_days=data["grace_days"],
            version=form.opened_version if rule is not None else None,
        )
    except StaleEdit as exc:
        form.reject_stale(exc, values=RuleForm.initial_from(exc.stored))
    except PermissionDenied:
        form.add_error("teams", _("Choose teams you lead or manage."))
    except ValidationError as exc:
        _errors(form, exc)
    return None


@login_required
def rule_create(request):
    if not selectors.manageable_teams(request.user).exists():
        raise Http404
    form = _rule_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rule = _save_rule(request, form)
        if rule is not None:
            messages.success(request, _("Rule drafted. Announce it when the team has been told."))
            return redirect("discipline:rule_detail", pk=rule.pk)
    return render(request, "discipline/rule_form.html", {"form": form, "rule": None})


def _managed_rule(request, pk) -> Rule:
    rule = selectors.get_visible_rule(request.user, pk)
    if not services.may_manage_rule(request.user, rule):
        raise Http404
    return rule


@login_required
def rule_edit(request, pk: int):
    rule = _managed_rule(request, pk)
    if rule.announced_on is not None:
        messages.info(request, _("An announced rule cannot be changed; retire it and draft a new one."))
        return redirect("discipline:rule_detail", pk=rule.pk)
    data = request.POST if request.method == "POST" else None
    form = _rule_form(request, data, initial=None if data is not None else RuleForm.initial_from(rule))
    if data is not None and form.is_valid() and _save_rule(request, form, rule) is not None:
        messages.success(request, _("Draft saved."))
        return redirect("discipline:rule_detail", pk=rule.pk)
    return render(request, "discipline/rule_form.html", {"form": form, "rule": rule})


@login_required
def rule_detail(request, pk: int, announce_form=None, retire_form=None, overlap=None):
    rule = selectors.get_visible_rule(request.user, pk)
    today = timezone.localdate()
    may_manage = services.may_manage_rule(request.user, rule)
    if may_manage and announce_form is None:
        announce_form = AnnounceForm(initial={"grace_days": rule.grace_days, "version": rule.version})
    if overlap is None and may_manage and rule.announced_on is None:
        overlap = services.rules_in_grace(rule, today)
    return render(request, "discipline/rule_detail.html", {
        "rule": rule, "status": rule.status_on(today), "may_manage": may_manage, "today": today,
        "announce_form": announce_form, "retire_form": retire_form or RetireForm(), "overlap": overlap,
        "teams": list(rule.teams.all()),
    })


@login_required
@require_POST
def rule_announce(request, pk: int):
    rule = _managed_rule(request, pk)
    form = AnnounceForm(request.POST)
    overlap = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.announce_rule(request.user, rule, on=data["on"], grace_days=data["grace_days"],
                                   announcement=data["announcement"],
                                   acknowledge_overlap=data["acknowledge_overlap"], version=form.opened_version)
        except StaleEdit as exc:
            form.reject_stale(exc)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "overlap":
                overlap = services.rules_in_grace(rule, data["on"])
            _errors(form, exc)
        else:
            messages.success(request, _("Rule announced. Violations are warnings until %(day)s.")
                             % {"day": rule.enforced_from.isoformat()})
            return redirect("discipline:rule_detail", pk=rule.pk)
    return rule_detail(request, pk, announce_form=form, overlap=overlap)


@login_required
@require_POST
def rule_retire(request, pk: int):
    rule = _managed_rule(request, pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.retire_rule(request.user, rule, on=form.cleaned_data["on"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Rule retired."))
            return redirect("discipline:rule_detail", pk=rule.pk)
    return rule_detail(request, pk, retire_form=form)


@login_required
@require_POST
def rule_delete(request, pk: int):
    rule = _managed_rule(request, pk)
    try:
        services.delete_draft(request.user, rule)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("discipline:rule_detail", pk=rule.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("discipline:rules")


# --- standing ----------------------------------------------------------------------------------


@login_required
def my_standing(request):
    agent = own_agent(request.user)
    if agent is None:
        raise Http404
    return _standing_page(request, agent, own=True)


@login_required
def agent_standing(request, pk: int):
    agent = selectors.get_discipline_agent(request.user, pk)
    return _standing_page(request, agent, own=agent.pk == load_access(request.user).own_agent_id)


def _standing_page(request, agent: Agent, *, own: bool):
    today = timezone.localdate()
    start = today - timedelta(days=30)
    days = selectors.attendance_days(agent, start, today)
    selectors.audit_read(request.user, [agent.pk], fields=STANDING_FIELDS, request=request)
    return render(request, "discipline/standing.html", {
        "agent": agent, "own": own, "today": today, "standing": selectors.standing(agent, today),
        "history": selectors.history(agent), "days": days, "summary": selectors.attendance_summary(days),
        "may_act": services.may_act_on(request.user, agent), "punches": selectors.recent_punches(agent),
    })


# --- violations --------------------------------------------------------------------------------


@login_required
def queue(request):
    if not selectors.may_read_any(request.user):
        raise Http404
    state = request.GET.get("state", "open")
    if state not in selectors.QUEUE_STATES:
        state = "open"
    page = _page(request, selectors.queue(request.user, state))
    selectors.audit_read(request.user, [v.agent_id for v in page], fields=["violations"], request=request)
    return render(request, "discipline/queue.html", {
        "page": page, "state": state, "states": selectors.QUEUE_STATES,
        "may_record": selectors.actable_agents(request.user).exists(),
    })


@login_required
def violation_detail(request, pk: int, respond_form=None, exception_form=None):
    violation = selectors.get_visible_violation(request.user, pk)
    selectors.audit_read(request.user, [violation.agent_id], fields=["violations"], request=request)
    may_act = services.may_act_on(request.user, violation.agent) and (
        load_access(request.user).own_agent_id != violation.agent_id
    )
    return render(request, "discipline/violation_detail.html", {
        "v": violation, "may_act": may_act, "exemption": getattr(violation, "exemption", None),
        "respond_form": respond_form or RespondForm(), "exception_form": exception_form or ExceptionForm(),
        "rule": violation.rule,
    })


def _actable_violation(request, pk):
    violation = selectors.get_visible_violation(request.user, pk)
    if not services.may_act_on(request.user, violation.agent) or (
        load_access(request.user).own_agent_id == violation.agent_id
    ):
        raise Http404
    return violation


@login_required
@require_POST
def violation_respond(request, pk: int):
    violation = _actable_violation(request, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.respond(request.user, violation, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Response recorded."))
            return redirect(request.POST.get("next") or "discipline:queue")
    return violation_detail(request, pk, respond_form=form)


@login_required
@require_POST
def violation_exempt(request, pk: int):
    violation = _actable_violation(request, pk)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.grant_exception(request.user, violation, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Exception granted. The site manager sees it in the consistency report."))
            return redirect("discipline:violation_detail", pk=violation.pk)
    return violation_detail(request, pk, exception_form=form)


@login_required
def violation_create(request):
    agents = selectors.actable_agents(request.user)
    if not agents.exists():
        raise Http404
    rules_qs = Rule.objects.filter(pk__in=[
        r.pk for r in selectors.staff_rules(request.user) if r.announced_on is not None and r.retired_on is None
    ])
    initial = {"agent": request.GET.get("agent")} if request.GET.get("agent") else None
    form = ViolationForm(request.POST if request.method == "POST" else None, initial=initial, agents_qs=agents, rules_qs=rules_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.record_violation(request.user, agent=data["agent"], rule=data["rule"],
                                                  day=data["day"], note=data["note"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Violation recorded: %(consequence)s.")
                             % {"consequence": Consequence(violation.consequence).label})
            return redirect("discipline:violation_detail", pk=violation.pk)
    return render(request, "discipline/violation_form.html", {"form": form})


# --- report ------------------------------------------------------------------------------------


@login_required
def report(request):
    if not selectors.may_read_any(request.user):
        raise Http404
    today = timezone.localdate()
    end = _date_param(request, "end", today)
    start = _date_param(request, "start", end - timedelta(days=89))
    if start > end:
        start, end = end, start
    teams = selectors.consistency_report(request.user, start, end)
    exceptions = list(selectors.exceptions(request.user, start, end)[:200])
    selectors.audit_read(
        request.user,
        {e.violation.agent_id for e in exceptions} | {a.agent_id for t in teams for a in t.report.leniency},
        fields=["exceptions"], request=request,
    )
    totals = {
        "violations": sum(t.report.violations for t in teams),
        "broken": sum(t.report.broken_window_count for t in teams),
        "exceptions": sum(t.report.exceptions for t in teams),
        "pending": sum(t.report.pending for t in teams),
    }
    return render(request, "discipline/report.html", {
        "teams": teams, "exceptions": exceptions, "start": start, "end": end, "totals": totals,
    })


# --- corrections -------------------------------------------------------------------------------


@login_required
def corrections(request):
    access = load_access(request.user)
    if not access.own_agent_id and not selectors.may_read_any(request.user):
        raise Http404
    state = "all" if request.GET.get("state") == "all" else "pending"
    agents = selectors.actable_agents(request.user)
    if access.own_agent_id:
        agents = (agents | Agent.objects.filter(pk=access.own_agent_id)).distinct()
    events = ClockEvent.objects.filter(agent__in=agents, at__gte=timezone.now() - timedelta(days=45), voided=False)
    form = CorrectionForm(request.POST if request.method == "POST" else None, agents_qs=agents, events_qs=events.order_by("-at"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_correction(request.user, agent=data["agent"], action=data["action"],
                                        reason=data["reason"], at=data["at"], kind=data["kind"],
                                        event=data["event"])
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Correction requested. It changes attendance once approved."))
            return redirect("discipline:corrections")
    page = _page(request, selectors.corrections(request.user, state))
    selectors.audit_read(request.user, [c.agent_id for c in page], fields=["attendance"], request=request)
    return render(request, "discipline/corrections.html", {
        "page": page, "form": form, "state": state, "decide_form": DecideForm(),
        "may_decide": selectors.may_manage_any(request.user), "own_agent_id": access.own_agent_id,
        "may_request": agents.exists(),
    })


@login_required
@require_POST
def correction_decide(request, pk: int):
    correction = selectors.get_visible_correction(request.user, pk)
    if not services.may_act_on(request.user, correction.agent):
        raise Http404
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_correction(request.user, correction, approve=form.cleaned_data["decision"] == "approve",
                                       note=form.cleaned_data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            messages.error(request, _("You cannot decide your own request."))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose approve or reject."))
    return redirect("discipline:corrections")


# --- site policy -------------------------------------------------------------------------------


@login_required
def site_policy(request, pk: int):
    site = Site.objects.filter(pk=pk).first()
    if site is None or not services.may_set_policy(request.user, site):
        raise Http404
    policy = AttendancePolicy.objects.filter(site=site).first() or AttendancePolicy(site=site)
    initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(request.user, site, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Attendance settings saved. They apply from the next evaluation."))
            return redirect("discipline:site_policy", pk=site.pk)
    return render(request, "discipline/site_policy.html", {"form": form, "site": site})
