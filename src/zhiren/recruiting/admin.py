from django.contrib import admin

from .models import InterviewKit, Requisition


@admin.register(InterviewKit)
class InterviewKitAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "minutes"]


@admin.register(Requisition)
class RequisitionAdmin(admin.ModelAdmin):
    list_display = ["role", "site", "headcount", "needed_by", "status"]
