from django.contrib import admin

from .models import AttendancePolicy, ClockEvent, Rule


@admin.register(AttendancePolicy)
class AttendancePolicyAdmin(admin.ModelAdmin):
    list_display = ("site", "late_grace", "early_grace", "overtime_minimum", "late_as_absence", "response_due_days")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("title", "site", "category", "announced_on", "grace_days", "retired_on")
    list_filter = ("site", "category")
    readonly_fields = ("ladder", "announced_on", "announced_by", "grace_days", "retired_on", "created_by")


@admin.register(ClockEvent)
class ClockEventAdmin(admin.ModelAdmin):
    list_display = ("agent", "at", "kind", "source", "device", "voided")
    list_filter = ("source", "kind", "voided")
    raw_id_fields = ("agent",)
