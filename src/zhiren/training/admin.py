from django.contrib import admin

from .models import Cohort, Item, Milestone, PlanGoal, Programme, Quiz, Session, TrainingPlan


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "site", "tier", "role_code", "queue", "active")
    list_filter = ("site", "tier", "active")
    inlines = [MilestoneInline]
    filter_horizontal = ("trainers",)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "starts_on", "weeks", "trainer")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("stem", "site", "topic", "criterion_key", "active")
    list_filter = ("site", "topic", "active")


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "site", "programme", "pass_mark")
    filter_horizontal = ("items",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("programme", "milestone", "held_on", "format", "trainer")


class PlanGoalInline(admin.TabularInline):
    model = PlanGoal
    extra = 1


@admin.register(TrainingPlan)
class TrainingPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "site", "first_year", "last_year")
    inlines = [PlanGoalInline]
