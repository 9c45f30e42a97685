from django.urls import path

from . import views

app_name = "discipline"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/announce/", views.rule_announce, name="rule_announce"),
    path("rules/<int:pk>/retire/", views.rule_retire, name="rule_retire"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("me/", views.my_standing, name="my_standing"),
    path("agents/<int:pk>/", views.agent_standing, name="agent_standing"),
    path("violations/", views.queue, name="queue"),
    path("violations/new/", views.violation_create, name="violation_create"),
    path("violations/<int:pk>/", views.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/respond/", views.violation_respond, name="violation_respond"),
    path("violations/<int:pk>/exception/", views.violation_exempt, name="violation_exempt"),
    path("report/", views.report, name="report"),
    path("sites/<int:pk>/policy/", views.site_policy, name="site_policy"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
]
