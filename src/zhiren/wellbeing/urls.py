from django.urls import path

from . import views

app_name = "wellbeing"

urlpatterns = [
    path("check-in/", views.check_in, name="check_in"),
    path("me/", views.my_moods, name="my_moods"),
    path("agents/<int:pk>/", views.agent_moods, name="agent_moods"),
    path("teams/<int:pk>/morning/", views.team_grid, name="team_grid"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("board/", views.board, name="board"),
    path("board/<int:pk>/post/", views.board_post, name="board_post"),
    path("board/messages/<int:pk>/hide/", views.board_hide, name="board_hide"),
    path("buddies/", views.buddy_list, name="buddy_list"),
    path("buddies/<int:pk>/end/", views.buddy_end, name="buddy_end"),
]
