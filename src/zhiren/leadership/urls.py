from django.urls import path

from . import views

app_name = "leadership"

urlpatterns = [
    path("huddles/", views.huddles, name="huddles"),
    path("teams/<int:pk>/huddles/plan/", views.huddle_plan, name="huddle_plan"),
    path("huddles/<int:pk>/", views.huddle, name="huddle"),
    path("huddles/<int:pk>/tv/", views.huddle_tv, name="huddle_tv"),
    path("huddles/<int:pk>/run/", views.huddle_run, name="huddle_run"),
    path("huddles/<int:pk>/send/", views.huddle_send, name="huddle_send"),
    path("items/<int:pk>/", views.huddle_item, name="huddle_item"),
    path("board/", views.board, name="board"),
    path("board/tasks/", views.board_task, name="board_task"),
    path("board/decide/", views.board_decide, name="board_decide"),
    path("board/window/", views.board_window, name="board_window"),
    path("board/cards/<str:key>/delegate/", views.board_delegate, name="board_delegate"),
    path("board/review/", views.board_review, name="board_review"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request_reply"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/comment/", views.report_comment, name="report_comment"),
    path("intake/", views.intake, name="intake"),
    path("growth/", views.growth, name="growth"),
    path("growth/<int:pk>/", views.self_check, name="self_check"),
    path("growth/<int:pk>/share/", views.self_check_share, name="self_check_share"),
]
