"""Offboarding pages: the list and start, one agent's offboarding, the alumni list, the
attrition report. Thin: rules in ``services`` and ``rules``, reads in ``selectors``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record, record_reads
from zhiren.org.scoping import get_or_404

from ..items import BY_KEY, text
from ..models import LeavingReason, Rehire, Response
from ..services import EngagementError
from . import rules, selectors, services


def checklist_labels() -> dict[str, str]:
    return {
        "tickets": _("Open tickets and callbacks handed over"),
        "knowledge": _("Notes and know-how handed over"),
        "customers": _("Regular customers introduced to a colleague"),
        "equipment": _("Headset, badge and locker returned"),
        "accounts": _("System accounts closed"),
        "pay": _("Final pay and certificate of employment arranged"),
    }


@login_required
def offboarding_list(request):
    if not selectors.may_keep(request.user):
        raise Http404
    return render(
        request,
        "engagement/offboarding_list.html",
        {
            "items": list(selectors.visible_offboardings(request.user)[:100]),
            "candidates": list(selectors.candidates(request.user).select_related("team")),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def offboarding_start(request):
    agent = get_or_404(selectors.candidates(request.user), request.POST.get("agent"))
    last_day = parse_date(request.POST.get("last_day", "") or "")
    if last_day is None:
        messages.error(request, _("Give the last working day."))
        return redirect("engagement:offboarding_list")
    try:
        item = services.start(agent, last_day, user=request.user)
    except EngagementError as exc:
        messages.error(request, str(exc))
        return redirect("engagement:offboarding_list")
    return redirect("engagement:offboarding", item.pk)


@login_required
def offboarding(request, pk: int):
    item = get_or_404(selectors.visible_offboardings(request.user), pk)
    labels = checklist_labels()
    answers = []
    if item.exit_wave_id:
        language = get_language() or "zh-hans"
        sheet = Response.objects.filter(wave_id=item.exit_wave_id, agent_id=item.agent_id).first()
        if sheet is not None:
            answers = [
                (text(BY_KEY[k], language), v) for k, v in sheet.answers.items() if k in BY_KEY
            ]
    record(
        actor=request.user,
        action=AuditAction.READ,
        obj=item,
        fields=["conversation_notes", "exit_answers"],
        subject_agent_id=item.agent_id,
        request=request,
    )
    return render(
        request,
        "engagement/offboarding.html",
        {
            "item": item,
            "checklist": [(key, labels[key], item.checklist.get(key)) for key in rules.CHECKLIST],
            "reasons": LeavingReason.choices,
            "rehire_choices": Rehire.choices,
            "answers": answers,
            "exit_sent": bool(item.exit_wave_id),
            "exit_answered": bool(answers),
        },
    )


@login_required
@require_POST
def offboarding_update(request, pk: int):
    item = get_or_404(selectors.visible_offboardings(request.user), pk)
    post = request.POST
    step = post.get("do", "")
    try:
        if step == "conversation":
            services.record_conversation(
                item,
                user=request.user,
                held_on=parse_date(post.get("held_on", "") or "") or timezone.localdate(),
                main_reason=post.get("main_reason", ""),
                other_reasons=post.getlist("other_reasons"),
                notes=post.get("notes", ""),
            )
        elif step == "tick":
            services.tick(item, post.get("key", ""), post.get("done") == "1", user=request.user)
        elif step == "alumni":
            services.set_alumni(
                item,
                user=request.user,
                consent=post.get("consent") == "on",
                rehire=post.get("rehire", ""),
                note=post.get("note", ""),
            )
        elif step == "exit_survey":
            services.invite_to_exit_survey(item, user=request.user)
            messages.success(request, _("The exit survey was sent; it says it is identified."))
        elif step == "close":
            services.close(item, user=request.user)
            messages.success(request, _("Offboarding closed. Thank you for parting on good terms."))
        else:
            raise Http404
    except EngagementError as exc:
        messages.error(request, str(exc))
    return redirect("engagement:offboarding", item.pk)


@login_required
def alumni(request):
    if not selectors.covers_alumni(request.user):
        raise Http404
    rows = list(selectors.alumni(request.user))
    if rows:
        record_reads(
            actor=request.user,
            object_type="engagement.alumni",
            subject_agent_ids=[r.agent_id for r in rows],
            fields=["rehire"],
            request=request,
        )
    return render(request, "engagement/alumni.html", {"rows": rows})


@login_required
def attrition_report(request):
    if not selectors.may_read_report(request.user):
        raise Http404
    today = timezone.localdate()
    end = parse_date(request.GET.get("end", "") or "") or today
    start = parse_date(request.GET.get("start", "") or "") or end - dt.timedelta(days=365)
    if start > end:
        start, end = end, start
    return render(
        request,
        "engagement/attrition_report.html",
        {"report": selectors.attrition_report(request.user, start, end)},
    )
