"""Writes of the discipline module: punches, attendance, rules, violations, exceptions, corrections.

Every consequence is computed by :mod:`zhiren.discipline.ladder` from the rule's
terms and the agent's history (:func:`recount`); no view and no user sets one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record
from zhiren.core.text import join_list
from zhiren.core.versioning import claim_version
from zhiren.imports import bulk_insert
from zhiren.org.access import load_access
from zhiren.org.models import Agent, Role, Team
from zhiren.org.scoping import coverage

from . import attendance, ladder
from .models import (
    AttendanceDay,
    AttendancePolicy,
    ClockCorrection,
    ClockEvent,
    CorrectionAction,
    CorrectionStatus,
    Exemption,
    PunchKind,
    PunchSource,
    Rule,
    RuleCategory,
    Violation,
    ViolationKind,
    ViolationSource,
)

MANAGE_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER)  # respond, record, grant exceptions, approve corrections
RULE_ROLES = (Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN)  # write rules for the teams they cover
MIN_REASON = 10  # characters of a written reason


# --- permissions -------------------------------------------------------------------------------


def may_act_on(user, agent: Agent) -> bool:
    """Lead of the agent's team or manager of their site — never on one's own record."""
    access = load_access(user)
    return access.own_agent_id != agent.pk and coverage(user, MANAGE_ROLES).covers(agent.team_id)


def rule_team_ids(rule: Rule) -> set[int]:
    ids = {t.pk for t in rule.teams.all()}
    return ids or set(Team.objects.filter(site_id=rule.site_id).values_list("pk", flat=True))


def may_manage_rule(user, rule: Rule) -> bool:
    return coverage(user, RULE_ROLES).covers_all(lambda: rule_team_ids(rule))


def _require_reason(text: str, field_name: str = "reason") -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ValidationError({field_name: _("Write the reason in at least %(n)d characters.") % {"n": MIN_REASON}})
    return text


# --- punches -----------------------------------------------------------------------------------


def record_punches(
    rows: Iterable[tuple[int, datetime, str]], *, source: str = PunchSource.API, device: str = ""
) -> int:
    """Store punches ``(agent_id, aware datetime, kind)``; a punch already stored is skipped. Returns new ones."""
    objs = {}
    for agent_id, at, kind in rows:
        if timezone.is_naive(at):
            raise ValidationError(_("A punch time needs a time zone."))
        fp = ClockEvent.make_fingerprint(agent_id, at, kind)
        objs[fp] = ClockEvent(agent_id=agent_id, at=at, kind=kind, source=source, device=device, fingerprint=fp)
    if not objs:
        return 0
    # The punches already stored in the same span, in one query (not one lookup per punch).
    times = [obj.at for obj in objs.values()]
    existing = set(ClockEvent.objects.filter(
        agent_id__in={obj.agent_id for obj in objs.values()}, at__gte=min(times), at__lte=max(times)
    ).values_list("fingerprint", flat=True))
    new = [obj for fp, obj in objs.items() if fp not in existing]
    with transaction.atomic():
        bulk_insert.insert(ClockEvent, new)
    return len(new)


def punches_from_login_states(start: date, end: date, agent_ids: Iterable[int] | None = None) -> int:
    """Derive punches from the ACD / chat login states workforce receives (source ``login``).

    Going from offline (or no state) to any other state is a clock-in; going
    offline is a clock-out. For centres without a time clock, or as a second
    source: the pairing takes the earliest in and the latest out of a shift.
    Returns the number of new punches.
    """
    from zhiren.workforce.models import StateEvent

    lo, hi = _day_bounds(start, end)
    events = StateEvent.objects.filter(at__gte=lo, at__lt=hi).order_by("agent_id", "at", "pk")
    if agent_ids is not None:
        events = events.filter(agent_id__in=list(agent_ids))
    rows = []
    previous: dict[int, str] = {}
    for agent_id, state, at in events.values_list("agent_id", "state", "at"):
        was_online = previous.get(agent_id, "offline") != "offline"
        is_online = state != "offline"
        if is_online and not was_online:
            rows.append((agent_id, at, PunchKind.IN))
        elif was_online and not is_online:
            rows.append((agent_id, at, PunchKind.OUT))
        previous[agent_id] = state
    return record_punches(rows, source=PunchSource.LOGIN) if rows else 0


# --- attendance --------------------------------------------------------------------------------


def policies_for(agent_ids: Iterable[int]) -> dict[int, attendance.Policy]:
    """The attendance policy of each agent's site (defaults where the site has none)."""
    site_of = dict(Agent.objects.filter(pk__in=list(agent_ids)).values_list("pk", "team__site_id"))
    rows = {p.site_id: p for p in AttendancePolicy.objects.filter(site_id__in=set(site_of.values()))}
    result = {}
    for agent_id, site_id in site_of.items():
        p = rows.get(site_id)
        result[agent_id] = attendance.Policy(
            late_grace=p.late_grace, early_grace=p.early_grace, overtime_minimum=p.overtime_minimum,
            late_as_absence=p.late_as_absence,
        ) if p else attendance.Policy()
    return result


def shifts_from_schedule(planned: Iterable) -> list[attendance.Shift]:
    """Adapt workforce's ``PlannedShift`` objects: leave activities become leave intervals."""
    return [
        attendance.Shift(
            agent_id=p.agent_id, day=p.day, start=p.start, end=p.end,
            leave=tuple((a.start, a.end) for a in p.activities if a.kind == "leave"),
        )
        for p in planned
    ]


def scheduled_shifts(agent_ids: Sequence[int], start: date, end: date) -> list[attendance.Shift]:
    from zhiren.workforce.selectors import published_shifts

    return shifts_from_schedule(published_shifts(agent_ids, start, end))


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start - timedelta(days=1), time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=2), time.min, tzinfo=tz),
    )


@dataclass
class EvaluationSummary:
    shifts: int = 0
    punches: int = 0
    findings: int = 0
    violations: int = 0
    agents: set[int] = field(default_factory=set)


def applicable_rules(agent_team: dict[int, int], category: str | None = None) -> dict[int, list[Rule]]:
    """Announced rules that cover each agent (by their team), keyed by agent id."""
    rules = Rule.objects.filter(announced_on__isnull=False).select_related("site").prefetch_related("teams")
    if category:
        rules = rules.filter(category=category)
    site_of = dict(Team.objects.filter(pk__in=set(agent_team.values())).values_list("pk", "site_id"))
    by_team: dict[int, list[Rule]] = defaultdict(list)
    for rule in rules:
        team_ids = {t.pk for t in rule.teams.all()}
        for team_id, site_id in site_of.items():
            if rule.site_id == site_id and (not team_ids or team_id in team_ids):
                by_team[team_id].append(rule)
    return {agent_id: by_team.get(team_id, []) for agent_id, team_id in agent_team.items()}


@transaction.atomic
def evaluate_attendance(
    start: date, end: date, agent_ids: Iterable[int] | None = None, *, shifts: Iterable[attendance.Shift] | None = None
) -> EvaluationSummary:
    """Judge the shifts starting ``start``..``end`` against the punches; sync attendance violations.

    ``shifts`` defaults to the published schedule (workforce); the day before
    ``start`` is read too, so a night shift's clock-out is never taken for the
    next shift's clock-in. Safe to run again: rows are upserted by shift and
    violations by fingerprint; a violation whose finding disappeared (after a
    correction) is removed.
    """
    agents = Agent.objects.all() if agent_ids is None else Agent.objects.filter(pk__in=list(agent_ids))
    agent_team = dict(agents.values_list("pk", "team_id"))
    ids = sorted(agent_team)
    if shifts is None:
        shifts = scheduled_shifts(ids, start - timedelta(days=1), end)
    shifts = [s for s in shifts if s.agent_id in agent_team]
    lo, hi = _day_bounds(start, end)
    punches = [
        attendance.Punch(a, at, kind)
        for a, at, kind in ClockEvent.objects.filter(agent_id__in=ids, at__gte=lo, at__lt=hi, voided=False)
        .values_list("agent_id", "at", "kind")
    ]
    result = attendance.evaluate(shifts, punches, policies_for(ids))
    summary = EvaluationSummary(punches=len(punches))
    judged = [r for r in result.results if start <= r.day <= end]
    summary.shifts = len(judged)

    existing = {
        (d.agent_id, d.shift_start): d
        for d in AttendanceDay.objects.filter(agent_id__in=ids, day__gte=start, day__lte=end)
    }
    fields = ["day", "shift_end", "arrived", "left", "late_minutes", "early_minutes", "overtime_minutes",
              "absent", "missing_in", "missing_out", "excused"]
    to_create, to_update, keep = [], [], set()
    for r in judged:
        values = {"day": r.day, "shift_end": r.shift.end, "arrived": r.arrived, "left": r.left,
                      "late_minutes": r.late_minutes, "early_minutes": r.early_minutes,
                      "overtime_minutes": r.overtime_minutes, "absent": r.absent, "missing_in": r.missing_in,
                      "missing_out": r.missing_out, "excused": r.excused}
        row = existing.get((r.agent_id, r.shift.start))
        keep.add((r.agent_id, r.shift.start))
        if row is None:
            to_create.append(AttendanceDay(agent_id=r.agent_id, shift_start=r.shift.start, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            to_update.append(row)
    bulk_insert.insert(AttendanceDay, to_create)
    AttendanceDay.objects.bulk_update(to_update, fields, batch_size=1000)
    stale_days = [d.pk for key, d in existing.items() if key not in keep]
    if stale_days:
        AttendanceDay.objects.filter(pk__in=stale_days).delete()
    day_ids = {
        (a, s): pk for pk, a, s in AttendanceDay.objects.filter(agent_id__in=ids, day__gte=start, day__lte=end)
        .values_list("pk", "agent_id", "shift_start")
    }

    rules_of = applicable_rules(agent_team, RuleCategory.ATTENDANCE)
    wanted: dict[str, Violation] = {}
    now = timezone.now()
    for r in judged:
        for kind, minutes in r.findings:
            summary.findings += 1
            for rule in rules_of.get(r.agent_id, ()):
                if kind not in rule.kinds or rule.terms.phase(r.day) in (ladder.NOT_IN_FORCE, ladder.RETIRED):
                    continue
                fp = f"a:{rule.pk}:{r.agent_id}:{int(r.shift.start.timestamp())}:{kind}"
                wanted[fp] = Violation(
                    agent_id=r.agent_id, rule=rule, team_id=agent_team[r.agent_id], day=r.day, kind=kind,
                    minutes=minutes, source=ViolationSource.ATTENDANCE, fingerprint=fp, recorded_at=now,
                    attendance_day_id=day_ids.get((r.agent_id, r.shift.start)),
                )
    current = {
        v.fingerprint: v for v in Violation.objects.filter(
            agent_id__in=ids, day__gte=start, day__lte=end, source=ViolationSource.ATTENDANCE
        )
    }
    Violation.objects.filter(pk__in=[v.pk for fp, v in current.items() if fp not in wanted]).delete()
    changed_minutes = []
    for fp, v in current.items():
        if fp in wanted and (v.minutes != wanted[fp].minutes or v.attendance_day_id != wanted[fp].attendance_day_id):
            v.minutes, v.attendance_day_id = wanted[fp].minutes, wanted[fp].attendance_day_id
            changed_minutes.append(v)
    Violation.objects.bulk_update(changed_minutes, ["minutes", "attendance_day"], batch_size=1000)
    bulk_insert.insert(Violation, [v for fp, v in wanted.items() if fp not in current])
    summary.violations = len(wanted)
    summary.agents = set(ids)
    recount(ids)
    return summary


# --- the ladder --------------------------------------------------------------------------------


def recount(agent_ids: Iterable[int], rule_ids: Iterable[int] | None = None) -> int:
    """Recompute phase and consequence of every violation of these agents (under these rules).

    Returns the number of violations whose consequence changed. Two queries plus the update.
    """
    qs = Violation.objects.filter(agent_id__in=list(agent_ids)).select_related("rule")
    if rule_ids is not None:
        qs = qs.filter(rule_id__in=list(rule_ids))
    rows = list(qs.only("pk", "agent_id", "rule", "day", "kind", "recorded_at", "phase", "consequence", "unit",
                        "lates"))
    exempt = set(Exemption.objects.filter(violation__in=[v.pk for v in rows]).values_list("violation_id", flat=True)
                 ) if rows else set()
    groups: dict[tuple[int, int], list[Violation]] = defaultdict(list)
    for v in rows:
        groups[(v.agent_id, v.rule_id)].append(v)
    changed = []
    for (_agent, _rule), violations in groups.items():
        terms = violations[0].rule.terms
        by_pk = {v.pk: v for v in violations}
        occurrences = [
            ladder.Occurrence(v.pk, v.day, v.kind, order=v.recorded_at.timestamp(), exempt=v.pk in exempt)
            for v in violations
        ]
        for d in ladder.decide(terms, occurrences):
            v = by_pk[d.key]
            new = (d.phase, d.consequence, d.unit, d.lates)
            if (v.phase, v.consequence, v.unit, v.lates) != new:
                v.phase, v.consequence, v.unit, v.lates = new
                changed.append(v)
    # Few distinct outcomes: one UPDATE per outcome instead of a CASE per row.
    by_outcome: dict[tuple, list[int]] = defaultdict(list)
    for v in changed:
        by_outcome[(v.phase, v.consequence, v.unit, v.lates)].append(v.pk)
    for (phase, consequence, unit, lates), pks in by_outcome.items():
        for i in range(0, len(pks), 900):
            Violation.objects.filter(pk__in=pks[i:i + 900]).update(phase=phase, consequence=consequence, unit=unit,
                                                                    lates=lates)
    return len(changed)


# --- rules -------------------------------------------------------------------------------------

RULE_FIELDS = ("title", "text", "category", "kinds", "ladder", "window", "window_days", "free_per_window",
               "lates_per_absence", "grace_days")


@transaction.atomic
def save_rule(user, *, rule: Rule | None = None, site, teams: Iterable[Team] = (), version: int | None = None,
              **values) -> Rule:
    """Create a rule, or change a draft. An announced rule's terms are fixed (same rule, same treatment).

    ``version``: the version the editing form was opened at (``StaleEdit`` if someone saved since)."""
    teams = list(teams)
    if rule is not None and rule.announced_on is not None:
        raise ValidationError(_("An announced rule cannot be changed; retire it and draft a new one."))
    rule = rule or Rule(created_by=user)
    claim_version(rule, version)
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    rule.site = site
    if rule.category == RuleCategory.CONDUCT:
        rule.kinds = []
    if any(t.site_id != site.pk for t in teams):
        raise ValidationError({"teams": _("Choose teams of the rule's site.")})
    rule.full_clean(exclude=["created_by", "announced_by"])
    team_ids = {t.pk for t in teams} or set(site.teams.values_list("pk", flat=True))
    if not coverage(user, RULE_ROLES).covers_all(team_ids):
        raise PermissionDenied
    is_new = rule.pk is None
    rule.save()
    rule.teams.set(teams)
    record(actor=user, action=AuditAction.CREATE if is_new else AuditAction.UPDATE, obj=rule,
           fields=[*RULE_FIELDS, "teams"])
    return rule


def rules_in_grace(rule: Rule, on: date) -> list[Rule]:
    """Other rules of the same audience still in their grace period on ``on`` (or starting then)."""
    team_ids = rule_team_ids(rule)
    candidates = Rule.objects.filter(site_id=rule.site_id, announced_on__isnull=False).exclude(pk=rule.pk)
    candidates = candidates.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on)).prefetch_related("teams")
    result = []
    for other in candidates:
        enforced_from = other.enforced_from
        if not (other.announced_on <= on < enforced_from or on <= other.announced_on < on + timedelta(
                days=max(rule.grace_days, 1))):
            continue
        if rule_team_ids(other) & team_ids:
            result.append(other)
    return result


@transaction.atomic
def announce_rule(user, rule: Rule, *, on: date, grace_days: int, announcement: str = "",
                  acknowledge_overlap: bool = False, version: int | None = None) -> Rule:
    """Announce a drafted rule on ``on``; it is enforced after ``grace_days``.

    ``version``: the draft's version the announcer read; ``StaleEdit`` if it was changed since, so
    no one announces terms they have not seen.

    立法从宽: one new rule at a time. While another rule for the same people is in its
    grace period, announcing needs ``acknowledge_overlap`` (the page asks first).
    """
    if not may_manage_rule(user, rule):
        raise PermissionDenied
    if rule.announced_on is not None:
        raise ValidationError(_("This rule is already announced."))
    claim_version(rule, version)
    rule.grace_days = grace_days
    overlapping = rules_in_grace(rule, on)
    if overlapping and not acknowledge_overlap:
        raise ValidationError(
            _("Another rule is still in its grace period: %(rules)s. One new rule at a time lets people adjust; "
              "confirm to announce anyway.") % {"rules": join_list(r.title for r in overlapping)},
            code="overlap",
        )
    rule.announced_on = on
    rule.announcement = announcement.strip() or rule.text
    rule.announced_by = user
    rule.save(update_fields=["announced_on", "announcement", "grace_days", "announced_by", "version"])
    record(actor=user, action=AuditAction.UPDATE, obj=rule, fields=["announced_on", "grace_days", "announcement"],
           purpose="announce")
    _recount_rule(rule)
    return rule


@transaction.atomic
def delete_draft(user, rule: Rule) -> None:
    if not may_manage_rule(user, rule):
        raise PermissionDenied
    if rule.announced_on is not None:
        raise ValidationError(_("An announced rule is retired, not deleted."))
    record(actor=user, action=AuditAction.DELETE, obj=rule, fields=["title"])
    rule.delete()


@transaction.atomic
def retire_rule(user, rule: Rule, *, on: date) -> Rule:
    if not may_manage_rule(user, rule):
        raise PermissionDenied
    if rule.announced_on is None:
        raise ValidationError(_("A draft is deleted, not retired."))
    if on < rule.announced_on:
        raise ValidationError({"retired_on": _("A rule cannot be retired before it was announced.")})
    rule.retired_on = on
    rule.save(update_fields=["retired_on"])
    record(actor=user, action=AuditAction.UPDATE, obj=rule, fields=["retired_on"], purpose="retire")
    _recount_rule(rule)
    return rule


def _recount_rule(rule: Rule) -> None:
    agent_ids = set(rule.violations.values_list("agent_id", flat=True))
    if agent_ids:
        recount(agent_ids, [rule.pk])


# --- violations --------------------------------------------------------------------------------


@transaction.atomic
def record_violation(user, *, agent: Agent, rule: Rule, day: date, note: str) -> Violation:
    """A violation recorded by hand (slacking, skipping the standard process, unapproved remote work …).

    It goes on the same ladder as the clock's findings; the consequence is computed, not chosen.
    """
    if not may_act_on(user, agent):
        raise PermissionDenied
    if rule not in applicable_rules({agent.pk: agent.team_id}).get(agent.pk, []):
        raise ValidationError({"rule": _("This rule does not apply to this agent.")})
    phase = rule.terms.phase(day)
    if phase == ladder.NOT_IN_FORCE:
        raise ValidationError({"day": _("The rule was not announced yet on that day.")})
    if phase == ladder.RETIRED:
        raise ValidationError({"day": _("The rule was retired by then.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("The day lies in the future.")})
    kind = ViolationKind.MANUAL
    violation = Violation.objects.create(
        agent=agent, rule=rule, team_id=agent.team_id, day=day, kind=kind, source=ViolationSource.MANUAL,
        note=note.strip(), recorded_by=user,
    )
    recount([agent.pk], [rule.pk])
    violation.refresh_from_db()
    record(actor=user, action=AuditAction.CREATE, obj=violation, fields=["rule", "day", "note"],
           subject_agent_id=agent.pk)
    return violation


@transaction.atomic
def respond(user, violation: Violation, *, note: str) -> Violation:
    """The lead carried out the consequence (reminded, talked, handed the warning …) and says how."""
    if not may_act_on(user, violation.agent):
        raise PermissionDenied
    if violation.responded_at is not None:
        raise ValidationError(_("This violation has been answered already."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what you did.")})
    violation.responded_at = timezone.now()
    violation.responded_by = user
    violation.response_note = note
    violation.save(update_fields=["responded_at", "responded_by", "response_note"])
    record(actor=user, action=AuditAction.UPDATE, obj=violation, fields=["response_note"],
           subject_agent_id=violation.agent_id, purpose="respond")
    return violation


@transaction.atomic
def grant_exception(user, violation: Violation, *, reason: str) -> Exemption:
    """No consequence and not counted — only with a written reason, and always visible to the site manager."""
    if not may_act_on(user, violation.agent):
        raise PermissionDenied
    reason = _require_reason(reason)
    if Exemption.objects.filter(violation=violation).exists():
        raise ValidationError(_("This violation already has an exception."))
    exemption = Exemption.objects.create(violation=violation, reason=reason, granted_by=user)
    if violation.responded_at is None:
        violation.responded_at = exemption.granted_at
        violation.responded_by = user
        violation.response_note = reason
        violation.save(update_fields=["responded_at", "responded_by", "response_note"])
    recount([violation.agent_id], [violation.rule_id])
    record(actor=user, action=AuditAction.CREATE, obj=exemption, fields=["reason"],
           subject_agent_id=violation.agent_id, purpose="exception")
    return exemption


# --- corrections -------------------------------------------------------------------------------


@transaction.atomic
def request_correction(user, *, agent: Agent, action: str, reason: str, at: datetime | None = None,
                       kind: str = PunchKind.IN, event: ClockEvent | None = None) -> ClockCorrection:
    """The agent (for themself) or their lead asks to add a missing punch or void a wrong one."""
    access = load_access(user)
    if access.own_agent_id != agent.pk and not may_act_on(user, agent):
        raise PermissionDenied
    reason = _require_reason(reason)
    if action == CorrectionAction.ADD:
        if at is None:
            raise ValidationError({"at": _("Give the time of the missing punch.")})
        if at > timezone.now():
            raise ValidationError({"at": _("The time lies in the future.")})
        event = None
    elif action == CorrectionAction.VOID:
        if event is None or event.agent_id != agent.pk:
            raise ValidationError({"event": _("Choose the punch to void.")})
        at = event.at
    else:
        raise ValidationError({"action": _("Unknown action.")})
    correction = ClockCorrection.objects.create(
        agent=agent, action=action, at=at, kind=kind, event=event, reason=reason, requested_by=user,
    )
    record(actor=user, action=AuditAction.CREATE, obj=correction, fields=["action", "at", "reason"],
           subject_agent_id=agent.pk)
    return correction


@transaction.atomic
def decide_correction(user, correction: ClockCorrection, *, approve: bool, note: str = "") -> ClockCorrection:
    """Approve (the punch is added or voided and the day judged again) or reject. Never one's own request."""
    if not may_act_on(user, correction.agent):
        raise PermissionDenied
    if correction.requested_by_id == user.pk and load_access(user).own_agent_id == correction.agent_id:
        raise PermissionDenied
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(_("This request has been decided already."))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by = user
    correction.decided_at = timezone.now()
    correction.decision_note = (note or "").strip()
    if approve:
        if correction.action == CorrectionAction.ADD:
            fp = ClockEvent.make_fingerprint(correction.agent_id, correction.at, correction.kind)
            event, _created = ClockEvent.objects.get_or_create(
                fingerprint=fp, defaults={"agent_id": correction.agent_id, "at": correction.at,
                                          "kind": correction.kind, "source": PunchSource.CORRECTION},
            )
            if event.voided:
                event.voided = False
                event.save(update_fields=["voided"])
            correction.created_event = event
        elif correction.event is not None:
            correction.event.voided = True
            correction.event.save(update_fields=["voided"])
    correction.save()
    record(actor=user, action=AuditAction.UPDATE, obj=correction, fields=["status", "decision_note"],
           subject_agent_id=correction.agent_id, purpose="approve" if approve else "reject")
    if approve and correction.at is not None:
        day = timezone.localtime(correction.at).date()
        evaluate_attendance(day - timedelta(days=1), day, [correction.agent_id])
    return correction


# --- appraisal ---------------------------------------------------------------------------------


def fill_appraisal_attendance(cycle) -> int:
    """Fill the ``attendance`` component of every appraisal of ``cycle`` (0–100: share of clean shifts).

    Reads the stored attendance days of the cycle's period; an agent without
    scheduled shifts gets no value (the component is left empty). Returns the
    number of appraisals filled.
    """
    from zhiren.performance.services import set_component_input

    appraisals = list(cycle.appraisals.select_related("agent"))
    days = defaultdict(list)
    for d in AttendanceDay.objects.filter(agent_id__in=[a.agent_id for a in appraisals], day__gte=cycle.start,
                                          day__lte=cycle.end):
        days[d.agent_id].append(d)
    filled = 0
    for appraisal in appraisals:
        judged = [d for d in days.get(appraisal.agent_id, []) if not d.excused]
        value = round(100.0 * sum(1 for d in judged if d.clean_day) / len(judged), 1) if judged else None
        set_component_input(cycle, appraisal.agent, "attendance", value)
        filled += value is not None
    return filled


def fill_open_appraisals(today: date) -> int:
    """Refresh the attendance component of every open appraisal cycle that has started (nightly)."""
    from zhiren.performance.models import AppraisalCycle, CycleStatus

    return sum(fill_appraisal_attendance(cycle) for cycle in AppraisalCycle.objects.filter(
        status=CycleStatus.OPEN, start__lte=today))


# --- site policy -------------------------------------------------------------------------------

POLICY_FIELDS = ("late_grace", "early_grace", "overtime_minimum", "late_as_absence", "response_due_days")


def may_set_policy(user, site) -> bool:
    return coverage(user, (Role.SITE_MANAGER, Role.ADMIN)).covers_all(lambda: site.teams.values_list("pk", flat=True))


@transaction.atomic
def save_policy(user, site, **values) -> AttendancePolicy:
    """Grace minutes and thresholds of a site (site manager or admin). Past days are judged again on the
    next evaluation; violations already answered keep their trail."""
    if not may_set_policy(user, site):
        raise PermissionDenied
    policy, _created = AttendancePolicy.objects.get_or_create(site=site)
    for name in POLICY_FIELDS:
        if name in values:
            setattr(policy, name, values[name])
    policy.full_clean()
    policy.save()
    record(actor=user, action=AuditAction.UPDATE, obj=policy, fields=[n for n in POLICY_FIELDS if n in values])
    return policy
