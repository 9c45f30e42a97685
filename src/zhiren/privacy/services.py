"""Writes and audited reads of the privacy module: the export of an agent's data, and
correction requests (asked by the agent, decided by HR or the team lead)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.audit.models import AuditAction
from zhiren.audit.services import record as audit
from zhiren.core.personal_data import plain, plain_label
from zhiren.core.registries import personal_data
from zhiren.org.models import Agent

from . import selectors
from .models import CorrectionRequest, CorrectionStatus

# --- export (PIPL Art. 45) -----------------------------------------------------------------------


def export_data(actor, agent: Agent, request=None) -> dict[str, Any]:
    """Everything the registered apps hold about the agent, as plain data. Audited (export).

    The caller has checked that ``actor`` may export this agent (``selectors.export_agent``).
    """
    sources = []
    for entry in personal_data.entries():
        sections = []
        for section in entry.value.collect(agent):
            fields = [{"name": name, "label": plain_label(label)} for name, label in section.fields]
            sections.append({
                "key": section.key,
                "label": plain_label(section.label),
                "note": str(section.note),
                "fields": fields,
                "rows": [{name: plain(row.get(name)) for name, _label in section.fields} for row in section.rows],
            })
        sources.append({"key": entry.name, "label": plain_label(entry.value.label), "sections": sections})
    audit(actor=actor, action=AuditAction.EXPORT, obj=agent, fields=[s["key"] for s in sources],
          subject_agent_id=agent.pk, purpose="personal data export", request=request)
    return {
        "agent": {"id": agent.pk, "employee_no": agent.employee_no, "name": agent.name},
        "generated_at": plain(timezone.now()),
        "sources": sources,
    }


# --- correction requests (PIPL Art. 46) ----------------------------------------------------------


def ask_correction(actor, agent: Agent, topic_key: str, wrong: str, correct: str, request=None
                   ) -> CorrectionRequest:
    """The agent asks to correct data about themselves; routed to HR or their team lead."""
    if not selectors.is_own(actor, agent):
        raise PermissionDenied("only the agent asks to correct their own data")
    found = selectors.topics().get(topic_key)
    if found is None:
        raise ValidationError({"topic": _("Choose which data is wrong.")})
    wrong, correct = wrong.strip(), correct.strip()
    if not wrong or not correct:
        raise ValidationError(_("Say what is wrong and what it should be."))
    with transaction.atomic():
        asked = CorrectionRequest.objects.create(
            agent=agent, topic=topic_key, topic_label=str(found.topic.label)[:120],
            approver=found.topic.approver, wrong=wrong, correct=correct, requested_by=actor,
        )
        audit(actor=actor, action=AuditAction.CREATE, obj=asked, fields=["topic", "wrong", "correct"],
              subject_agent_id=agent.pk, request=request)
    return asked


def decide(actor, asked: CorrectionRequest, *, approve: bool, note: str = "", apply_change: bool = True,
           request=None) -> CorrectionRequest:
    """Approve or decline (with a reason) a pending request.

    Approving a topic that is a simple field (name, birthday, hire date) makes the change,
    unless ``apply_change`` is false (the approver corrected it by hand).
    """
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Give the agent a reason for declining.")})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().select_related("agent").get(pk=asked.pk)
        if not selectors.may_decide(actor, locked):
            raise PermissionDenied("not an approver of this request")
        if not locked.is_pending:
            raise ValidationError(_("This request has already been decided."))
        found = selectors.topics().get(locked.topic)
        applied = False
        if approve and apply_change and found is not None and found.topic.apply is not None:
            try:
                found.topic.apply(locked.agent, locked.correct, actor)
            except ValueError as exc:
                raise ValidationError(
                    _("The change cannot be made as asked: %(reason)s Correct it by hand and approve "
                      "without making the change, or decline.") % {"reason": exc}
                ) from exc
            applied = True
        locked.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.applied = applied
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "applied"])
        audit(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status", "decision_note"],
              subject_agent_id=locked.agent_id, request=request)
    return locked
