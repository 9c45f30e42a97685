"""Writes of roster drafts: start a draft, generate it in a task, edit it by hand, publish it.

``generate_roster`` is the task of ``start_roster``, declared here beside it (and named in
``workforce.tasks``) so that this module need not import the tasks module.
"""

from __future__ import annotations

import time as clock
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from zhiren.org.models import Agent, Site

from ..engine.roster import SolverSettings, solve_roster, unmet_wishes
from ..engine.roster.problem import SLOTS_PER_DAY, Assignment
from ..models import (
    DraftShift,
    DraftStatus,
    PublishedShift,
    Queue,
    RosterDraft,
    ScheduleVersion,
)
from ..planning.forecasting import latest_versions
from ..planning.services import create_forecast, ensure_site_setup
from ..publishing import replace_published
from ..schedules import build_activities
from ..staff import active_agents, site_rules
from . import roster


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
        latest = latest_versions(queues)
        for queue in queues:
            version = latest.get(queue.pk)
            if version is None or version.start > days[0] or version.end < days[-1]:
                create_forecast(None, queue, days[0], draft.weeks)
        _set(draft_id, stage="building", progress=25)
        data = roster.roster_input(draft.site_id, team_ids, draft.start, draft.weeks)
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
                        breaks=roster.assignment_breaks(data.problem, a),
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
                "params": dict(v.params),
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
                "params": dict(w.params),
            }
            for w in result.unmet_wishes
        ][:100],
        "wishes_total": len(result.unmet_wishes),
        "shifts": len(result.assignments),
    }


def draft_assignments(draft: RosterDraft) -> list[Assignment]:
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
        data = roster.roster_input(
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
                breaks.append([roster.break_kind(rule.name), b0, b0 + rule.length_minutes])
            queues = roster.queues_for_slots(
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
        result, violations = roster.check(data.problem, draft_assignments(draft))
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
        meeting = roster.meeting_window(site_rules(draft.site_id))
        agent_ids = list(active_agents(list(draft.teams.values_list("pk", flat=True))))
        new = {}
        for s in DraftShift.objects.filter(draft=draft):
            acts = roster.shift_activities(s.start_minute, s.end_minute, s.breaks, meeting)
            new[(s.agent_id, s.day)] = PublishedShift(
                version=version,
                agent_id=s.agent_id,
                day=s.day,
                template=s.template,
                start_minute=s.start_minute,
                end_minute=s.end_minute,
                activities=[list(a) for a in build_activities(s.start_minute, s.end_minute, acts)],
                queues=s.queues,
            )
        replace_published(
            [a.pk for a in agent_ids], draft.start, end, new, notify_reason=_("new schedule")
        )
    return version
