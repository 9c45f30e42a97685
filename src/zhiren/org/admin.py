from django.contrib import admin

from .models import Agent, Center, RoleAssignment, Site, Team


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin[Center]):
    list_display = ["name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ["code", "name", "city", "center"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["code", "name", "site", "main_channel"]
    list_filter = ["site"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin[Agent]):
    list_display = ["employee_no", "name", "team", "position", "status"]
    list_filter = ["team__site", "team", "position", "status"]
    search_fields = ["employee_no", "name"]
    raw_id_fields = ["user"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "scope", "site"]
    list_filter = ["role", "scope"]
    filter_horizontal = ["teams"]
