"""Engagement pages: surveys (create, launch, answer, guarded results, export), action plans,
and the suggestion board with its public decision clock. Thin: rules live in ``services``,
reads in ``selectors``; every survey number comes from ``selectors.results``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.imports.exporting import neutralise
from zhiren.org.models import Agent, Channel
from zhiren.org.scoping import get_or_404, own_agent

from . import reminders, selectors, services
from .anonymity import FLOOR, Reason
from .items import BY_KEY, COMMENT_EN, COMMENT_ZH, ENPS_EN, ENPS_ZH, FACTOR_BY_KEY, text
from .models import ActionStatus, ItemSource, MemberBasis, SupervisionItem, SurveyKind, TenureBand
from .reliability import lowest


def reason_text(reason: Reason | None, minimum: int) -> str:
    """Why a number is hidden, in words (never an empty chart)."""
    texts = {
        Reason.BELOW_MINIMUM: _(
            "Fewer than %(n)s answers: hidden so that no one can be singled out."
        ),
        Reason.CONSECUTIVE_WAVES: _(
            "Hidden: fewer than %(n)s people joined or left since the last wave, so "
            "comparing the two would show their answers."
        ),
        Reason.REMAINDER: _(
            "Hidden: with the groups shown beside it, someone could work out the answers of "
            "fewer than %(n)s people (the total minus the others)."
        ),
        Reason.FILTER_REMAINDER: _(
            "Filter refused: the rest of this group outside the filter is fewer than "
            "%(n)s people, so the group minus the filter would show their answers."
        ),
        Reason.RECENT_QUERIES: _(
            "Hidden: compared with what you viewed earlier for this wave, it would single "
            "out fewer than %(n)s answers. It shows again once %(n)s more people answer."
        ),
    }
    return texts[reason] % {"n": minimum} if reason else ""


def _factor_label(key: str) -> str:
    return text(FACTOR_BY_KEY[key], get_language() or "zh-hans")


@login_required
def home(request):
    invitations = list(selectors.open_invitations(request.user))
    waves = list(selectors.visible_waves(request.user).order_by("-launched_at")[:20])
    surveys = list(selectors.visible_surveys(request.user).order_by("-created_at")[:20])
    return render(
        request,
        "engagement/home.html",
        {
            "invitations": invitations,
            "waves": waves,
            "surveys": surveys,
            "sites": list(selectors.runner_sites(request.user)),
            "kinds": SurveyKind.choices,
            "floor": FLOOR,
        },
    )


@login_required
@require_POST
def survey_create(request):
    site = selectors.runner_sites(request.user).filter(code=request.POST.get("site", "")).first()
    if site is None:
        raise Http404
    try:
        survey = services.create_survey(
            site,
            request.POST.get("kind", ""),
            request.POST.get("title", ""),
            user=request.user,
            min_scores=_int(request.POST.get("min_scores"), 5),
            min_comments=_int(request.POST.get("min_comments"), 10),
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
        return redirect("engagement:home")
    return redirect("engagement:survey", survey.pk)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def survey(request, pk: int):
    item = get_or_404(selectors.visible_surveys(request.user), pk)
    today = timezone.localdate()
    closes_on = today + dt.timedelta(days=6 if item.kind == "pulse" else 13)
    language = get_language() or "zh-hans"
    return render(
        request,
        "engagement/survey.html",
        {
            "survey": item,
            "waves": list(item.waves.order_by("-number")),
            "questions": [text(BY_KEY[k], language) for k in item.items],
            "opens_on": today,
            "closes_on": closes_on,
            "remind_after_days": reminders.halfway(today, closes_on),
            "trend": _trend(item, request.user) if item.kind == "pulse" else [],
        },
    )


def _trend(item, user) -> list[dict]:
    series = selectors.trend(item, user)
    for entry in series:
        for point in entry["points"]:
            point["why"] = reason_text(point["reason"], point["minimum"])
    return series


@login_required
@require_POST
def launch(request, pk: int):
    item = get_or_404(selectors.visible_surveys(request.user), pk)
    opens_on = parse_date(request.POST.get("opens_on", "")) or timezone.localdate()
    closes_on = parse_date(request.POST.get("closes_on", "")) or opens_on + dt.timedelta(days=6)
    plan = None  # a form without the reminder fields: the default plan
    if "reminders" in request.POST:
        after = request.POST.get("remind_after_days", "").strip()
        if after and not after.isdigit():
            messages.error(
                request,
                _("Remind after (days): “%(value)s” is not a whole number of days.")
                % {"value": after[:20]},
            )
            return redirect("engagement:survey", item.pk)
        plan = reminders.Plan(
            int(after) if after else None, bool(request.POST.get("remind_last_day"))
        )
    try:
        wave = services.launch(
            item, user=request.user, opens_on=opens_on, closes_on=closes_on, plan=plan
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
        return redirect("engagement:survey", item.pk)
    messages.success(request, _("Wave %(n)s launched.") % {"n": wave.number})
    return redirect("engagement:survey", item.pk)


@login_required
def answer(request, pk: int):
    invitation = selectors.open_invitations(request.user).filter(wave_id=pk).first()
    if invitation is None:
        raise Http404
    wave = invitation.wave
    if request.method == "POST":
        answers = {k: request.POST.get(k) for k in wave.items}
        try:
            services.submit_answer(
                wave,
                request.POST.get("token", ""),
                user=request.user,
                answers=answers,
                enps=request.POST.get("enps"),
                comment=request.POST.get("comment", ""),
            )
        except services.EngagementError as exc:
            messages.error(request, str(exc))
            return redirect("engagement:home")
        messages.success(request, _("Thank you. Your answer is stored without your name."))
        return redirect("engagement:home")
    language = get_language() or "zh-hans"
    zh = language.lower().startswith("zh")
    return render(
        request,
        "engagement/answer.html",
        {
            "invitation": invitation,
            "wave": wave,
            "identified": wave.survey.identified,
            "questions": [{"key": k, "text": text(BY_KEY[k], language)} for k in wave.items],
            "enps_text": ENPS_ZH if zh else ENPS_EN,
            "comment_text": COMMENT_ZH if zh else COMMENT_EN,
            "scale": range(1, 6),
            "enps_scale": range(0, 11),
        },
    )


def _wave(request, pk: int):
    return get_or_404(selectors.visible_waves(request.user), pk)


@login_required
def results(request, pk: int):
    wave = _wave(request, pk)
    field, value = request.GET.get("by", ""), request.GET.get("value", "")
    data = selectors.results(wave, request.user, field, value)
    rows = []
    for row in data.rows:
        cells = [{"factor": f, "score": row.scores.get(f)} for f in data.factors]
        rows.append(
            {
                "row": row,
                "cells": cells,
                "why": reason_text(row.verdict.reason, data.minimum),
                "comments_why": reason_text(row.comments_reason, data.comments_minimum),
                "delta": None
                if row.previous is None or row.index is None
                else row.index - row.previous,
                "lowest": [{"key": k, "label": _factor_label(k)} for k in lowest(row.scores)]
                if row.kind == "team" and row.shown
                else [],
            }
        )
    site_row = next((r for r in data.rows if r.kind == "site"), None)
    filters = [("tenure_band", v, label) for v, label in TenureBand.choices if v] + [
        ("channel", v, label) for v, label in Channel.choices
    ]
    may_plan = selectors.may_plan(request.user)
    return render(
        request,
        "engagement/results.html",
        {
            "wave": wave,
            "data": data,
            "rows": rows,
            "site_row": site_row,
            "factors": [{"key": f, "label": _factor_label(f)} for f in data.factors],
            "rates": selectors.response_rates(wave, request.user),
            "filters": filters,
            "filter_refused": [
                reason_text(r.verdict.reason, data.minimum) for r in data.filter_refused
            ],
            "actions": list(selectors.team_actions(wave, request.user)),
            "statuses": ActionStatus.choices,
            "may_plan": may_plan,
            "due_default": timezone.localdate() + dt.timedelta(days=30),
            "reminders": selectors.reminder_plan(wave),
            "may_remind": wave.is_open()
            and selectors.visible_surveys(request.user).filter(pk=wave.survey_id).exists(),
        },
    )


@login_required
def export(request, pk: int):
    """The same guarded table as the page, as CSV: a hidden cell is exported as its reason."""
    wave = _wave(request, pk)
    data = selectors.results(
        wave, request.user, request.GET.get("by", ""), request.GET.get("value", "")
    )
    lines = [
        [_("Group"), _("Filter"), _("Answers"), "eNPS", *[_factor_label(f) for f in data.factors]]
    ]
    for row in data.rows:
        flt = f"{data.filter_field}={data.filter_value}" if row.kind == "filter" else ""
        if row.shown:
            lines.append(
                [
                    row.label,
                    flt,
                    str(row.verdict.count),
                    _fmt(row.enps),
                    *[_fmt(row.scores[f]["mean"]) if f in row.scores else "" for f in data.factors],
                ]
            )
        else:
            lines.append([row.label, flt, "", "", reason_text(row.verdict.reason, data.minimum)])
    body = "\n".join(",".join(_csv(neutralise(v)) for v in line) for line in lines) + "\n"
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="engagement-wave-{wave.pk}.csv"'
    return response


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv(value: object) -> str:
    s = str(value)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


@login_required
@require_POST
def remind(request, pk: int):
    wave = _wave(request, pk)
    get_or_404(selectors.visible_surveys(request.user), wave.survey_id)
    try:
        count = services.remind(wave, user=request.user)
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s people reminded.") % {"n": count})
    return redirect("engagement:results", wave.pk)


@login_required
@require_POST
def action_add(request, pk: int):
    wave = _wave(request, pk)
    team = (
        selectors.plan_teams(request.user)
        .filter(site_id=wave.survey.site_id, code=request.POST.get("team", ""))
        .first()
    )
    if team is None:
        raise Http404
    owner = None
    if request.POST.get("owner"):
        owner = get_user_model().objects.filter(pk=_int(request.POST.get("owner"), 0)).first()
    try:
        services.add_action(
            wave,
            team,
            request.POST.get("factor", ""),
            request.POST.get("title", ""),
            user=request.user,
            owner=owner,
            due_on=parse_date(request.POST.get("due_on", "")) or timezone.localdate(),
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:results", wave.pk)


@login_required
@require_POST
def action_status(request, pk: int):
    item = get_or_404(selectors.plan_actions(request.user), pk)
    try:
        services.set_action_status(item, request.POST.get("status", ""), user=request.user)
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:results", item.wave_id)


@login_required
def suggestions(request):
    if request.method == "POST":
        try:
            services.submit_suggestion(
                user=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                anonymous=request.POST.get("anonymous") == "on",
            )
        except services.EngagementError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: your suggestion is on the board."))
        return redirect("engagement:suggestions")
    board = list(selectors.visible_suggestions(request.user)[:100])
    return render(
        request,
        "engagement/suggestions.html",
        {
            "board": board,
            "mine": list(selectors.own_suggestions(request.user)[:20]),
            "may_submit": selectors.may_submit(request.user),
            "stats": selectors.dashboard(request.user)["overall"],
        },
    )


@login_required
def suggestion(request, pk: int):
    item = get_or_404(selectors.visible_suggestions(request.user), pk)
    return render(
        request,
        "engagement/suggestion.html",
        {
            "item": item,
            "may_decide": selectors.may_decide(request.user, item),
        },
    )


@login_required
@require_POST
def suggestion_move(request, pk: int):
    item = get_or_404(selectors.visible_suggestions(request.user), pk)
    if not selectors.may_decide(request.user, item):
        raise Http404
    reward = request.POST.get("reward")
    try:
        services.move_suggestion(
            item,
            request.POST.get("status", ""),
            user=request.user,
            reason=request.POST.get("reason", ""),
            reward=_int(reward, 0) if reward not in (None, "") else None,
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:suggestion", item.pk)


@login_required
def dashboard(request):
    return render(request, "engagement/dashboard.html", {"data": selectors.dashboard(request.user)})


def _supervision_site(request):
    sites = selectors.supervision_sites(request.user)
    code = request.GET.get("site") or request.POST.get("site")
    site = sites.filter(code=code).first() if code else None
    if site is None:
        agent = own_agent(request.user)
        site = (
            sites.filter(pk=agent.team.site_id).first() if agent and agent.team else None
        ) or sites.first()
    if site is None:
        raise Http404
    return site


@login_required
def supervision(request):
    site = _supervision_site(request)
    today = timezone.localdate()
    return render(
        request,
        "engagement/supervision.html",
        {
            "site": site,
            "sites": list(selectors.supervision_sites(request.user)),
            "member": selectors.is_member(request.user, site),
            "runs": selectors.runs_site(request.user, site),
            "today": today,
            "bases": MemberBasis.choices,
            "sources": ItemSource.choices,
            "site_people": Agent.objects.filter(team__site=site, user__isnull=False).select_related(
                "user"
            )
            if selectors.runs_site(request.user, site)
            else [],
            **selectors.supervision_page(site, today),
        },
    )


@login_required
@require_POST
def supervision_member_add(request):
    site = _supervision_site(request)
    if not selectors.runs_site(request.user, site):
        raise Http404
    member = get_user_model().objects.filter(pk=_int(request.POST.get("user"), 0)).first()
    try:
        services.appoint_member(
            site,
            member,
            user=request.user,
            basis=request.POST.get("basis", ""),
            term_start=parse_date(request.POST.get("term_start", "")) or timezone.localdate(),
            term_end=parse_date(request.POST.get("term_end", "")),
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('engagement:supervision')}?site={site.code}")


@login_required
@require_POST
def supervision_item_add(request):
    site = _supervision_site(request)
    if not (selectors.is_member(request.user, site) or selectors.runs_site(request.user, site)):
        raise Http404
    linked = None
    if request.POST.get("suggestion"):
        linked = (
            selectors.visible_suggestions(request.user)
            .filter(pk=_int(request.POST.get("suggestion"), 0))
            .first()
        )
    try:
        services.raise_item(
            site,
            user=request.user,
            title=request.POST.get("title", ""),
            detail=request.POST.get("detail", ""),
            source=request.POST.get("source", "floor"),
            suggestion=linked,
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('engagement:supervision')}?site={site.code}")


@login_required
@require_POST
def supervision_item_move(request, pk: int):
    item = get_or_404(
        SupervisionItem.objects.filter(site__in=selectors.supervision_sites(request.user)), pk
    )
    if not (
        selectors.is_member(request.user, item.site) or selectors.runs_site(request.user, item.site)
    ):
        raise Http404
    owner = get_user_model().objects.filter(pk=_int(request.POST.get("owner"), 0)).first()
    try:
        services.move_item(
            item,
            request.POST.get("status", ""),
            user=request.user,
            owner=owner,
            due_on=parse_date(request.POST.get("due_on", "")),
            reason=request.POST.get("reason", ""),
        )
    except services.EngagementError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('engagement:supervision')}?site={item.site.code}")


@login_required
def supervision_report(request):
    site = _supervision_site(request)
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return render(
        request,
        "engagement/supervision_report.html",
        {
            "site": site,
            "year": year,
            "month": month,
            **selectors.month_report(site, year, month),
        },
    )
