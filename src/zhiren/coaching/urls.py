from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:pk>/map/", views.team_map, name="team_map"),
    path("teams/<int:pk>/wall/", views.team_wall, name="team_wall"),
    path("wall/", views.wall, name="wall"),
    path("agents/<int:pk>/", views.agent, name="agent"),
    path("agents/<int:pk>/rate/", views.rate, name="rate"),
    path("agents/<int:pk>/skills/", views.skill, name="skill"),
    path("agents/<int:pk>/export.csv", views.export, name="export"),
    path("agents/<int:pk>/feedback/new/", views.feedback_create, name="feedback_create"),
    path("agents/<int:pk>/grow/new/", views.grow_create, name="grow_create"),
    path("agents/<int:pk>/interferences/new/", views.interference_create, name="interference_create"),
    path("agents/<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("agents/<int:pk>/delegate/", views.delegation_create, name="delegation_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/share/", views.feedback_share, name="feedback_share"),
    path("feedback/<int:pk>/unshare/", views.feedback_unshare, name="feedback_unshare"),
    path("grow/<int:pk>/", views.grow_detail, name="grow_detail"),
    path("grow/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("commitments/<int:pk>/follow-up/", views.commitment_follow_up, name="commitment_follow_up"),
    path("interferences/<int:pk>/remove/", views.interference_remove, name="interference_remove"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/goals/new/", views.plan_goal_add, name="plan_goal_add"),
    path("plans/<int:pk>/check-in/", views.plan_check_in, name="plan_check_in"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation_detail"),
    path("delegations/<int:pk>/done/", views.delegation_done, name="delegation_done"),
]
