from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("me/", views.my_profile, name="my_profile"),
    path("agents/<int:pk>/", views.profile, name="profile"),
    path("agents/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("agents/<int:pk>/life-stage/", views.life_stage, name="life_stage"),
    path("agents/<int:pk>/life-stage/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("agents/<int:pk>/export.json", views.export_json, name="export_json"),
    path("agents/<int:pk>/export/", views.export_page, name="export_page"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("teams/<int:pk>/cadence/", views.cadence, name="cadence"),
    path("ledger/", views.ledger_overview, name="ledger_overview"),
    path("ledger/<int:pk>/", views.ledger, name="ledger"),
    path("digest/", views.digest_settings, name="digest_settings"),
    path("digest/robots/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
