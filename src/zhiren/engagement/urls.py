from django.urls import path

from . import views
from .fund import views as fund_views
from .parting import views as parting_views
from .risk import views as risk_views
from .teamlife import views as life_views

app_name = "engagement"

urlpatterns = [
    path("", views.home, name="home"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/launch/", views.launch, name="launch"),
    path("waves/<int:pk>/answer/", views.answer, name="answer"),
    path("waves/<int:pk>/", views.results, name="results"),
    path("waves/<int:pk>/export/", views.export, name="export"),
    path("waves/<int:pk>/remind/", views.remind, name="remind"),
    path("waves/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/dashboard/", views.dashboard, name="dashboard"),
    path("suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("suggestions/<int:pk>/move/", views.suggestion_move, name="suggestion_move"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/members/", views.supervision_member_add, name="supervision_member_add"),
    path("supervision/items/", views.supervision_item_add, name="supervision_item_add"),
    path(
        "supervision/items/<int:pk>/move/",
        views.supervision_item_move,
        name="supervision_item_move",
    ),
    path("supervision/report/", views.supervision_report, name="supervision_report"),
    path("risk/", risk_views.risk, name="risk"),
    path("offboarding/", parting_views.offboarding_list, name="offboarding_list"),
    path("offboarding/start/", parting_views.offboarding_start, name="offboarding_start"),
    path("offboarding/<int:pk>/", parting_views.offboarding, name="offboarding"),
    path("offboarding/<int:pk>/update/", parting_views.offboarding_update, name="offboarding_update"),
    path("alumni/", parting_views.alumni, name="alumni"),
    path("attrition/", parting_views.attrition_report, name="attrition_report"),
    path("life/", life_views.life, name="life"),
    path("life/events/", life_views.event_add, name="event_add"),
    path("life/events/<int:pk>/signup/", life_views.event_signup, name="event_signup"),
    path("life/events/<int:pk>/", life_views.event, name="event"),
    path("life/events/<int:pk>/photos/", life_views.photo_add, name="photo_add"),
    path("life/photos/<int:pk>/", life_views.photo, name="photo"),
    path("life/photos/<int:pk>/remove/", life_views.photo_remove, name="photo_remove"),
    path("fund/", fund_views.fund, name="fund"),
    path("fund/contributions/", fund_views.fund_contribute, name="fund_contribute"),
    path("fund/grants/", fund_views.fund_grant, name="fund_grant"),
    path("fund/committee/", fund_views.fund_seat, name="fund_seat"),
    path("life/swaps/", life_views.swap_plan, name="swap_plan"),
    path("life/competitions/", life_views.competition_add, name="competition_add"),
    path("life/competitions/<int:pk>/", life_views.competition, name="competition"),
    path(
        "life/competitions/<int:pk>/publish/",
        life_views.competition_publish,
        name="competition_publish",
    ),
]
