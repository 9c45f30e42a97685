from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("agents/<int:pk>/", views.agent, name="agent"),
    path("me/", views.mine, name="mine"),
    path("export/<slug:table>.<str:fmt>", views.table_export, name="export"),
    path("targets/", views.targets, name="targets"),
    path("targets/teams/<int:pk>/", views.team_targets, name="team_targets"),
    path("goals/", views.goals, name="goals"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("appraisals/", views.cycles, name="cycles"),
    path("appraisals/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("import/", views.import_interactions, name="import"),
    path("import/mappings/", views.mappings, name="mappings"),
]
