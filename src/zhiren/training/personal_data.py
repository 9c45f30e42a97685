"""What the training module holds about an agent (``core.registries.personal_data``).

Training records (enrolments, attendance, quiz results, certifications) are employment
records, kept while the employment lasts; nothing here is sensitive, so nothing is erased
when an agent leaves beyond what the agent's own deletion removes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import model_section
from zhiren.core.registries import DataSection, PersonalDataSource
from zhiren.org.models import Agent

from .models import Attempt, Attendance, Certification, Enrolment, Extension, SignOff


def collect(agent: Agent) -> list[DataSection]:
    return [
        model_section(
            "enrolments",
            _("Training programmes"),
            Enrolment,
            Enrolment.objects.filter(agent=agent)
            .select_related("programme", "cohort")
            .order_by("enrolled_on", "id"),
            [
                ("programme", _("programme"), lambda e: e.programme.name),
                "status",
                "enrolled_on",
                "nesting_until",
                "completed_on",
            ],
        ),
        model_section(
            "attendance",
            _("Training sessions attended"),
            Attendance,
            Attendance.objects.filter(agent=agent)
            .select_related("session")
            .order_by("session__held_on", "id"),
            [("held_on", _("held on"), lambda a: a.session.held_on), "present", "rating"],
        ),
        model_section(
            "attempts",
            _("Quiz results"),
            Attempt,
            Attempt.objects.filter(agent=agent)
            .select_related("quiz")
            .order_by("submitted_at", "id"),
            [("quiz", _("quiz"), lambda a: a.quiz.title), "mode", "submitted_at", "score"],
        ),
        model_section(
            "sign_offs",
            _("Nesting sign-offs"),
            SignOff,
            SignOff.objects.filter(enrolment__agent=agent).order_by("signed_at", "id"),
            ["role", ("signed_at", _("date")), "note"],
        ),
        model_section(
            "extensions",
            _("Nesting extensions"),
            Extension,
            Extension.objects.filter(enrolment__agent=agent).order_by("at", "id"),
            ["new_until", "reason", ("at", _("date"))],
        ),
        model_section(
            "certifications",
            _("Certifications"),
            Certification,
            Certification.objects.filter(agent=agent)
            .select_related("queue")
            .order_by("certified_on", "id"),
            [
                ("queue", _("queue"), lambda c: c.queue.name),
                "certified_on",
                "expires_on",
                "recertification",
            ],
        ),
    ]


SOURCE = PersonalDataSource(_("Training"), collect)
