"""Reads of roster drafts, through the planner's scope: lists, the draft grid, its progress."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from zhiren.org.models import Agent, Site
from zhiren.org.scoping import get_or_404

from ..models import DraftShift, DraftStatus, RosterDraft
from ..scope import planner_sites
from ..staff import active_agents, active_template_names


def visible_drafts(user) -> QuerySet[RosterDraft]:
    return RosterDraft.objects.filter(site__in=planner_sites(user)).select_related(
        "site", "created_by"
    )


def get_draft(user, pk) -> RosterDraft:
    return get_or_404(visible_drafts(user), pk)


def site_drafts(user, site: Site) -> QuerySet[RosterDraft]:
    return visible_drafts(user).filter(site=site).prefetch_related("teams")


def draft_grid(draft: RosterDraft) -> dict:
    """The draft as agents × days, with the site's shift templates and the draft's teams."""
    days = [draft.start + timedelta(days=n) for n in range(draft.days)]
    agents = active_agents(list(draft.teams.values_list("pk", flat=True)))
    shifts = {(s.agent_id, s.day): s for s in DraftShift.objects.filter(draft=draft)}
    return {
        "days": days,
        "rows": [{"agent": a, "cells": [shifts.get((a.pk, d)) for d in days]} for a in agents],
        "templates": active_template_names(draft.site_id),
        "teams": list(draft.teams.all()),
    }


def draft_agent(draft: RosterDraft, agent_id: int) -> Agent | None:
    """The agent, when they belong to one of the draft's teams."""
    return Agent.objects.filter(pk=agent_id, team__in=draft.teams.all()).first()


def progress(draft: RosterDraft, now: datetime) -> int:
    """Percent done; while the solver runs, estimated from the time spent over its limit."""
    if draft.status == DraftStatus.RUNNING and draft.stage == "solving" and draft.solve_started_at:
        elapsed = (now - draft.solve_started_at).total_seconds()
        return min(94, 35 + int(59 * elapsed / max(1, draft.time_limit_s)))
    return draft.progress
