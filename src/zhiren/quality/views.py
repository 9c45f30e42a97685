"""Quality pages: the home (queue, review, own results), scoring beside the transcript,
an evaluation with its history and disputes, and the dispute actions."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.coaching.models import ImprovementPlan, PlanStatus
from zhiren.core.downloads import attach
from zhiren.core.text import join_list
from zhiren.core.versioning import StaleEdit
from zhiren.imports.exporting import neutralise, write_export
from zhiren.org.access import load_access
from zhiren.org.scoping import coverage, get_or_404
from zhiren.performance.models import Interaction

from . import calibration as calibration_results
from . import reports as quality_reports
from . import selectors, services, transcripts
from .forms import KIND_LABELS, PhraseListForm, TranscriptRuleForm, rule_error_message
from .models import (
    CalibrationSession,
    DisputeStatus,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    PhraseList,
    Sample,
    SamplingPlan,
    Scorecard,
    Transcript,
    TranscriptRule,
)
from .providers import pass_rate_code
from .rules import RuleError
from .scoring import NA, card_from_definition, passed


def answer_label(answer) -> str:
    """An answer as shown: yes / no / N/A in the page's language, numbers as they are."""
    labels = {"yes": _("Yes"), "no": _("No"), NA: _("N/A")}
    if isinstance(answer, str):
        return labels.get(answer, answer)
    return "" if answer is None else str(answer)


def form_sections(definition: dict, suggested: dict | None = None) -> list[dict]:
    """The scorecard's sections for the form: each criterion with its choices and any suggested answer."""
    suggested = suggested or {}
    sections = []
    for section in definition.get("sections", []):
        criteria = []
        for c in section.get("criteria", []):
            scale = c.get("scale", "yes_no")
            choices = [("yes", _("Yes")), ("no", _("No"))] if scale == "yes_no" else [
                (str(n), str(n)) for n in range(1, 6)]
            if c.get("na_allowed"):
                choices.append((NA, _("N/A")))
            hint = suggested.get(c["key"])
            criteria.append({**c, "scale": scale, "choices": choices, "suggested": hint,
                             "suggested_label": answer_label(hint["answer"]) if hint else ""})
        sections.append({**section, "criteria": criteria})
    return sections


LEVELS = {"nominal": _lazy("nominal"), "ordinal": _lazy("ordinal"), "interval": _lazy("interval")}

LOW_SCORE = 70  # below it (or a failed critical criterion) the page offers a BID feedback draft
TOP_SCORE = 95  # at or above it, a BIA praise draft


@login_required
def home(request):
    user = request.user
    evaluations = selectors.visible_evaluations(user).exclude(kind=EvaluationKind.CALIBRATION)
    lead = services.is_qa_lead(user)
    today = timezone.localdate()
    plans = list(SamplingPlan.objects.visible_to(user, (*selectors.QA_ROLES,), via="team")
                 .select_related("team").order_by("team__name")) if lead else []
    context = {
        "queue": selectors.queue(user),
        "self_queue": selectors.self_queue(user),
        "to_review": list(evaluations.filter(status=EvaluationStatus.SUBMITTED).order_by("submitted_at")[:50])
        if lead else [],
        "released": list(evaluations.filter(status=EvaluationStatus.RELEASED).order_by("-day", "-pk")[:50]),
        "coverage": [(plan, rows) for plan, rows in zip(plans, selectors.coverage(user, plans, today).values(),
                                                         strict=True)],
        "disputes": list(selectors.visible_disputes(user).exclude(
            status__in=(DisputeStatus.ACCEPTED, DisputeStatus.UPHELD, DisputeStatus.OVERTURNED))[:50]),
        "is_lead": lead,
        "sessions": (sessions := visible_sessions(user)[:20]),
        "alignment_history": calibration_results.alignment_history(user, sessions),
        "my_hits": list(selectors.visible_hits(user).filter(agent_id=load_access(user).own_agent_id)
                        .order_by("-day", "-pk")[:20]) if load_access(user).own_agent_id else [],
        "can_report": load_access(user).has_role(*REPORT_ROLES),
        "can_import": load_access(user).has_role(*services.INSPECTOR_ROLES, *services.LEAD_ROLES),
        "scorecards": list(Scorecard.objects.filter(active=True, site_id__in=_lead_sites(user, Scorecard))
                           .order_by("site_id", "channel", "name")) if lead else [],
    }
    return render(request, "quality/home.html", context)


def _lead_sites(user, model) -> set[int]:
    """The sites (among those with rows of ``model``) whose QA lead the user is: a query or two per site."""
    site_ids = model.objects.order_by().values_list("site_id", flat=True).distinct()
    return {site_id for site_id in site_ids if services.is_qa_lead_of_site(user, site_id)}


def visible_sessions(user):
    """Calibration sessions: all of the QA lead's sites; an inspector's own, once closed (blind until then)."""
    sessions = CalibrationSession.objects.select_related("version__scorecard").order_by("-held_on", "-pk")
    lead_sites = _lead_sites(user, CalibrationSession)
    return list((sessions.filter(inspectors=user, closed=True) | sessions.filter(site_id__in=lead_sites)).distinct())


@login_required
def calibration(request, pk: int):
    session = next((s for s in visible_sessions(request.user) if s.pk == pk), None)
    if session is None:
        raise Http404
    found = calibration_results.results(session)
    if not services.is_qa_lead_of_site(request.user, session.site_id):  # an inspector: their own alignment only
        found["alignment"] = [row for row in found["alignment"] if row["inspector_id"] == request.user.pk]
    for row in found["criteria"]:
        row["level_label"] = LEVELS.get(row["level"], row["level"])
    return render(request, "quality/calibration.html", {"session": session, "results": found})


def _interaction_for_scoring(request, pk: int) -> Interaction:
    interaction = get_or_404(Interaction.objects.visible_to(request.user, services.INSPECTOR_ROLES, via="team")
                             .select_related("agent", "team", "team__site"), pk)
    if interaction.agent_id is None:
        raise Http404
    return interaction


@login_required
def score(request, pk: int):
    """Score a contact beside its transcript (the open of the transcript is audit-logged)."""
    interaction = _interaction_for_scoring(request, pk)
    sample = Sample.objects.filter(interaction=interaction).select_related("plan__scorecard").first()
    scorecard = sample.plan.scorecard if sample else (
        Scorecard.objects.filter(site_id=interaction.team.site_id, channel=interaction.channel, active=True).first())
    version = scorecard.current() if scorecard else None
    if version is None:
        raise Http404
    errors = []
    if request.method == "POST":
        raw = {}
        for key in services.criteria_of(version):
            raw[key] = {"answer": request.POST.get(f"answer-{key}", ""),
                        "comment": request.POST.get(f"comment-{key}", "")}
        try:
            seconds = _seconds_since(request.POST.get("opened", ""))
            evaluation = services.submit_evaluation(interaction, version, raw, user=request.user,
                                                    seconds_spent=seconds, sample=sample)
        except (ValidationError, ValueError) as exc:
            errors = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect("quality:evaluation", pk=evaluation.pk)
    own_view = (Evaluation.objects.filter(interaction=interaction, kind=EvaluationKind.SELF).first()
                if sample and sample.plan.self_evaluation else None)
    transcript = getattr(interaction, "transcript", None)
    turns = services.open_transcript(transcript, user=request.user, request=request) if transcript else []
    hits = list(transcript.hits.select_related("rule")) if transcript else []
    hit_turns = {h.turn_id for h in hits if h.turn_id}
    return render(request, "quality/score.html", {
        "interaction": interaction, "version": version, "definition": version.definition,
        "sections": form_sections(version.definition, services.suggestions(transcript) if transcript else {}),
        "turns": turns, "hits": hits, "hit_turns": hit_turns, "errors": errors, "own_view": own_view,
        "opened": signing.dumps(timezone.now().timestamp(), salt=OPENED_SALT),
    })


OPENED_SALT = "quality.score.opened"
MAX_SECONDS = 4 * 3600  # a form left open longer than this counts as 4 hours


def _seconds_since(token: str) -> int:
    """Time spent scoring: from when the form was opened (a signed time in the form) to now."""
    try:
        opened = float(signing.loads(token, salt=OPENED_SALT, max_age=MAX_SECONDS * 6))
    except (signing.BadSignature, TypeError, ValueError):
        return 0
    return max(0, min(MAX_SECONDS, int(timezone.now().timestamp() - opened)))


def _evaluation(request, pk: int):
    return get_or_404(selectors.visible_evaluations(request.user), pk)


def coaching_offers(evaluation) -> dict[str, str]:
    """Links to coaching's feedback form, pre-filled: BID after a low score or a critical failure, BIA after a top one."""
    if evaluation.score is None or evaluation.kind != EvaluationKind.INSPECTION:
        return {}
    url = reverse("coaching:feedback_create", args=[evaluation.agent_id])
    ref = evaluation.interaction.external_id
    criteria = services.criteria_of(evaluation.version)
    if evaluation.critical_failed or evaluation.score < LOW_SCORE:
        card = {c.key: c for _s, c in card_from_definition(evaluation.version.definition).criteria()}
        failed = [criteria[key].get("label", key) for key, entry in evaluation.answers.items()
                  if key in card and card[key].critical and entry.get("answer") not in (NA, None)
                  and card[key].fraction(entry.get("answer")) == 0]
        behavior = _("QA %(contact)s scored %(score)s.") % {"contact": ref, "score": evaluation.score}
        if failed:
            behavior += " " + _("Critical criteria failed: %(names)s.") % {"names": join_list(failed)}
        return {"bid": f"{url}?{urlencode({'kind': 'bid', 'interaction': ref, 'behavior': behavior})}"}
    if evaluation.score >= TOP_SCORE:
        behavior = _("QA %(contact)s scored %(score)s.") % {"contact": ref, "score": evaluation.score}
        return {"bia": f"{url}?{urlencode({'kind': 'bia', 'interaction': ref, 'behavior': behavior})}"}
    return {}


def plan_goal_offers(evaluation) -> dict[str, str]:
    """For each failed criterion (critical or low: ``scoring.passed``), a link to coaching with a
    goal on that criterion's pass rate, baseline and target filled: added to the agent's active
    improvement plan, or starting one."""
    if evaluation.kind != EvaluationKind.INSPECTION:
        return {}
    active = ImprovementPlan.objects.filter(agent_id=evaluation.agent_id, status=PlanStatus.ACTIVE).first()
    url = (reverse("coaching:plan_goal_add", args=[active.pk]) if active
           else reverse("coaching:plan_create", args=[evaluation.agent_id]))
    card = {c.key: c for _s, c in card_from_definition(evaluation.version.definition).criteria()}
    return {key: f"{url}?{urlencode({'kpi': pass_rate_code(key)})}" for key, entry in evaluation.answers.items()
            if key in card and isinstance(entry, dict) and passed(card[key], entry.get("answer")) is False}


@login_required
def evaluation(request, pk: int):
    item = _evaluation(request, pk)
    user = request.user
    criteria = services.criteria_of(item.version)
    rows = [{"key": key, "label": c.get("label", key), "scale": c.get("scale"), "critical": c.get("critical"),
             **item.answers.get(key, {}), "shown": answer_label(item.answers.get(key, {}).get("answer"))}
            for key, c in criteria.items()]
    disputes = list(item.disputes.all())
    for d in disputes:  # the criterion's label, not its key
        d.criterion_label = criteria.get(d.criterion_key, {}).get("label", d.criterion_key)
    access = load_access(user)
    plan_goals = plan_goal_offers(item) if access.has_role("team_lead") else {}
    for row in rows:
        row["plan_goal"] = plan_goals.get(row["key"])
    closes = services.dispute_closes(item)
    # the transcript for the roles that score or coach (never the agent); each open is audit-logged
    transcript = Transcript.objects.filter(interaction_id=item.interaction_id).first()
    turns = (services.open_transcript(transcript, user=user, request=request)
             if transcript and coverage(user, selectors.TRANSCRIPT_ROLES).covers(item.team_id) else [])
    return render(request, "quality/evaluation.html", {
        "evaluation": item, "rows": rows, "changes": list(item.changes.select_related("changed_by")),
        "disputes": disputes, "closes": closes,
        "may_dispute": item.status == EvaluationStatus.RELEASED and item.kind == EvaluationKind.INSPECTION
        and services.speaks_for(user, item)
        and not any(d.status in (DisputeStatus.OPEN, DisputeStatus.ESCALATED) for d in disputes),
        "may_release": item.status == EvaluationStatus.SUBMITTED and services.is_qa_lead(user, item.team_id),
        "is_inspector": item.inspector_id == access.user_id,
        "is_lead": services.is_qa_lead(user, item.team_id),
        "speaks_for": services.speaks_for(user, item),
        "offers": coaching_offers(item) if access.has_role("team_lead") else {},
        "turns": turns,
    })


def _changes(request) -> dict:
    key = request.POST.get("criterion", "")
    answer = request.POST.get("answer", "").strip()
    # the answer may be typed as the page shows it (是 / 否 / 不适用, Yes / No / N/A)
    typed = {str(_("Yes")).lower(): "yes", str(_("No")).lower(): "no", str(_("N/A")).lower(): NA}
    answer = typed.get(answer.lower(), answer)
    return {key: answer} if key and answer != "" else {}


def _act(request, pk_redirect: int, action):
    try:
        action()
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("quality:evaluation", pk=pk_redirect)


@login_required
@require_POST
def release(request, pk: int):
    item = _evaluation(request, pk)
    if not services.is_qa_lead(request.user, item.team_id):
        raise Http404
    return _act(request, item.pk, lambda: services.release(item, user=request.user))


@login_required
@require_POST
def dispute(request, pk: int):
    item = _evaluation(request, pk)
    if not services.speaks_for(request.user, item):
        raise Http404
    return _act(request, item.pk, lambda: services.raise_dispute(
        item, user=request.user, comment=request.POST.get("comment", ""),
        criterion_key=request.POST.get("criterion", "")))


def _dispute(request, pk: int):
    return get_or_404(selectors.visible_disputes(request.user), pk)


@login_required
@require_POST
def dispute_reply(request, pk: int):
    item = _dispute(request, pk)
    if item.evaluation.inspector_id != request.user.pk and not services.is_qa_lead(request.user, item.evaluation.team_id):
        raise Http404
    return _act(request, item.evaluation_id, lambda: services.reply_dispute(
        item, user=request.user, outcome=request.POST.get("outcome", ""), reply=request.POST.get("reply", ""),
        changes=_changes(request)))


@login_required
@require_POST
def dispute_escalate(request, pk: int):
    item = _dispute(request, pk)
    if not services.speaks_for(request.user, item.evaluation):
        raise Http404
    return _act(request, item.evaluation_id, lambda: services.escalate_dispute(
        item, user=request.user, comment=request.POST.get("comment", "")))


@login_required
@require_POST
def dispute_rule(request, pk: int):
    item = _dispute(request, pk)
    if not services.is_qa_lead(request.user, item.evaluation.team_id):
        raise Http404
    return _act(request, item.evaluation_id, lambda: services.rule_dispute(
        item, user=request.user, overturn=request.POST.get("overturn") == "on", ruling=request.POST.get("ruling", ""),
        changes=_changes(request)))




REPORT_ROLES = (*selectors.QA_ROLES, "team_lead")


def _period(request) -> tuple:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today - dt.timedelta(days=27)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


def _may_report(user) -> None:
    if not load_access(user).has_role(*REPORT_ROLES):
        raise Http404


@login_required
def reports(request):
    _may_report(request.user)
    start, end = _period(request)
    data = quality_reports.report(request.user, start, end)
    trend = {
        "color": ["#206bc4"], "tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 16, "top": 24, "bottom": 32},
        "xAxis": {"type": "category", "data": [row["week"].isoformat() for row in data["trend"]]},
        "yAxis": {"type": "value", "scale": True},
        "series": [{"name": _("QA score"), "type": "line", "smooth": True,
                    "data": [round(row["average"], 1) for row in data["trend"]]}],
    }
    return render(request, "quality/reports.html", {"data": data, "start": start, "end": end,
                                                    "charts": {"chart-qa-trend": trend}})


@login_required
def export(request):
    _may_report(request.user)
    start, end = _period(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    rows = quality_reports.export_rows(request.user, start, end)
    buffer = io.BytesIO()
    write_export(fmt, quality_reports.EXPORT_HEADERS, ([neutralise(v) for v in row] for row in rows), buffer,
                 title="QA")
    record(actor=request.user, action=AuditAction.EXPORT, object_type="quality.evaluation",
           fields=quality_reports.EXPORT_HEADERS, request=request)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                    else "text/csv; charset=utf-8")
    return attach(HttpResponse(buffer.getvalue(), content_type=content_type),
                  f"zhiren-qa-{start.isoformat()}-{end.isoformat()}.{fmt}")


def _may_import(user) -> None:
    if not load_access(user).has_role(*services.INSPECTOR_ROLES, *services.LEAD_ROLES):
        raise Http404


MAX_UPLOAD_BYTES = 20 * 2**20


@login_required
def import_transcripts(request):
    """Upload a transcript file (CSV, XLSX, JSON lines); a dry run first, nothing written on any error."""
    _may_import(request.user)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
        elif upload.size > MAX_UPLOAD_BYTES:
            messages.error(request, _("The file is too large."))
        else:
            result = transcripts.import_transcripts(upload.read(), upload.name, user=request.user,
                                                    dry_run=request.POST.get("dry_run") == "on")
            if not result.errors and request.POST.get("dry_run") != "on":
                messages.success(request, _("%(n)d transcripts imported.") % {"n": result.transcripts})
                return redirect("quality:import_transcripts")
    return render(request, "quality/import.html", {"result": result})


def _lead_scorecard(request, pk: int) -> Scorecard:
    card = get_or_404(Scorecard.objects.all(), pk)
    if not services.is_qa_lead_of_site(request.user, card.site_id):
        raise Http404
    return card


@login_required
def scorecard(request, pk: int):
    """The QA lead publishes a new version (JSON definition); evaluations keep the version they used."""
    card = _lead_scorecard(request, pk)
    current = card.current()
    text = json.dumps(current.definition if current else {"sections": []}, ensure_ascii=False, indent=2)
    errors = []
    if request.method == "POST":
        text = request.POST.get("definition", "")
        try:
            definition = json.loads(text)
            if not isinstance(definition, dict):
                raise ValueError(_("The definition is a JSON object."))
            services.publish_version(card, definition, user=request.user)
        except (ValueError, ValidationError) as exc:
            errors = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, _("New scorecard version published."))
            return redirect("quality:scorecard", pk=card.pk)
    versions = list(card.versions.annotate(used=Count("evaluations")).order_by("-number"))
    return render(request, "quality/scorecard.html", {"card": card, "versions": versions, "text": text,
                                                      "errors": errors})


@login_required
def self_evaluate(request, pk: int):
    """The agent scores their own drawn contact first (plans with self-evaluation); no transcript shown."""
    sample = get_or_404(Sample.objects.visible_to(request.user, (), own=True)
                        .filter(plan__self_evaluation=True).select_related("interaction", "plan__scorecard"), pk)
    version = sample.plan.scorecard.current()
    if version is None:
        raise Http404
    errors = []
    if request.method == "POST":
        raw = {key: {"answer": request.POST.get(f"answer-{key}", ""), "comment": request.POST.get(f"comment-{key}", "")}
               for key in services.criteria_of(version)}
        try:
            services.submit_evaluation(sample.interaction, version, raw, user=request.user, sample=sample,
                                       kind=EvaluationKind.SELF, seconds_spent=_seconds_since(request.POST.get("opened", "")))
        except (ValidationError, PermissionDenied) as exc:
            errors = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect("quality:home")
    return render(request, "quality/self_evaluate.html", {
        "sample": sample, "interaction": sample.interaction, "sections": form_sections(version.definition),
        "errors": errors,
        "opened": signing.dumps(timezone.now().timestamp(), salt=OPENED_SALT)})


# --- transcript rules and phrase lists (the site's QA lead) ------------------------------------


def _rule_sites(request) -> list:
    sites = services.lead_sites(request.user)
    if not sites:
        raise Http404
    return sites


@login_required
def rules(request):
    """The rules and phrase lists of the sites the user is QA lead of."""
    site_ids = [s.pk for s in _rule_sites(request)]
    rule_list = list(TranscriptRule.objects.filter(site_id__in=site_ids).select_related("site")
                     .order_by("site__code", "-active", "name"))
    for rule in rule_list:
        rule.kind_label = KIND_LABELS.get(rule.kind, rule.kind)
    phrase_lists = list(PhraseList.objects.filter(site_id__in=site_ids).select_related("site")
                        .order_by("site__code", "-active", "name"))
    return render(request, "quality/rules.html", {"rules": rule_list, "phrase_lists": phrase_lists,
                                                  "many_sites": len(site_ids) > 1})


def _save_edit(request, form, save) -> bool:
    """Save a valid rule or phrase-list form through ``save``; False (errors on the form) when refused."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.apply(), user=request.user, opened_at=form.opened_version, fields=form.changed_fields(),
             request=request)
    except RuleError as exc:
        if isinstance(form, TranscriptRuleForm):
            form.add_rule_error(exc)
        else:
            form.add_error(None, rule_error_message(exc, name_rule=True))
        return False
    except StaleEdit as exc:
        form.reject_stale(exc, values=form.stored_values(exc.stored))
        return False
    return True


@login_required
def rule_edit(request, pk: int | None = None):
    """Create (no ``pk``) or change a transcript rule; its expression is checked on save."""
    sites = _rule_sites(request)
    rule = (get_or_404(TranscriptRule.objects.filter(site_id__in=[s.pk for s in sites]), pk) if pk is not None
            else TranscriptRule())
    form = TranscriptRuleForm(request.POST or None, instance=rule, sites=sites)
    if _save_edit(request, form, services.save_rule):
        messages.success(request, _("Rule saved. Transcripts imported from now on are checked with it."))
        return redirect("quality:rules")
    return render(request, "quality/rule_form.html", {"form": form, "rule": rule if rule.pk else None})


@login_required
def phrase_list_edit(request, pk: int | None = None):
    """Create (no ``pk``) or change a phrase list; the rules in use must still read with it."""
    sites = _rule_sites(request)
    phrase_list = (get_or_404(PhraseList.objects.filter(site_id__in=[s.pk for s in sites]), pk) if pk is not None
                   else PhraseList())
    form = PhraseListForm(request.POST or None, instance=phrase_list, sites=sites)
    if _save_edit(request, form, services.save_phrase_list):
        messages.success(request, _("Phrase list saved."))
        return redirect("quality:rules")
    return render(request, "quality/phrase_list_form.html",
                  {"form": form, "phrase_list": phrase_list if phrase_list.pk else None})
