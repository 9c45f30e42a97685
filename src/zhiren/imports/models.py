"""An import job: an uploaded file between its dry run and its commit, and the commit's progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Previewed")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False)  # under IMPORT_UPLOAD_DIR
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    preview = models.JSONField(default=list, blank=True)  # first changes, for the page
    errors = models.JSONField(default=list, blank=True)  # first errors, as RowError dicts
    warnings = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)  # e.g. a saved column mapping
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.kind} · {self.original_name} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
