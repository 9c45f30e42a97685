"""What the placement module holds about an agent (``core.registries.personal_data``) and what
it erases when an agent has left (observed traits and role wishes; picks stay, as the record of
who chose whom, for the favoritism check)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiren.core.personal_data import delete_rows, model_section
from zhiren.core.registries import APPROVER_LEAD, CorrectionTopic, DataSection, PersonalDataSource
from zhiren.org.models import Agent

from .models import AgentTraits, KnowHow, Pick, RoleWish, Trait


def _traits(row: AgentTraits) -> list[str]:
    labels = dict(Trait.choices)
    return [str(labels.get(code, code)) for code in row.traits or []]


def collect(agent: Agent) -> list[DataSection]:
    return [
        model_section("traits", _("Observed traits"), AgentTraits, AgentTraits.objects.filter(agent=agent),
                      [("traits", _("traits"), _traits), ("updated_at", _("last changed"))]),
        model_section("wishes", _("Role wishes"), RoleWish,
                      RoleWish.objects.filter(agent=agent).select_related("role").order_by("role__order", "id"),
                      [("role", _("role"), lambda w: str(w.role)), "stance", "note", "source",
                       ("updated_at", _("last changed"))]),
        model_section("picks", _("Chosen for a role"), Pick,
                      Pick.objects.filter(agent=agent).select_related("role").order_by("created_at", "id"),
                      [("created_at", _("date")), ("role", _("role"), lambda p: str(p.role)), "kind",
                       "against_wish", "justification"]),
        model_section("know_how", _("Your know-how, kept for newcomers"), KnowHow,
                      KnowHow.objects.filter(author=agent).order_by("created_at", "id"),
                      ["title", "kind", "situation", "body"]),
    ]


def erase(agent_ids: list[int], dry_run: bool) -> int:
    return (delete_rows(AgentTraits.objects.filter(agent_id__in=agent_ids), dry_run)
            + delete_rows(RoleWish.objects.filter(agent_id__in=agent_ids), dry_run))


SOURCE = PersonalDataSource(
    label=_("Placement"),
    collect=collect,
    erase=erase,
    corrections=(CorrectionTopic("placement.records", _("Traits and role wishes"), APPROVER_LEAD),),
)
