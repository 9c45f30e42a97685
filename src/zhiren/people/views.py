"""People pages. Thin: selectors read (scoped, audited), services write, 404 on anything not allowed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.core.versioning import StaleEdit
from zhiren.org import selectors as org
from zhiren.org.access import FieldGroup, load_access
from zhiren.org.models import Role

from . import selectors, services
from .forms import (
    BankEntryForm,
    CadenceForm,
    FollowUpForm,
    ImportantDateFormSet,
    LifeStageForm,
    ProfileForm,
    TalkForm,
    WebhookForm,
)
from .models import (
    DEFAULT_CADENCE_WEEKS,
    DEPOSIT_KINDS,
    DigestWebhook,
    FollowUp,
    LifeStage,
    TalkPrompt,
)


def _require_lead(request) -> None:
    if not selectors.is_lead(request.user):
        raise Http404


# --- profile ------------------------------------------------------------------


@login_required
def my_profile(request):
    access = load_access(request.user)
    if not access.own_agent_id:
        raise Http404
    return profile(request, access.own_agent_id)


@login_required
def profile(request, pk: int):
    agent = selectors.get_agent_for(request.user, pk, FieldGroup.PERSONAL)
    context = selectors.profile_page(request.user, agent, request=request)
    context["can_export"] = selectors.hr_covers(request.user, agent)
    return render(request, "people/profile.html", context)


@login_required
def profile_edit(request, pk: int):
    agent = selectors.get_agent_for(request.user, pk, FieldGroup.SENSITIVE)
    instance = selectors.profile_of(agent)
    form = ProfileForm(request.POST or None, instance=instance)
    dates = ImportantDateFormSet(request.POST or None, instance=agent, prefix="dates")
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        try:
            services.save_profile(request.user, agent, form.profile_data(), request=request,
                                  version=form.opened_version)
        except StaleEdit as exc:
            form.reject_stale(exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            dates.save()
            messages.success(request, _("Profile saved."))
            return redirect("people:profile", pk=agent.pk)
    return render(request, "people/profile_form.html", {"agent": agent, "form": form, "dates": dates})


@login_required
def life_stage(request, pk: int):
    agent = selectors.get_own_agent(request.user, pk)
    stage = selectors.life_stage_of(agent)
    initial = {}
    if stage is not None:
        initial = {name: getattr(stage, name) for name in stage.SENSITIVE_FIELDS}
    form = LifeStageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in LifeStage.SENSITIVE_FIELDS}
        services.save_life_stage(request.user, agent, data, consent=form.cleaned_data["consent"], request=request)
        messages.success(request, _("Your life-stage details are saved."))
        return redirect("people:profile", pk=agent.pk)
    return render(request, "people/life_stage_form.html", {"agent": agent, "form": form, "stage": stage})


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    agent = selectors.get_own_agent(request.user, pk)
    services.withdraw_consent(request.user, agent, request=request)
    messages.success(request, _("Consent withdrawn: your life-stage details have been erased."))
    return redirect("people:profile", pk=agent.pk)


@login_required
def export_json(request, pk: int):
    """Kept for old links: the export of all modules' data is the privacy module's (docs/privacy.md)."""
    return redirect(reverse("privacy:export_json", kwargs={"pk": pk}))


@login_required
def export_page(request, pk: int):
    """Kept for old links: the agent's data from every module is on the privacy page."""
    return redirect(reverse("privacy:export_page", kwargs={"pk": pk}))


# --- talks --------------------------------------------------------------------


@login_required
def talk_list(request):
    access = load_access(request.user)
    today = timezone.localdate()
    lead = selectors.is_lead(request.user)
    if not (lead or access.has_role(Role.HR) or access.own_agent_id):
        raise Http404
    talks = selectors.visible_talks(request.user).prefetch_related("participants__agent")[:50]
    context = {"talks": talks, "is_lead": lead, "today": today}
    if lead:
        agents = list(selectors.led_agents(request.user))
        statuses = selectors.talk_statuses(agents, today)
        teams = list(org.visible_teams(request.user).filter(pk__in={a.team_id for a in agents}))
        weeks = selectors.cadences([t.pk for t in teams])
        context.update(
            statuses=statuses,
            overdue=[s for s in statuses if s.status.is_overdue],
            groups=selectors.suggested_groups(agents, statuses, today),
            teams=[(t, weeks.get(t.pk, DEFAULT_CADENCE_WEEKS)) for t in teams],
        )
    return render(request, "people/talk_list.html", context)


@login_required
def talk_create(request):
    _require_lead(request)
    agents_qs = selectors.led_agents(request.user).filter(status="active")
    initial = {}
    preselect = request.GET.get("agents", "")
    if preselect:
        initial["agents"] = [int(x) for x in preselect.split(",") if x.isdigit()]
    form = TalkForm(request.POST or None, agents_qs=agents_qs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.record_talk(
                request.user, form.cleaned_data["agents"], form.cleaned_data["held_on"],
                form.cleaned_data["setting"], prompts=form.cleaned_data["prompts"],
                summary=form.cleaned_data["summary"], request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Talk recorded. Add your private notes and follow-ups."))
            return redirect("people:talk_detail", pk=talk.pk)
    return render(request, "people/talk_form.html", {"form": form, "prompts": TalkPrompt.choices})


@login_required
def talk_detail(request, pk: int):
    talk = selectors.get_talk(request.user, pk)
    is_lead = talk.lead_id == request.user.pk
    follow_form = None
    if is_lead:
        participants = list(talk.participants.select_related("agent"))
        follow_form = FollowUpForm(
            request.POST if request.POST.get("form") == "follow_up" else None, participants=participants
        )
        if request.method == "POST" and request.POST.get("form") == "notes":
            notes = {
                p.agent_id: request.POST.get(f"note_{p.agent_id}", p.private_note).strip() for p in participants
            }
            services.save_talk_notes(request.user, talk, notes, request.POST.get("summary", talk.summary).strip(),
                                     request=request)
            messages.success(request, _("Notes saved."))
            return redirect("people:talk_detail", pk=talk.pk)
        if request.method == "POST" and follow_form.is_bound and follow_form.is_valid():
            owner = follow_form.cleaned_data["owner"]
            try:
                services.add_follow_up(
                    request.user, talk, follow_form.cleaned_data["description"],
                    int(owner) if owner else None, follow_form.cleaned_data["due_on"],
                )
            except ValidationError as exc:
                follow_form.add_error("owner", exc)
            else:
                messages.success(request, _("Follow-up added."))
                return redirect("people:talk_detail", pk=talk.pk)
    elif request.method == "POST":
        raise Http404
    context = selectors.talk_page(request.user, talk, request=request)
    context.update(follow_form=follow_form, today=timezone.localdate())
    return render(request, "people/talk_detail.html", context)


@login_required
@require_POST
def follow_up_done(request, pk: int):
    follow_up = get_object_or_404(FollowUp.objects.select_related("talk"), pk=pk)
    try:
        services.complete_follow_up(request.user, follow_up)
    except PermissionError as exc:
        raise Http404 from exc
    messages.success(request, _("Follow-up done."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("people:talk_detail", pk=follow_up.talk_id)


@login_required
@require_POST
def cadence(request, pk: int):
    _require_lead(request)
    team = org.get_visible_team(request.user, pk)
    form = CadenceForm(request.POST)
    if form.is_valid():
        try:
            services.set_cadence(request.user, team, form.cleaned_data["weeks"])
        except PermissionError as exc:
            raise Http404 from exc
        messages.success(request, _("Talk cadence saved."))
    else:
        messages.error(request, _("Choose between 1 and 52 weeks."))
    return redirect("people:talk_list")


# --- emotional bank account ---------------------------------------------------


@login_required
def ledger_overview(request):
    _require_lead(request)
    today = timezone.localdate()
    agents = list(selectors.led_agents(request.user))
    context = selectors.ledger_overview(request.user, agents, today, request=request)
    return render(request, "people/ledger_overview.html", context)


@login_required
def ledger(request, pk: int):
    agent = selectors.get_agent_for(request.user, pk, FieldGroup.SENSITIVE)
    if selectors.is_self(request.user, agent):
        raise Http404  # the account is the lead's own discipline, not shown to the agent
    access = load_access(request.user)
    is_own_lead = selectors.leads_team(request.user, agent.team_id)
    if not is_own_lead and not access.has_role(Role.HR):
        raise Http404
    form = BankEntryForm(request.POST or None) if is_own_lead else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.record_entry(
                    request.user, agent, form.cleaned_data["kind"], form.cleaned_data["note"],
                    form.cleaned_data["weight"], occurred_on=form.cleaned_data["occurred_on"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("people:ledger", pk=agent.pk)
    context = selectors.ledger_page(request.user, agent, timezone.localdate(), request=request)
    context.update(form=form, deposit_kinds=sorted(DEPOSIT_KINDS))
    return render(request, "people/ledger.html", context)


# --- digest settings --------------------------------------------------------------


@login_required
def digest_settings(request):
    _require_lead(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_webhook(request.user, **form.cleaned_data)
        messages.success(request, _("Robot added."))
        return redirect("people:digest_settings")
    hooks = DigestWebhook.objects.filter(owner=request.user)
    return render(request, "people/digest_settings.html", {"form": form, "hooks": hooks})


@login_required
@require_POST
def webhook_delete(request, pk: int):
    _require_lead(request)
    hook = get_object_or_404(DigestWebhook, pk=pk, owner=request.user)
    services.remove_webhook(request.user, hook)
    messages.success(request, _("Robot removed."))
    return redirect("people:digest_settings")
