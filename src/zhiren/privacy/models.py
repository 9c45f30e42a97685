"""Privacy: agents' requests to correct their data, and when each agent was first seen as left."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiren.org.models import Agent
from zhiren.org.querysets import VisibleManager


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Approver(models.TextChoices):
    HR = "hr", _("HR")
    LEAD = "lead", _("Team lead")


class CorrectionRequest(models.Model):
    """An agent asks to correct data held about them (PIPL Art. 46).

    ``topic`` names a ``CorrectionTopic`` of a registered personal-data source; its label and
    approver are copied here, so a request reads the same if the topic is later renamed.
    """

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="correction_requests", verbose_name=_("agent")
    )
    topic = models.CharField(_("data"), max_length=60)
    topic_label = models.CharField(_("data"), max_length=120)
    approver = models.CharField(_("decided by"), max_length=8, choices=Approver.choices)
    wrong = models.TextField(_("what is wrong"), max_length=1000)
    correct = models.TextField(_("what it should be"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("reason or note"), blank=True, max_length=1000)
    applied = models.BooleanField(_("changed by Zhiren"), default=False)

    objects = VisibleManager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [models.Index(fields=["status", "approver"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="privacy_correction_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decision_note=""),
                name="privacy_correction_declined_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.topic} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING


class Departure(models.Model):
    """The day ``zhiren purge`` first saw an agent with the status *left*.

    The retention period of a leaver's sensitive data counts from here: whichever way the
    status was set (the roster import, the admin, the API), the purge notices it within a
    run. An agent who returns loses the row; ``erased_at`` records the erasure.
    """

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="departure")
    noticed_on = models.DateField(_("left, noticed on"))
    erased_at = models.DateTimeField(_("sensitive data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.noticed_on}"
