"""Writes of the quality app: scorecard versions, transcripts and rule hits, samples,
evaluations, release, disputes (申诉) and their rulings.

Who may act:

- an *inspector* (QA role covering the contact's team) scores and answers a dispute on
  their own evaluation (level 1);
- the *QA lead* — there is no separate role: a QA role at site (or wider) scope, or the
  site manager or administrator covering the team — releases results after review and
  gives the final ruling (终审, level 2);
- the agent, or their team lead on the agent's behalf, disputes a released evaluation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.core.versioning import claim_version
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, RoleAssignment, Scope
from zhiren.org.scoping import coverage
from zhiren.performance.models import Interaction

from . import sampling
from .models import (
    Dispute,
    DisputeStatus,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    PhraseList,
    RuleHit,
    Sample,
    SamplingPlan,
    Scorecard,
    ScorecardVersion,
    ScoreChange,
    Transcript,
    TranscriptRule,
    Turn,
)
from .providers import forget_criterion_labels, refresh_appraisal_inputs
from .rules import Rule, RuleSet, normalize_many
from .rules import Turn as PlainTurn
from .scoring import NA, ScoringError, card_from_definition, score

INSPECTOR_ROLES = (Role.QA,)
LEAD_ROLES = (Role.QA, Role.SITE_MANAGER, Role.ADMIN)  # the QA lead's roles (QA at site scope: see is_qa_lead)
DEFAULT_DISPUTE_DAYS = 7


# --- who ---------------------------------------------------------------------------------------


def is_qa_lead(user, team_id: int | None = None) -> bool:
    """QA at site or wider scope, or a site manager / administrator (covering the team when given)."""
    access = load_access(user)
    if not access.is_authenticated:
        return False
    if access.has_role(Role.SITE_MANAGER, Role.ADMIN):
        return team_id is None or coverage(user, (Role.SITE_MANAGER, Role.ADMIN)).covers(team_id)
    wide = RoleAssignment.objects.filter(user_id=access.user_id, role=Role.QA, scope__in=(Scope.SITE, Scope.ALL))
    return wide.exists() and (team_id is None or coverage(user, (Role.QA,)).covers(team_id))


def is_qa_lead_of_site(user, site_id: int) -> bool:
    """The QA lead of a whole site (for site-level data such as calibration sessions)."""
    from zhiren.org.models import Team

    team_ids = list(Team.objects.filter(site_id=site_id).values_list("pk", flat=True))
    access = load_access(user)
    if not team_ids or not access.is_authenticated:
        return False
    if access.has_role(Role.SITE_MANAGER, Role.ADMIN) and coverage(user, (Role.SITE_MANAGER, Role.ADMIN)).covers_all(
            team_ids):
        return True
    wide = RoleAssignment.objects.filter(user_id=access.user_id, role=Role.QA, scope__in=(Scope.SITE, Scope.ALL))
    return wide.exists() and coverage(user, (Role.QA,)).covers_all(team_ids)


def may_inspect(user, team_id: int | None) -> bool:
    return coverage(user, INSPECTOR_ROLES).covers(team_id)


def speaks_for(user, evaluation: Evaluation) -> bool:
    """The agent themselves, or their team lead."""
    access = load_access(user)
    return access.own_agent_id == evaluation.agent_id or coverage(user, (Role.TEAM_LEAD,)).covers(evaluation.team_id)


# --- scorecards --------------------------------------------------------------------------------


def publish_version(scorecard: Scorecard, definition: dict, *, user) -> ScorecardVersion:
    """A new version of the scorecard; evaluations on earlier versions keep theirs."""
    try:
        card_from_definition(definition)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("The scorecard cannot be read: %(error)s") % {"error": exc}) from exc
    with transaction.atomic():
        last = scorecard.versions.select_for_update().order_by("-number").first()
        version = ScorecardVersion.objects.create(
            scorecard=scorecard, number=(last.number + 1) if last else 1, definition=definition, published_by=user
        )
    forget_criterion_labels()  # a criterion may have a new label
    return version


def criteria_of(version: ScorecardVersion) -> dict[str, dict]:
    return {c["key"]: c for s in version.definition.get("sections", []) for c in s.get("criteria", [])}


# --- transcripts and rules ---------------------------------------------------------------------


def ruleset_for(site_id: int) -> tuple[RuleSet, dict[str, TranscriptRule]]:
    rules = {r.key: r for r in TranscriptRule.objects.filter(site_id=site_id, active=True).order_by("pk")}
    lists = {p.name: p.phrases for p in PhraseList.objects.filter(site_id=site_id, active=True)}
    plain = [Rule(r.key, r.kind, r.expression, r.threshold, r.speaker) for r in rules.values()]
    return RuleSet(plain, lists), rules


def lead_sites(user) -> list:
    """The sites whose QA lead the user is (rules, phrase lists and scorecards are per site)."""
    from zhiren.org.models import Site

    if not load_access(user).has_role(*LEAD_ROLES):
        return []
    return [site for site in Site.objects.order_by("code") if is_qa_lead_of_site(user, site.pk)]


def _plain_rule(rule: TranscriptRule) -> Rule:
    return Rule(rule.key, rule.kind, rule.expression, rule.threshold, rule.speaker)


def _lists_in_use(site_id: int, *, replacing: PhraseList | None = None) -> dict[str, list]:
    lists = {p.pk: p for p in PhraseList.objects.filter(site_id=site_id, active=True)}
    if replacing is not None:
        lists.pop(replacing.pk, None)
        if replacing.active:
            lists[replacing.pk or 0] = replacing
    return {p.name: list(p.phrases) for p in lists.values()}


@transaction.atomic
def save_rule(rule: TranscriptRule, *, user, opened_at: int | None, fields=(), request=None) -> TranscriptRule:
    """Create or change a transcript rule (the site's QA lead). Its expression must compile against the
    site's phrase lists in use (``RuleError`` naming what is wrong and where); ``opened_at``: the
    version the form showed (``StaleEdit`` when someone saved since). Audit-logged."""
    if not is_qa_lead_of_site(user, rule.site_id):
        raise PermissionDenied
    RuleSet([_plain_rule(rule)], _lists_in_use(rule.site_id))
    creating = rule.pk is None
    claim_version(rule, opened_at)
    rule.updated_by = user
    rule.save()
    record(actor=user, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=rule,
           fields=list(fields) or ["key", "name", "kind", "expression"], request=request)
    return rule


@transaction.atomic
def save_phrase_list(phrase_list: PhraseList, *, user, opened_at: int | None, fields=(), request=None) -> PhraseList:
    """Create, change or take out of use a phrase list (the site's QA lead). Every rule in use must
    still compile with the lists as they will be: a rule naming a list no longer in use, or left
    without a phrase, is a ``RuleError`` naming that rule. Audit-logged."""
    if not is_qa_lead_of_site(user, phrase_list.site_id):
        raise PermissionDenied
    rules = TranscriptRule.objects.filter(site_id=phrase_list.site_id, active=True).order_by("pk")
    RuleSet([_plain_rule(r) for r in rules], _lists_in_use(phrase_list.site_id, replacing=phrase_list))
    creating = phrase_list.pk is None
    claim_version(phrase_list, opened_at)
    phrase_list.updated_by = user
    phrase_list.save()
    record(actor=user, action=AuditAction.CREATE if creating else AuditAction.UPDATE, obj=phrase_list,
           fields=list(fields) or ["name", "phrases"], request=request)
    return phrase_list


def save_turns(transcript: Transcript, turns: list[PlainTurn]) -> list[Turn]:
    """Store a transcript's turns with their normalised text (what the rules search)."""
    normalized = normalize_many([t.text for t in turns]) if turns else []
    return Turn.objects.bulk_create(
        Turn(transcript=transcript, seq=n, speaker=t.speaker, start=t.start, end=t.end, text=t.text, normalized=norm)
        for n, (t, norm) in enumerate(zip(turns, normalized, strict=True)))


def check_transcript(transcript: Transcript, ruleset: tuple[RuleSet, dict[str, TranscriptRule]] | None = None) -> list[RuleHit]:
    """Run the site's rules over a transcript and store its hits (replacing earlier ones)."""
    site_id = transcript.team.site_id if transcript.team_id else transcript.agent.team.site_id
    rule_set, rules = ruleset or ruleset_for(site_id)
    turns = list(transcript.turns.order_by("seq"))
    stored = [t.normalized for t in turns]
    hits = rule_set.check([PlainTurn(t.speaker, t.start, t.end, t.text) for t in turns],
                          None if None in stored else stored)
    day = transcript.interaction.day
    rows = []
    for hit in hits:
        rule = rules[hit.rule]
        targets = [turns[n] for n in hit.sentences] or [None]
        rows.extend(RuleHit(transcript=transcript, rule=rule, agent_id=transcript.agent_id, team_id=transcript.team_id,
                            day=day, turn=turn, value=hit.value) for turn in targets)
    with transaction.atomic():
        transcript.hits.all().delete()
        RuleHit.objects.bulk_create(rows)
        transcript.checked_at = timezone.now()
        transcript.save(update_fields=["checked_at"])
    return rows


def suggestions(transcript: Transcript) -> dict[str, dict]:
    """Criterion key → {"answer", "rules"}: what the rule hits suggest (the inspector confirms)."""
    found: dict[str, dict] = {}
    for hit in transcript.hits.select_related("rule"):
        rule = hit.rule
        if rule.criterion_key and rule.suggested_answer:
            entry = found.setdefault(rule.criterion_key, {"answer": rule.suggested_answer, "rules": []})
            if rule.name not in entry["rules"]:
                entry["rules"].append(rule.name)
    return found


def open_transcript(transcript: Transcript, *, user, request=None) -> list[Turn]:
    """The turns of a transcript, the read recorded in the audit trail (customers' personal data)."""
    record(actor=user, action=AuditAction.READ, obj=transcript, fields=["turns"],
           subject_agent_id=transcript.agent_id, purpose="quality", request=request)
    return list(transcript.turns.order_by("seq"))


# --- sampling ----------------------------------------------------------------------------------


def period_bounds(plan: SamplingPlan, day: dt.date) -> tuple[dt.date, dt.date]:
    return sampling.period_bounds(plan.period, day)


def draw_samples(plan: SamplingPlan, day: dt.date, *, long_aht_seconds: int = 600) -> list[Sample]:
    """Draw the plan's samples for the period holding ``day`` (again: the same draw, nothing added)."""
    start, end = period_bounds(plan, day)
    contacts = Interaction.objects.filter(team_id=plan.team_id, day__gte=start, day__lte=end, abandoned=False,
                                          agent__isnull=False)
    if plan.queue:
        contacts = contacts.filter(queue=plan.queue)
    contacts = list(contacts.only("id", "agent_id", "channel", "queue", "csat", "talk_seconds", "hold_seconds",
                                  "acw_seconds", "transferred", "repeat_contact", "day"))
    hired = dict(Agent.objects.filter(pk__in={c.agent_id for c in contacts}).values_list("pk", "hire_date"))
    hit_contacts = set(RuleHit.objects.filter(transcript__interaction_id__in=[c.pk for c in contacts],
                                              rule__targets_sampling=True)
                       .values_list("transcript__interaction_id", flat=True))
    candidates = []
    for c in contacts:
        hire = hired.get(c.agent_id)
        reasons = sampling.reasons_of(
            csat=c.csat, handle_seconds=c.talk_seconds + c.hold_seconds + c.acw_seconds,
            long_aht_seconds=long_aht_seconds, transferred=c.transferred, repeat=c.repeat_contact,
            days_since_hire=(c.day - hire).days if hire else None, rule_hit=c.pk in hit_contacts)
        candidates.append(sampling.Candidate(c.pk, c.agent_id, f"{c.channel}/{c.queue}", reasons))
    existing = set(Sample.objects.filter(plan=plan, period_start=start).values_list("interaction_id", flat=True))
    drawn = sampling.draw(candidates, plan.per_agent, f"{plan.seed}:{start.isoformat()}",
                          targets=plan.targets, targeted_share=plan.targeted_share)
    rows = [Sample(plan=plan, interaction_id=c.id, agent_id=c.agent_id, period_start=start, reason=reason)
            for c, reason in drawn if c.id not in existing]
    Sample.objects.bulk_create(rows)
    return rows


# --- evaluations -------------------------------------------------------------------------------


def _clean_answers(version: ScorecardVersion, raw: dict) -> tuple[dict, dict]:
    """{key: {"answer", "comment"}} checked against the version; the plain answers for scoring."""
    criteria = criteria_of(version)
    answers, plain = {}, {}
    for key in criteria:
        entry = raw.get(key) or {}
        answer = entry.get("answer", NA) if isinstance(entry, dict) else entry
        if answer in ("", None):
            answer = NA
        if isinstance(answer, str) and answer not in (NA, "yes", "no"):
            with contextlib.suppress(ValueError):
                answer = int(answer) if answer.isdigit() else float(answer)
        answers[key] = {"answer": answer, "comment": str(entry.get("comment", "")) if isinstance(entry, dict) else ""}
        plain[key] = answer
    return answers, plain


def _score(version: ScorecardVersion, plain: dict):
    try:
        return score(card_from_definition(version.definition), plain)
    except ScoringError as exc:
        raise ValidationError(str(exc)) from exc


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def submit_evaluation(interaction: Interaction, version: ScorecardVersion, raw_answers: dict, *, user,
                      seconds_spent: int = 0, sample: Sample | None = None,
                      kind: str = EvaluationKind.INSPECTION, calibration=None) -> Evaluation:
    """Score a contact: answers and computed score stored together on the version used."""
    if interaction.agent_id is None:
        raise ValidationError(_("This contact reached no agent."))
    access = load_access(user)
    if kind == EvaluationKind.SELF:
        if access.own_agent_id != interaction.agent_id:
            raise PermissionDenied
    elif not may_inspect(user, interaction.team_id):
        raise PermissionDenied
    answers, plain = _clean_answers(version, raw_answers)
    result = _score(version, plain)
    review = sample.plan.review_step if sample is not None else True
    now = timezone.now()
    # an inspection is released at once without a review step; a self-evaluation is the agent's own from the start
    released = (kind == EvaluationKind.INSPECTION and not review) or kind == EvaluationKind.SELF
    evaluation = Evaluation.objects.create(
        interaction=interaction, agent_id=interaction.agent_id, team_id=interaction.team_id, version=version,
        inspector=user, sample=sample, calibration=calibration, kind=kind, answers=answers,
        score=_money(result.score), critical_failed=result.critical_failed, seconds_spent=max(0, int(seconds_spent)),
        day=interaction.day, submitted_at=now,
        status=EvaluationStatus.RELEASED if released else EvaluationStatus.SUBMITTED,
        released_at=now if released else None,
    )
    _feed_floor(evaluation)
    return evaluation


def release(evaluation: Evaluation, *, user) -> Evaluation:
    """The review step: the QA lead releases the result to the agent."""
    if not is_qa_lead(user, evaluation.team_id) or evaluation.kind != EvaluationKind.INSPECTION:
        raise PermissionDenied
    if evaluation.status == EvaluationStatus.RELEASED:
        return evaluation
    evaluation.status = EvaluationStatus.RELEASED
    evaluation.released_at = timezone.now()
    evaluation.save(update_fields=["status", "released_at"])
    _feed_floor(evaluation)
    return evaluation


def _feed_floor(evaluation: Evaluation) -> None:
    """A released score changed: refresh the QA component of the agent's appraisals."""
    if evaluation.status == EvaluationStatus.RELEASED and evaluation.kind == EvaluationKind.INSPECTION:
        transaction.on_commit(lambda: refresh_appraisal_inputs(evaluation.agent_id, evaluation.day))


def change_answers(evaluation: Evaluation, changes: dict, *, user, reason: str,
                   dispute: Dispute | None = None) -> ScoreChange:
    """New answers for some criteria, rescored on the evaluation's own version; the change is kept."""
    if not reason.strip():
        raise ValidationError(_("Say why the score changes."))
    merged = {key: dict(entry) for key, entry in evaluation.answers.items()}
    for key, answer in changes.items():
        if key not in merged:
            raise ValidationError(_("Unknown criterion: %(key)s") % {"key": key})
        merged[key]["answer"] = answer
    answers, plain = _clean_answers(evaluation.version, merged)
    result = _score(evaluation.version, plain)
    change = ScoreChange.objects.create(
        evaluation=evaluation, old_score=evaluation.score, new_score=_money(result.score), answers=answers,
        reason=reason, dispute=dispute, changed_by=user, changed_at=timezone.now(),
    )
    evaluation.answers = answers
    evaluation.score = _money(result.score)
    evaluation.critical_failed = result.critical_failed
    evaluation.save(update_fields=["answers", "score", "critical_failed"])
    _feed_floor(evaluation)
    return change


# --- disputes (申诉) ---------------------------------------------------------------------------


def dispute_days(evaluation: Evaluation) -> int:
    return evaluation.sample.plan.dispute_days if evaluation.sample_id else DEFAULT_DISPUTE_DAYS


def dispute_closes(evaluation: Evaluation) -> dt.date | None:
    """The last local day on which the evaluation may be disputed (None: not released yet)."""
    if evaluation.released_at is None:
        return None
    return timezone.localdate(evaluation.released_at) + dt.timedelta(days=dispute_days(evaluation))


def _closed(day: dt.date) -> ValidationError:
    return ValidationError(_("The time to dispute closed on %(date)s.") % {"date": date_format(day, "DATE_FORMAT")})


def raise_dispute(evaluation: Evaluation, *, user, comment: str, criterion_key: str = "") -> Dispute:
    if evaluation.status != EvaluationStatus.RELEASED or evaluation.kind != EvaluationKind.INSPECTION:
        raise PermissionDenied
    if not speaks_for(user, evaluation):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("A dispute needs a comment."))
    if criterion_key and criterion_key not in evaluation.answers:
        raise ValidationError(_("Unknown criterion: %(key)s") % {"key": criterion_key})
    closes = dispute_closes(evaluation)
    if closes is not None and timezone.localdate() > closes:
        raise _closed(closes)
    if evaluation.disputes.exclude(status__in=(DisputeStatus.ACCEPTED, DisputeStatus.UPHELD,
                                               DisputeStatus.OVERTURNED)).exists():
        raise ValidationError(_("This evaluation already has a dispute under way."))
    return Dispute.objects.create(evaluation=evaluation, agent_id=evaluation.agent_id, criterion_key=criterion_key,
                                  raised_by=user, raised_at=timezone.now(), comment=comment)


def reply_dispute(dispute: Dispute, *, user, outcome: str, reply: str, changes: dict | None = None) -> Dispute:
    """Level 1: the inspector accepts (changing the answers), partly accepts (changing some) or rejects."""
    evaluation = dispute.evaluation
    if dispute.status != DisputeStatus.OPEN:
        raise ValidationError(_("This dispute is not waiting for the inspector."))
    if evaluation.inspector_id != user.pk and not is_qa_lead(user, evaluation.team_id):
        raise PermissionDenied
    if outcome not in (DisputeStatus.ACCEPTED, DisputeStatus.PARTLY, DisputeStatus.REJECTED):
        raise ValidationError(_("Unknown outcome."))
    if not reply.strip():
        raise ValidationError(_("Say why."))
    with transaction.atomic():
        if outcome != DisputeStatus.REJECTED:
            if not changes:
                raise ValidationError(_("Accepting a dispute changes at least one answer."))
            change_answers(evaluation, changes, user=user, reason=reply, dispute=dispute)
        dispute.status = outcome
        dispute.inspector_reply = reply
        dispute.replied_at = timezone.now()
        dispute.save(update_fields=["status", "inspector_reply", "replied_at"])
    return dispute


def escalate_dispute(dispute: Dispute, *, user, comment: str) -> Dispute:
    """Level 2: the agent (or lead) takes a rejected or partly accepted dispute to the QA lead."""
    if dispute.status not in (DisputeStatus.REJECTED, DisputeStatus.PARTLY):
        raise ValidationError(_("Only a rejected or partly accepted dispute goes to the QA lead."))
    if not speaks_for(user, dispute.evaluation):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("A dispute needs a comment."))
    closes = timezone.localdate(dispute.replied_at) + dt.timedelta(days=dispute_days(dispute.evaluation))
    if timezone.localdate() > closes:
        raise _closed(closes)
    dispute.status = DisputeStatus.ESCALATED
    dispute.level = 2
    dispute.escalation_comment = comment
    dispute.save(update_fields=["status", "level", "escalation_comment"])
    return dispute


def rule_dispute(dispute: Dispute, *, user, overturn: bool, ruling: str, changes: dict | None = None) -> Dispute:
    """终审: the QA lead's final ruling; nothing follows it."""
    if dispute.status != DisputeStatus.ESCALATED:
        raise ValidationError(_("Only a dispute with the QA lead can be ruled on."))
    if not is_qa_lead(user, dispute.evaluation.team_id):
        raise PermissionDenied
    if not ruling.strip():
        raise ValidationError(_("Say why."))
    with transaction.atomic():
        if overturn:
            if not changes:
                raise ValidationError(_("Overturning changes at least one answer."))
            change_answers(dispute.evaluation, changes, user=user, reason=ruling, dispute=dispute)
        dispute.status = DisputeStatus.OVERTURNED if overturn else DisputeStatus.UPHELD
        dispute.ruling = ruling
        dispute.ruled_by = user
        dispute.ruled_at = timezone.now()
        dispute.save(update_fields=["status", "ruling", "ruled_by", "ruled_at"])
    return dispute


def overturn_rates(disputes) -> dict[int, dict]:
    """Per inspector: disputes decided, how many changed the score (accepted, partly, overturned)."""
    counts: dict[int, dict] = defaultdict(lambda: {"decided": 0, "overturned": 0})
    changed = {DisputeStatus.ACCEPTED, DisputeStatus.PARTLY, DisputeStatus.OVERTURNED}
    for inspector_id, status in disputes.values_list("evaluation__inspector_id", "status"):
        if status in (DisputeStatus.OPEN, DisputeStatus.ESCALATED):
            continue
        counts[inspector_id]["decided"] += 1
        counts[inspector_id]["overturned"] += status in changed
    for entry in counts.values():
        entry["rate"] = entry["overturned"] / entry["decided"] if entry["decided"] else None
    return dict(counts)
