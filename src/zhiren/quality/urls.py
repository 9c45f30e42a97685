from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("contacts/<int:pk>/score/", views.score, name="score"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/release/", views.release, name="release"),
    path("evaluations/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("disputes/<int:pk>/reply/", views.dispute_reply, name="dispute_reply"),
    path("disputes/<int:pk>/escalate/", views.dispute_escalate, name="dispute_escalate"),
    path("disputes/<int:pk>/rule/", views.dispute_rule, name="dispute_rule"),
    path("calibration/<int:pk>/", views.calibration, name="calibration"),
    path("reports/", views.reports, name="reports"),
    path("samples/<int:pk>/self-evaluate/", views.self_evaluate, name="self_evaluate"),
    path("transcripts/import/", views.import_transcripts, name="import_transcripts"),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("reports/export/", views.export, name="export"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("phrase-lists/new/", views.phrase_list_edit, name="phrase_list_create"),
    path("phrase-lists/<int:pk>/", views.phrase_list_edit, name="phrase_list_edit"),
]
