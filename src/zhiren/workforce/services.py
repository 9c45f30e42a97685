"""Every write of the workforce app: forecasts, rosters, publishing, swaps, leave, states.

Rules live here; views only parse and call. Permission is checked by the views
through the scoped selectors (404) and again here where a rule depends on it.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from zhiren.org.models import Agent, Site

from . import planning, selectors
from .engine.roster import SolverSettings, solve_roster, unmet_wishes
from .engine.roster.problem import SLOTS_PER_DAY, Assignment
from .models import (
    AgentPreference,
    AgentState,
    CurrentState,
    DraftShift,
    DraftStatus,
    ForecastVersion,
    LeaveRequest,
    PublishedShift,
    Queue,
    RequestStatus,
    RosterDraft,
    ScheduleVersion,
    ShiftNotice,
    ShiftTemplate,
    Shrinkage,
    ShrinkageKind,
    SiteRules,
    StateEvent,
    SwapRequest,
)


class StaleDraft(Exception):
    """The draft was saved by someone else since the user loaded it."""

    def __init__(self, draft: RosterDraft):
        super().__init__(
            _(
                "Someone else saved this draft (now version %(version)d) after you opened it. "
                "Your change was not saved; it is still in the form below. Review the draft and save again."
            )
            % {"version": draft.version}
        )
        self.draft = draft


# --- site setup ----------------------------------------------------------------------------

DEFAULT_TEMPLATES = (
    # name, earliest, latest, length, late, breaks
    ("早班", 8 * 60, 9 * 60, 9 * 60, False),
    ("中班", 11 * 60, 12 * 60, 9 * 60, False),
    ("晚班", 13 * 60, 14 * 60, 9 * 60, True),
)
DEFAULT_BREAKS = [
    {"kind": "break", "length": 15, "earliest_after": 90, "latest_after": 150, "paid": True},
    {"kind": "lunch", "length": 60, "earliest_after": 210, "latest_after": 300, "paid": False},
    {"kind": "break", "length": 15, "earliest_after": 360, "latest_after": 450, "paid": True},
]
DEFAULT_SHRINKAGE = {
    ShrinkageKind.BREAKS: (7.0, True),
    ShrinkageKind.MEETINGS: (3.0, False),
    ShrinkageKind.TRAINING: (4.0, False),
    ShrinkageKind.COACHING: (2.0, False),
    ShrinkageKind.LEAVE: (6.0, False),
}


def ensure_site_setup(site: Site) -> SiteRules:
    """Default rules, shift templates and shrinkage for a site that has none. Idempotent."""
    rules, _created = SiteRules.objects.get_or_create(site=site)
    if not ShiftTemplate.objects.filter(site=site).exists():
        for name, earliest, latest, length, late in DEFAULT_TEMPLATES:
            ShiftTemplate.objects.create(
                site=site,
                name=name,
                earliest_start=earliest,
                latest_start=latest,
                length_minutes=length,
                start_step=30,
                late=late,
                breaks=DEFAULT_BREAKS,
            )
    for kind, (percent, planned) in DEFAULT_SHRINKAGE.items():
        Shrinkage.objects.get_or_create(
            site=site, kind=kind, defaults={"percent": percent, "planned_in_roster": planned}
        )
    return rules


# --- forecasts -----------------------------------------------------------------------------


def _next_number(queue: Queue) -> int:
    return (ForecastVersion.objects.filter(queue=queue).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_forecast(user, queue: Queue, start: date, weeks: int) -> ForecastVersion:
    """Fit on the queue's history and store the forecast as a new version."""
    if not 1 <= weeks <= 12:
        raise ValidationError(_("Forecast between 1 and 12 weeks."))
    out = planning.run_forecast(queue, start, weeks)
    return ForecastVersion.objects.create(
        queue=queue,
        number=_next_number(queue),
        start=start,
        end=start + timedelta(days=weeks * 7 - 1),
        data=out.data,
        warnings=out.warnings,
        created_by=user,
        reason=_("Forecast from history"),
    )


@transaction.atomic
def adjust_forecast(
    user,
    version: ForecastVersion,
    first: date,
    last: date,
    from_slot: int,
    to_slot: int,
    factor: float,
    reason: str,
) -> ForecastVersion:
    """A manual adjustment: volumes of the days and quarter hours multiplied by ``factor``.

    Kept as a new version pointing at its parent, with the reason.
    """
    if not reason.strip():
        raise ValidationError(_("Give a reason for the adjustment."))
    if not 0 < factor <= 20:
        raise ValidationError(_("The factor is between 0 and 20."))
    if last < first or not (0 <= from_slot <= to_slot < SLOTS_PER_DAY):
        raise ValidationError(_("Choose a valid range of days and times."))
    data = {
        day: {"volume": list(v["volume"]), "aht": list(v["aht"])} for day, v in version.data.items()
    }
    touched = 0
    for day in planning.days_between(first, last):
        entry = data.get(day.isoformat())
        if entry is None:
            continue
        touched += 1
        for slot in range(from_slot, to_slot + 1):
            entry["volume"][slot] = round(entry["volume"][slot] * factor, 3)
    if not touched:
        raise ValidationError(_("None of these days is in the forecast."))
    return ForecastVersion.objects.create(
        queue=version.queue,
        number=_next_number(version.queue),
        parent=version,
        start=version.start,
        end=version.end,
        data=data,
        warnings=version.warnings,
        created_by=user,
        reason=reason.strip()[:200],
    )


# --- roster drafts -------------------------------------------------------------------------


def start_roster(
    user, site: Site, teams, start: date, weeks: int, time_limit_s: int = 20
) -> RosterDraft:
    """Create a draft and enqueue its generation after commit."""
    teams = list(teams)
    if not teams or any(t.site_id != site.pk for t in teams):
        raise ValidationError(_("Choose one or more teams of this site."))
    if start.weekday() != 0:
        raise ValidationError(_("A roster starts on a Monday."))
    with transaction.atomic():
        ensure_site_setup(site)
        draft = RosterDraft.objects.create(
            site=site,
            start=start,
            weeks=weeks,
            time_limit_s=time_limit_s,
            created_by=user,
            stage="queued",
            progress=2,
        )
        draft.teams.set(teams)
        draft_id = draft.pk
        transaction.on_commit(lambda: generate_roster.enqueue(draft_id))
    return draft


def _set(draft_id: int, **fields) -> None:
    RosterDraft.objects.filter(pk=draft_id).update(**fields)


def run_roster(draft_id: int) -> RosterDraft | None:
    """Generate a queued draft (the task body). Safe to run twice: only a queued draft is claimed."""
    claimed = RosterDraft.objects.filter(pk=draft_id, status=DraftStatus.QUEUED).update(
        status=DraftStatus.RUNNING, stage="requirement", progress=10
    )
    draft = RosterDraft.objects.filter(pk=draft_id).first()
    if not claimed or draft is None:
        return draft
    began = clock.monotonic()
    try:
        team_ids = list(draft.teams.values_list("pk", flat=True))
        queues = list(Queue.objects.filter(site=draft.site))
        days = [draft.start + timedelta(days=n) for n in range(draft.days)]
        latest = planning.latest_versions(queues)
        for queue in queues:
            version = latest.get(queue.pk)
            if version is None or version.start > days[0] or version.end < days[-1]:
                create_forecast(None, queue, days[0], draft.weeks)
        _set(draft_id, stage="building", progress=25)
        data = planning.roster_input(draft.site_id, team_ids, draft.start, draft.weeks)
        if not data.problem.agents:
            raise ValidationError(_("These teams have no active agents."))
        if not data.problem.templates:
            raise ValidationError(_("The site has no shift templates."))
        _set(
            draft_id,
            stage="solving",
            progress=35,
            solve_started_at=timezone.now(),
            demand=data.problem.demand,
        )
        result = solve_roster(data.problem, SolverSettings(time_limit_s=float(draft.time_limit_s)))
        engine_s = result.wall_time_s
        _set(draft_id, stage="saving", progress=95)
        with transaction.atomic():
            DraftShift.objects.filter(draft_id=draft_id).delete()
            DraftShift.objects.bulk_create(
                [
                    DraftShift(
                        draft_id=draft_id,
                        agent_id=int(a.agent_id),
                        day=days[a.day],
                        template=a.template,
                        start_minute=a.start,
                        end_minute=a.end,
                        breaks=planning.assignment_breaks(data.problem, a),
                        queues=list(a.queues),
                    )
                    for a in result.assignments
                ],
                batch_size=1000,
            )
            summary = summarize(data.problem, result, result.violations, data.agents)
            RosterDraft.objects.filter(pk=draft_id).update(
                status=DraftStatus.READY,
                stage="done",
                progress=100,
                result=summary,
                engine_seconds=round(engine_s, 2),
                total_seconds=round(clock.monotonic() - began, 2),
                version=F("version") + 1,
                message="",
            )
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the draft page
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _set(draft_id, status=DraftStatus.FAILED, stage="failed", message=message[:2000])
    return RosterDraft.objects.get(pk=draft_id)


@task()
def generate_roster(draft_id: int) -> dict:
    """The background task of ``start_roster``: build a queued draft (one already claimed is left alone).

    Declared here, beside the service that enqueues it, so that this module need not import
    ``tasks`` (which re-exports it): no import cycle between the two files.
    """
    draft = run_roster(draft_id)
    if draft is None:
        return {"draft": draft_id, "status": "missing"}
    return {"draft": draft_id, "status": draft.status, "engine_seconds": draft.engine_seconds}


def summarize(problem, result, violations, agents: dict[str, Agent]) -> dict:
    """Coverage, unmet demand, rule checks and unmet wishes, in plain JSON for the page."""
    demand_total = sum(sum(v) for v in problem.demand.values())
    under_total = sum(sum(v) for v in result.under.values())
    per_day_under = [0] * problem.days
    for values in result.under.values():
        for t, v in enumerate(values):
            per_day_under[t // SLOTS_PER_DAY] += v
    worst = []
    for q, values in result.under.items():
        for t, v in enumerate(values):
            if v:
                worst.append((v, q, t))
    worst.sort(reverse=True)
    names = {k: a.name for k, a in agents.items()}
    checks: dict[str, int] = dict.fromkeys(
        (v for v in (result.rule_checks or {}) if v != "coverage_report"), 0
    )
    for v in violations:
        checks[v.rule] = checks.get(v.rule, 0) + 1
    return {
        "coverage": round(100 * (1 - under_total / demand_total), 1) if demand_total else 100.0,
        "demand_hours": round(demand_total / 4, 1),
        "under_hours": round(under_total / 4, 1),
        "over_hours": round(sum(sum(v) for v in result.over.values()) / 4, 1),
        "under_by_day": [round(v / 4, 1) for v in per_day_under],
        "worst": [
            {
                "queue": q,
                "day": t // SLOTS_PER_DAY,
                "time": f"{(t % 96) // 4:02d}:{(t % 4) * 15:02d}",
                "missing": v,
            }
            for v, q, t in worst[:8]
        ],
        "checks": checks,
        "violations": [
            {
                "rule": v.rule,
                "agent": names.get(v.agent_id or "", v.agent_id),
                "day": v.day,
                "detail": v.detail,
            }
            for v in violations
            if v.rule != "coverage_report"
        ][:50],
        "wishes": [
            {
                "agent": names.get(w.agent_id, w.agent_id),
                "day": w.day,
                "kind": w.kind,
                "detail": w.detail,
            }
            for w in result.unmet_wishes
        ][:100],
        "wishes_total": len(result.unmet_wishes),
        "shifts": len(result.assignments),
    }


def _draft_assignments(draft: RosterDraft) -> list[Assignment]:
    out = []
    for s in DraftShift.objects.filter(draft=draft).order_by("agent_id", "day"):
        out.append(
            Assignment(
                agent_id=str(s.agent_id),
                day=(s.day - draft.start).days,
                template=s.template,
                start=s.start_minute,
                end=s.end_minute,
                breaks=tuple((a, b) for _k, a, b in s.breaks),
                queues=tuple(s.queues),
            )
        )
    return out


def edit_draft_shift(
    user,
    draft: RosterDraft,
    expected_version: int,
    agent: Agent,
    day: date,
    template_name: str | None,
    start_minute: int | None = None,
) -> RosterDraft:
    """Set one agent's shift on one day by hand (``template_name`` None: day off), re-check, bump the version.

    Raises :class:`StaleDraft` when the draft changed since ``expected_version``.
    """
    if draft.status not in (DraftStatus.READY,):
        raise ValidationError(_("Only a finished, unpublished draft can be edited."))
    if not draft.teams.filter(pk=agent.team_id).exists():
        raise ValidationError(_("This agent is not in the draft's teams."))
    offset = (day - draft.start).days
    if not 0 <= offset < draft.days:
        raise ValidationError(_("This day is outside the draft."))
    with transaction.atomic():
        # optimistic lock: the row is updated only if nobody saved since the form was loaded
        if not RosterDraft.objects.filter(pk=draft.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        ):
            draft.refresh_from_db()
            raise StaleDraft(draft)
        data = planning.roster_input(
            draft.site_id,
            list(draft.teams.values_list("pk", flat=True)),
            draft.start,
            draft.weeks,
            demand=draft.demand,
        )
        DraftShift.objects.filter(draft=draft, agent=agent, day=day).delete()
        if template_name:
            template = next((t for t in data.problem.templates if t.name == template_name), None)
            if template is None:
                raise ValidationError(_("Unknown shift template."))
            start = template.earliest_start if start_minute is None else int(start_minute)
            end = start + template.length_minutes
            breaks = []
            for rule in template.breaks:
                b0 = start + rule.earliest_after
                if breaks:
                    b0 = max(b0, breaks[-1][2])
                b0 = min(b0, start + rule.latest_after)
                breaks.append([planning.break_kind(rule.name), b0, b0 + rule.length_minutes])
            queues = planning.queues_for_slots(
                data.problem, str(agent.pk), offset, start, end, breaks
            )
            DraftShift.objects.create(
                draft=draft,
                agent=agent,
                day=day,
                template=template_name,
                start_minute=start,
                end_minute=end,
                breaks=breaks,
                queues=list(queues),
            )
        result, violations = planning.check(data.problem, _draft_assignments(draft))
        result.rule_checks = dict.fromkeys(draft.result.get("checks", {}), 0)
        result.unmet_wishes = unmet_wishes(data.problem, result.assignments)
        RosterDraft.objects.filter(pk=draft.pk).update(
            result=summarize(data.problem, result, violations, data.agents)
        )
    draft.refresh_from_db()
    return draft


def publish_draft(
    user, draft: RosterDraft, expected_version: int, note: str = ""
) -> ScheduleVersion:
    """Publish a ready draft as a new schedule version; agents whose shifts change are notified."""
    if draft.status != DraftStatus.READY:
        raise ValidationError(_("Only a finished, unpublished draft can be published."))
    with transaction.atomic():
        # One publish at a time per site: two drafts published at once would both take
        # the next version number (the second failing on the unique number).
        list(Site.objects.select_for_update().filter(pk=draft.site_id).values_list("pk"))
        if not RosterDraft.objects.filter(
            pk=draft.pk, version=expected_version, status=DraftStatus.READY
        ).update(version=F("version") + 1, status=DraftStatus.PUBLISHED):
            draft.refresh_from_db()
            raise StaleDraft(draft)
        number = (
            ScheduleVersion.objects.filter(site=draft.site).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        end = draft.start + timedelta(days=draft.days - 1)
        version = ScheduleVersion.objects.create(
            site=draft.site,
            number=number,
            draft=draft,
            start=draft.start,
            end=end,
            note=note[:200],
            published_by=user,
        )
        meeting = planning.meeting_window(planning.site_rules(draft.site_id))
        agent_ids = list(planning.active_agents(list(draft.teams.values_list("pk", flat=True))))
        new = {}
        for s in DraftShift.objects.filter(draft=draft):
            acts = planning.shift_activities(s.start_minute, s.end_minute, s.breaks, meeting)
            new[(s.agent_id, s.day)] = PublishedShift(
                version=version,
                agent_id=s.agent_id,
                day=s.day,
                template=s.template,
                start_minute=s.start_minute,
                end_minute=s.end_minute,
                activities=[list(a) for a in _fill(s.start_minute, s.end_minute, acts)],
                queues=s.queues,
            )
        _replace_published(
            [a.pk for a in agent_ids], draft.start, end, new, notify_reason=_("new schedule")
        )
    return version


def _fill(start, end, inner):
    from .schedules import build_activities

    return build_activities(start, end, inner)


def _describe(shift) -> str:
    if shift is None:
        return _("day off")
    return (
        f"{shift.template} {shift.start_minute // 60 % 24:02d}:{shift.start_minute % 60:02d}–"
        f"{shift.end_minute // 60 % 24:02d}:{shift.end_minute % 60:02d}"
    )


def _replace_published(agent_ids, start: date, end: date, new: dict, *, notify_reason: str) -> int:
    """Make ``new`` {(agent, day): PublishedShift} the active schedule of these agents and days.

    Changed (agent, day) pairs that had a published shift before are notified. Returns changes.
    """
    old = {
        (p.agent_id, p.day): p
        for p in PublishedShift.objects.filter(
            agent_id__in=agent_ids, day__range=(start, end), active=True
        )
    }
    changed = []
    for key in set(old) | set(new):
        before, after = old.get(key), new.get(key)
        if (
            before
            and after
            and (before.start_minute, before.end_minute, before.activities)
            == (after.start_minute, after.end_minute, after.activities)
        ):
            new.pop(key)
            old.pop(key)
            continue
        changed.append((key, before, after))
    PublishedShift.objects.filter(pk__in=[p.pk for p in old.values()]).update(active=False)
    PublishedShift.objects.bulk_create(list(new.values()), batch_size=1000)
    today = timezone.localdate()
    notices = [
        ShiftNotice(
            agent_id=agent_id,
            day=day,
            text=_("%(day)s: your shift changed from %(before)s to %(after)s (%(reason)s).")
            % {
                "day": day.strftime("%m-%d"),
                "before": _describe(before),
                "after": _describe(after),
                "reason": notify_reason,
            },
        )
        for (agent_id, day), before, after in changed
        if before is not None and day >= today
    ]
    ShiftNotice.objects.bulk_create(notices)
    return len(changed)


# --- calendar and preferences --------------------------------------------------------------


def preference_of(agent: Agent) -> AgentPreference:
    pref, _created = AgentPreference.objects.get_or_create(agent=agent)
    return pref


def calendar_token(agent: Agent) -> str:
    pref = preference_of(agent)
    if not pref.calendar_token:
        pref.calendar_token = AgentPreference.new_token()
        pref.save(update_fields=["calendar_token"])
    return pref.calendar_token


def reset_calendar_token(agent: Agent) -> str:
    """A new secret URL; the old one stops working at once."""
    pref = preference_of(agent)
    pref.calendar_token = AgentPreference.new_token()
    pref.save(update_fields=["calendar_token"])
    return pref.calendar_token


def save_wishes(
    agent: Agent, preferred_templates: list[str], preferred_days_off: list[int], note: str
):
    pref = preference_of(agent)
    pref.preferred_templates = sorted(set(preferred_templates))
    pref.preferred_days_off = sorted({int(d) for d in preferred_days_off if 0 <= int(d) <= 6})
    pref.note = note[:200]
    pref.save(update_fields=["preferred_templates", "preferred_days_off", "note"])
    return pref


def mark_notices_read(agent: Agent) -> int:
    return ShiftNotice.objects.filter(agent=agent, read=False).update(read=True)


# --- leave ---------------------------------------------------------------------------------


def request_leave(
    user, agent: Agent, kind: str, start: date, end: date, reason: str = ""
) -> LeaveRequest:
    leave = LeaveRequest(agent=agent, kind=kind, start=start, end=end, reason=reason)
    leave.full_clean()
    if LeaveRequest.objects.filter(
        agent=agent,
        status__in=(RequestStatus.PENDING, RequestStatus.APPROVED),
        start__lte=end,
        end__gte=start,
    ).exists():
        raise ValidationError(_("You already asked for leave on some of these days."))
    leave.save()
    return leave


def leave_impact(leave: LeaveRequest) -> list[dict]:
    """Per day asked: the agent's shift, and the team's quarter hours short before and after."""
    days = planning.days_between(leave.start, leave.end)
    agent = leave.agent
    shifts = {s.day: s for s in selectors.published_shifts([agent.pk], leave.start, leave.end)}
    queues = list(Queue.objects.filter(site_id=agent.team.site_id))
    team_agents = planning.active_agents([agent.team_id])
    skills = planning.agent_skills(team_agents, queues)
    demand = planning.team_share_demand(agent.team.site_id, queues, team_agents, skills, days)
    scheduled = [0] * (len(days) * SLOTS_PER_DAY)
    own = [0] * len(scheduled)
    zone = planning.tz()
    for shift in selectors.published_shifts([a.pk for a in team_agents], leave.start, leave.end):
        for act in shift.activities:
            if act.kind != "work":
                continue
            t = act.start.astimezone(zone)
            while t < act.end:
                i = (t.date() - leave.start).days * SLOTS_PER_DAY + (t.hour * 60 + t.minute) // 15
                if 0 <= i < len(scheduled):
                    scheduled[i] += 1
                    if shift.agent_id == agent.pk:
                        own[i] += 1
                t += timedelta(minutes=15)
    required = [sum(v[i] for v in demand.values()) for i in range(len(scheduled))]
    out = []
    for d, day in enumerate(days):
        rng = range(d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY)
        short_before = sum(1 for i in rng if scheduled[i] < required[i])
        short_after = sum(1 for i in rng if scheduled[i] - own[i] < required[i])
        out.append(
            {
                "day": day,
                "shift": shifts.get(day),
                "short_before_h": short_before / 4,
                "short_after_h": short_after / 4,
                "added_h": (short_after - short_before) / 4,
            }
        )
    return out


def decide_leave(user, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """Approve (the agent's published shifts on those days are removed) or refuse.

    A refusal writes a withdrawal into the deciding lead's emotional bank account
    with the agent (``people.services.record_entry``, idempotent per request).
    """
    if not selectors.may_approve(user, leave.agent):
        raise PermissionDenied
    if leave.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    with transaction.atomic():
        if not LeaveRequest.objects.filter(pk=leave.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.APPROVED if approve else RequestStatus.REFUSED,
            decided_by=user,
            decided_at=timezone.now(),
            decision_note=note[:200],
        ):
            raise ValidationError(_("This request was already decided."))
        leave.refresh_from_db()
        if approve:
            _replace_published(
                [leave.agent_id], leave.start, leave.end, {}, notify_reason=_("leave approved")
            )
        else:
            _bank_withdrawal(user, leave, note)
    return leave


def _bank_withdrawal(user, leave: LeaveRequest, note: str) -> None:
    try:
        from zhiren.people.services import record_entry
    except ImportError:  # the people module is not installed
        return
    text = _("Leave %(start)s–%(end)s refused") % {"start": leave.start, "end": leave.end}
    record_entry(
        user,
        leave.agent,
        "refused_request",
        f"{text}: {note}" if note else text,
        occurred_on=timezone.localdate(),
        source="workforce",
        source_ref=f"leave:{leave.pk}",
    )


# --- swaps ---------------------------------------------------------------------------------


def request_swap(
    user, agent: Agent, day: date, partner: Agent | None = None, note: str = ""
) -> SwapRequest:
    """Offer one's shift of ``day`` to the team (no partner) or ask ``partner`` to exchange."""
    if day < timezone.localdate():
        raise ValidationError(_("This day is past."))
    if partner is not None and (
        partner.pk == agent.pk or partner.team.site_id != agent.team.site_id
    ):
        raise ValidationError(_("Choose a colleague of your site."))
    if SwapRequest.objects.filter(
        requester=agent, day=day, status__in=(RequestStatus.OPEN, RequestStatus.PENDING)
    ).exists():
        raise ValidationError(_("You already have a swap request for this day."))
    swap = SwapRequest.objects.create(
        requester=agent,
        partner=partner,
        day=day,
        note=note[:200],
        status=RequestStatus.PENDING if partner else RequestStatus.OPEN,
    )
    if partner:
        _check_and_maybe_approve(swap)
    return swap


def accept_swap(user, swap: SwapRequest, agent: Agent) -> SwapRequest:
    """A colleague takes an open offer: it goes to approval (or is approved by the site rule)."""
    if swap.status != RequestStatus.OPEN or agent.pk == swap.requester_id:
        raise ValidationError(_("This offer is no longer open."))
    if agent.team_id != swap.requester.team_id:
        raise ValidationError(_("Only a colleague of the same team can take this shift."))
    if not SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.OPEN).update(
        partner=agent, status=RequestStatus.PENDING
    ):
        raise ValidationError(_("This offer is no longer open."))
    swap.refresh_from_db()
    return _check_and_maybe_approve(swap)


def _check_and_maybe_approve(swap: SwapRequest) -> SwapRequest:
    swap.checks = swap_checks(swap)
    swap.save(update_fields=["checks"])
    if not swap.checks and planning.site_rules(swap.requester.team.site_id).auto_approve_swaps:
        _apply_swap(swap, None)
    return swap


def swap_checks(swap: SwapRequest) -> list[str]:
    """Skills and labour rules for both agents after the exchange (empty: every check passes)."""
    a, b = swap.requester, swap.partner
    if b is None:
        return []
    week = selectors.week_start(swap.day)
    start, end = week - timedelta(days=7), week + timedelta(days=13)
    shifts = {
        (r.agent_id, r.day): r
        for r in PublishedShift.objects.filter(
            agent__in=[a, b], day__range=(start, end), active=True
        )
    }
    mine, theirs = shifts.get((a.pk, swap.day)), shifts.get((b.pk, swap.day))
    problems: list[str] = []
    if mine is None and theirs is None:
        return [_("Neither of you works on that day: there is nothing to swap.")]
    queues = list(Queue.objects.filter(site_id=a.team.site_id))
    skills = planning.agent_skills([a, b], queues)
    for shift, taker in ((mine, b), (theirs, a)):
        if shift is None:
            continue
        missing = {q for q in shift.queues if q} - set(skills[taker.pk])
        if missing:
            problems.append(
                _("%(name)s lacks the skill for %(queues)s.")
                % {"name": taker.name, "queues": "、".join(sorted(missing))}
            )
    data = planning.roster_input(a.team.site_id, [], start, 3, demand={})
    from .engine.roster.problem import Agent as EngineAgent

    prefs = {p.agent_id: p for p in AgentPreference.objects.filter(agent__in=[a, b])}
    data.problem.agents = [
        EngineAgent(
            id=str(x.pk),
            skills=skills[x.pk] or ("-",),
            max_minutes_week=prefs[x.pk].max_minutes_week if x.pk in prefs else 40 * 60,
        )
        for x in (a, b)
    ]
    known = {t.name for t in data.problem.templates}
    assignments = []
    for (agent_id, day), row in shifts.items():
        if day == swap.day:
            agent_id = b.pk if agent_id == a.pk else a.pk
        if row.template not in known:
            continue
        breaks = tuple((s, e) for k, s, e in row.activities if k in ("break", "lunch"))
        assignments.append(
            Assignment(
                str(agent_id),
                (day - start).days,
                row.template,
                row.start_minute,
                row.end_minute,
                breaks,
                tuple(None for _q in row.queues),
            )
        )
    _result, violations = planning.check(data.problem, assignments)
    names = {str(a.pk): a.name, str(b.pk): b.name}
    for v in violations:
        if v.rule in (
            "coverage_report",
            "queue_assignment",
            "breaks",
            "min_contract_hours",
            "shift_shape",
        ):
            continue
        problems.append(
            _("%(name)s: %(rule)s (%(detail)s)")
            % {
                "name": names.get(v.agent_id or "", ""),
                "rule": RULE_LABELS.get(v.rule, v.rule),
                "detail": v.detail,
            }
        )
    return problems


# Lazy: evaluated in the language of whoever reads the check, not at import.
RULE_LABELS = {
    "one_shift_per_day": gettext_lazy("two shifts on one day"),
    "leave": gettext_lazy("works on a leave day"),
    "min_rest": gettext_lazy("too little rest between shifts"),
    "max_consecutive_days": gettext_lazy("too many consecutive working days"),
    "rest_days_per_week": gettext_lazy("too few rest days in the week"),
    "max_hours_per_day": gettext_lazy("too many hours in a day"),
    "max_hours_per_week": gettext_lazy("too many hours in the week"),
    "transition_ban": gettext_lazy("banned shift sequence"),
}


def decide_swap(user, swap: SwapRequest, approve: bool) -> SwapRequest:
    if not selectors.may_approve(user, swap.requester):
        raise PermissionDenied
    if swap.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if approve:
        checks = swap_checks(swap)
        if checks:
            raise ValidationError(checks)
        _apply_swap(swap, user)
    else:
        SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.REFUSED, decided_by=user, decided_at=timezone.now()
        )
    swap.refresh_from_db()
    return swap


@transaction.atomic
def _apply_swap(swap: SwapRequest, user) -> None:
    if not SwapRequest.objects.filter(pk=swap.pk, status=RequestStatus.PENDING).update(
        status=RequestStatus.APPROVED, decided_by=user, decided_at=timezone.now()
    ):
        raise ValidationError(_("This request was already decided."))
    a, b = swap.requester_id, swap.partner_id
    current = {
        r.agent_id: r
        for r in PublishedShift.objects.filter(agent_id__in=[a, b], day=swap.day, active=True)
    }
    new = {}
    for source, target in ((a, b), (b, a)):
        row = current.get(source)
        if row is not None:
            new[(target, swap.day)] = PublishedShift(
                version_id=row.version_id,
                agent_id=target,
                day=swap.day,
                template=row.template,
                start_minute=row.start_minute,
                end_minute=row.end_minute,
                activities=row.activities,
                queues=row.queues,
            )
    _replace_published([a, b], swap.day, swap.day, new, notify_reason=_("swap approved"))
    swap.refresh_from_db()


def cancel_request(obj) -> None:
    type(obj).objects.filter(
        pk=obj.pk, status__in=(RequestStatus.OPEN, RequestStatus.PENDING)
    ).update(status=RequestStatus.CANCELLED)


# --- agent states --------------------------------------------------------------------------


def ingest_states(user, rows: list[dict]) -> int:
    """Store state events ``{"agent": id or employee no., "state": ..., "at": ISO time}``.

    All or nothing: a bad row raises ``ValidationError`` naming its index. Agents must be
    within the user's planning or approval scope. Updates each agent's current state.
    """
    if not isinstance(rows, list) or not rows:
        raise ValidationError(_("Send a non-empty list of events."))
    if len(rows) > 20000:
        raise ValidationError(_("Send at most 20,000 events at once."))
    team_ids = set(selectors.approver_teams(user).values_list("pk", flat=True))
    refs = {str(r.get("agent", "")) for r in rows if isinstance(r, dict)}
    by_ref: dict[str, int] = {}
    for pk, employee_no, team_id in Agent.objects.filter(employee_no__in=refs).values_list(
        "pk", "employee_no", "team_id"
    ):
        if team_id in team_ids:
            by_ref[employee_no] = pk
    numeric = [int(r) for r in refs if r.isdigit()]
    for pk, team_id in Agent.objects.filter(pk__in=numeric).values_list("pk", "team_id"):
        if team_id in team_ids:
            by_ref.setdefault(str(pk), pk)
    states = set(AgentState.values)
    events = []
    now = timezone.now()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationError(_("Event %(n)d is not an object.") % {"n": i + 1})
        agent_id = by_ref.get(str(row.get("agent", "")))
        if agent_id is None:
            raise ValidationError(
                _("Event %(n)d: unknown agent %(agent)s.") % {"n": i + 1, "agent": row.get("agent")}
            )
        if row.get("state") not in states:
            raise ValidationError(
                _("Event %(n)d: unknown state %(state)s.") % {"n": i + 1, "state": row.get("state")}
            )
        at = parse_datetime(str(row.get("at", ""))) if row.get("at") else now
        if at is None:
            raise ValidationError(_("Event %(n)d: the time is not ISO 8601.") % {"n": i + 1})
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        events.append(StateEvent(agent_id=agent_id, state=row["state"], at=at))
    latest: dict[int, StateEvent] = {}
    for e in events:
        if e.agent_id not in latest or e.at >= latest[e.agent_id].at:
            latest[e.agent_id] = e
    with transaction.atomic():
        StateEvent.objects.bulk_create(events, batch_size=2000)
        known = {
            c.agent_id: c.since for c in CurrentState.objects.filter(agent_id__in=list(latest))
        }
        fresh = [e for e in latest.values() if e.agent_id not in known or e.at >= known[e.agent_id]]
        CurrentState.objects.bulk_create(
            [
                CurrentState(agent_id=e.agent_id, state=e.state, since=e.at, received_at=now)
                for e in fresh
            ],
            update_conflicts=True,
            unique_fields=["agent"],
            update_fields=["state", "since", "received_at"],
        )
    return len(events)


def adherence_report(team_agents: list[Agent], day: date) -> list[dict]:
    """Adherence and conformance per agent for one day (all from the stored state events)."""
    from .adherence import adherence

    zone = planning.tz()
    start = datetime.combine(day, datetime.min.time(), zone)
    end = start + timedelta(days=1, hours=12)
    ids = [a.pk for a in team_agents]
    shifts = defaultdict(list)
    for s in selectors.published_shifts(ids, day, day):
        shifts[s.agent_id].append(s)
    events = defaultdict(list)
    for agent_id, at, state in StateEvent.objects.filter(
        agent_id__in=ids, at__range=(start - timedelta(hours=12), end)
    ).values_list("agent_id", "at", "state"):
        events[agent_id].append((at, state))
    now = timezone.now()
    out = []
    for agent in team_agents:
        window_end = min(end, max(now, start))
        res = adherence(shifts[agent.pk], events[agent.pk], start, window_end, grace_minutes=0)
        out.append({"agent": agent, "shifts": shifts[agent.pk], "result": res})
    return out
