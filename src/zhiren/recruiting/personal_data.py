"""What recruiting holds about an agent it hired (their application: channel, tests,
interview scorecards), what it blanks when they leave, and the retention of rejected
candidates' personal data (PIPL Art. 19: kept no longer than needed).

Candidates who were never hired are not agents: their data is purged by the
``candidates`` retention rule (``services.purge_candidates``), counted from the day they
were rejected or withdrew, unless they consented to the talent pool (人才库).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import blank_rows, kept_for, model_section
from zhiren.core.registries import DataSection, PersonalDataSource, RetentionRule
from zhiren.org.models import Agent

from .models import AssessmentResult, Candidate, InterviewScorecard
from .services import purge_candidates


def collect(agent: Agent) -> list[DataSection]:
    candidates = Candidate.objects.filter(agent=agent)
    return [
        model_section(
            "application",
            _("Application"),
            Candidate,
            candidates,
            ["source", "source_detail", "applied_on", "hired_on", "phone", "id_number", "email"],
        ),
        model_section(
            "tests",
            _("Recruitment tests"),
            AssessmentResult,
            AssessmentResult.objects.filter(
                candidate__agent=agent, submitted_at__isnull=False
            ).order_by("submitted_at", "pk"),
            ["kind", "score", "submitted_at"],
        ),
        model_section(
            "interviews",
            _("Interview scorecards"),
            InterviewScorecard,
            InterviewScorecard.objects.filter(
                interview__candidate__agent=agent, submitted_at__isnull=False
            ).order_by("submitted_at", "pk"),
            ["recommendation", "notes", "submitted_at"],
        ),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Interview notes and the ID number of leavers; the channel and scores stay for the report."""
    return blank_rows(
        InterviewScorecard.objects.filter(interview__candidate__agent_id__in=agent_ids).exclude(
            notes=""
        ),
        dry_run,
        notes="",
    ) + blank_rows(
        Candidate.objects.filter(agent_id__in=agent_ids).exclude(id_number=""),
        dry_run,
        id_number="",
    )


SOURCE = PersonalDataSource(_("Recruiting"), collect, erase)
RETENTION = RetentionRule(
    _("Personal data of rejected candidates"),
    kept_for("candidates"),
    purge_candidates,
    _("the day the candidate was rejected or withdrew (not for those in the talent pool)"),
)
