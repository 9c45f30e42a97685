from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("agents/", views.agent_list, name="agent_list"),
    path("agents/<int:pk>/", views.agent_detail, name="agent_detail"),
    path("me/", views.my_profile, name="my_profile"),
]
