"""The lead's page of their team's attrition risk (the lead's teams and HR only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiren.org.models import Role, Team
from zhiren.org.scoping import visible_to

from ..attrition.evaluation import HIGH_RISK, RAISED_RISK
from ..attrition.model import Reason
from . import services

READERS = (Role.TEAM_LEAD, Role.HR)


def risk_teams(user) -> list[Team]:
    """Teams whose risk scores the user may read: the teams they lead, or HR's."""
    return list(visible_to(Team.objects.select_related("site").order_by("site__code", "name"), user, READERS))


def reason_text(reason: Reason) -> str:
    value = reason.value
    texts = {
        "new_hire": lambda: _("In the first six months, when most leave"),
        "first_year": lambda: _("In the first year"),
        "nesting": lambda: _("Still in nesting"),
        "mood_trend": lambda: (
            _("Mood falling: %(change)s points against the two months before")
            % {"change": f"{value:+.1f}"}
        ),
        "mood_level": lambda: (
            _("Low mood in the last 30 days (average %(mood)s of 5)")
            % {"mood": f"{value + 3.5:.1f}"}
        ),
        "ledger": lambda: (
            _("Emotional bank balance of %(balance)s over 90 days") % {"balance": f"{value:+.0f}"}
        ),
        "talk_gap": lambda: _("No talk for %(weeks)s weeks") % {"weeks": f"{value:.0f}"},
        "praise_gap": lambda: _("No praise for %(weeks)s weeks") % {"weeks": f"{value:.0f}"},
        "kpi_trend": lambda: (
            _("Customer satisfaction falling (%(change)s)") % {"change": f"{value:+.2f}"}
        ),
        "qa_trend": lambda: (
            _("QA score falling (%(change)s points)") % {"change": f"{value * 10:+.0f}"}
        ),
        "absences": lambda: _("%(count)s absences in 90 days") % {"count": f"{value:.0f}"},
        "lateness": lambda: _("%(count)s late arrivals in 90 days") % {"count": f"{value:.0f}"},
        "schedule_changes": lambda: (
            _("%(count)s shifts changed after publishing in 90 days") % {"count": f"{value:.0f}"}
        ),
    }
    return texts[reason.feature]()


def action_text(action: str) -> str:
    return {
        services.TALK: _("Suggested: a one-to-one talk this week"),
        services.BUDDY: _("Suggested: pair them with a buddy"),
        services.SCHEDULE: _("Suggested: ask for their schedule wishes"),
        "": "",
    }[action]


@login_required
def risk(request):
    teams = risk_teams(request.user)
    if not teams:
        raise Http404
    chosen = request.GET.get("team")
    team = next((t for t in teams if t.code == chosen), None) if chosen else teams[0]
    if team is None:
        raise Http404
    today = timezone.localdate()
    stored, rows = services.read_team_risks(team, today, user=request.user, request=request)
    report = stored.report
    return render(
        request,
        "engagement/risk.html",
        {
            "teams": teams,
            "team": team,
            "rows": [
                {
                    "risk": r,
                    "percent": round(100 * r.probability),
                    "reasons": [reason_text(x) for x in r.reasons],
                    "action": action_text(r.action),
                }
                for r in rows
            ],
            "stored": stored,
            "auc": report["model"]["auc"],
            "baseline_auc": report["baseline"]["auc"],
            "precision": report["model"]["precision_high"],
            "recall": report["model"]["recall_high"],
            "high": round(100 * HIGH_RISK),
            "raised": round(100 * RAISED_RISK),
        },
    )
