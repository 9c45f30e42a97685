"""What the engagement module holds about an agent (``core.registries.personal_data``).

Anonymous answers, comments and anonymous suggestions hold nothing about anyone, so they
appear in no export: there is no way to find them. What is about the agent: the surveys
they were asked to answer (and whether they did), their identified answers (onboarding and
exit check-ins, announced as identified), their named suggestions, their offboarding and
the mutual-aid fund's grants to them (the agent sees their own; the floor sees only totals).

Photos of team-life events show people's faces: they are kept ``RETENTION_EVENT_PHOTOS_DAYS``
from the event's start, then deleted with their files (``RETENTION``); whoever signed up for
the event, the uploader and those responsible for the event can take one down before
(``teamlife.selectors.may_remove_photo``). Photos are not in the export: they are of the
event, not about the uploader.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import blank_rows, delete_rows, kept_for, model_section
from zhiren.core.registries import DataSection, PersonalDataSource, RetentionRule
from zhiren.org.models import Agent

from .models import Comment, FundGrant, Invitation, Offboarding, Response, Suggestion
from .teamlife.services import purge_event_photos


def collect(agent: Agent) -> list[DataSection]:
    user_id = agent.user_id
    invitations = (
        Invitation.objects.filter(user_id=user_id)
        .select_related("wave__survey")
        .order_by("wave_id")
        if user_id
        else []
    )
    suggestions = (
        Suggestion.objects.filter(author_id=user_id).order_by("submitted_at") if user_id else []
    )
    return [
        model_section(
            "survey_invitations",
            _("Surveys you were asked to answer"),
            Invitation,
            invitations,
            [
                ("survey", _("survey"), lambda i: str(i.wave)),
                ("responded", _("answered")),
            ],
        ),
        model_section(
            "identified_answers",
            _("Your identified check-in answers"),
            Response,
            Response.objects.filter(agent=agent).select_related("wave__survey").order_by("wave_id"),
            [
                ("survey", _("survey"), lambda r: str(r.wave)),
                ("answers", _("answers")),
                ("enps", _("recommendation score")),
            ],
        ),
        model_section(
            "identified_comments",
            _("Your identified check-in comments"),
            Comment,
            Comment.objects.filter(agent=agent).select_related("wave__survey").order_by("wave_id"),
            [
                ("survey", _("survey"), lambda c: str(c.wave)),
                ("text", _("comment")),
            ],
        ),
        model_section(
            "suggestions",
            _("Your named suggestions"),
            Suggestion,
            suggestions,
            [
                "title",
                "body",
                "status",
                "reason",
                "reward_points",
                ("submitted_at", _("submitted")),
                ("decided_at", _("decided")),
            ],
        ),
        model_section(
            "offboarding",
            _("Your offboarding"),
            Offboarding,
            Offboarding.objects.filter(agent=agent),
            [
                "last_day",
                "main_reason",
                "other_reasons",
                "conversation_on",
                "conversation_notes",
                "alumni_consent",
                "rehire",
                "rehire_note",
            ],
        ),
        model_section(
            "fund_grants",
            _("Mutual-aid fund grants to you"),
            FundGrant,
            FundGrant.objects.filter(beneficiary=agent).order_by("day", "id"),
            ["day", "amount", "reason"],
        ),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    """Identified answers and comments of leavers; their named suggestions lose the name; the
    notes of their exit conversation are blanked (the coded reasons stay, for the report); the
    fund's grants to them lose the name and the reason (the amount stays, for the fund's books)."""
    users = list(
        Agent.objects.filter(pk__in=agent_ids, user__isnull=False).values_list("user_id", flat=True)
    )
    return (
        delete_rows(Response.objects.filter(agent_id__in=agent_ids), dry_run)
        + delete_rows(Comment.objects.filter(agent_id__in=agent_ids), dry_run)
        + blank_rows(
            Suggestion.objects.filter(author_id__in=users),
            dry_run,
            author=None,
            team=None,
            anonymous=True,
        )
        + blank_rows(
            Offboarding.objects.filter(agent_id__in=agent_ids).exclude(
                conversation_notes="", rehire_note=""
            ),
            dry_run,
            conversation_notes="",
            rehire_note="",
        )
        + blank_rows(FundGrant.objects.filter(beneficiary_id__in=agent_ids), dry_run, beneficiary=None, reason="")
    )


SOURCE = PersonalDataSource(label=_("Engagement"), collect=collect, erase=erase)
RETENTION = RetentionRule(
    _("Photos of team-life events"),
    kept_for("event_photos"),
    purge_event_photos,
    _("the event's start"),
)
