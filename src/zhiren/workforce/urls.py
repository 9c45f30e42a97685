from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_week, name="my_week"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("me/notices/", views.notices, name="notices"),
    path("me/wishes/", views.wishes, name="wishes"),
    path("ics/<str:token>.ics", views.ics_feed, name="ics"),
    path("teams/<int:pk>/schedule/", views.team_grid, name="team_grid"),
    path("teams/<int:pk>/adherence/", views.adherence, name="adherence"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/<int:pk>/", views.leave_detail, name="leave_detail"),
    path("swaps/", views.swap_list, name="swap_list"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap_detail"),
    path("sites/<int:pk>/setup/", views.setup, name="setup"),
    path("sites/<int:pk>/queues/new/", views.queue_new, name="queue_new"),
    path("queues/<int:pk>/edit/", views.queue_edit, name="queue_edit"),
    path("sites/<int:pk>/templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("sites/<int:pk>/rules/", views.rules_edit, name="rules_edit"),
    path("sites/<int:pk>/events/", views.events, name="events"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("holidays/", views.holidays, name="holidays"),
    path("queues/<int:pk>/forecast/", views.forecast, name="forecast"),
    path("forecasts/<int:pk>/adjust/", views.forecast_adjust, name="forecast_adjust"),
    path("sites/<int:pk>/staffing/", views.staffing, name="staffing"),
    path("sites/<int:pk>/rosters/", views.drafts, name="drafts"),
    path("rosters/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("rosters/<int:pk>/progress/", views.draft_progress, name="draft_progress"),
    path("rosters/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("rosters/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
    path("floor/", views.floor, name="floor"),
    path("floor/panel/", views.floor_panel, name="floor_panel"),
    path("floor/state/", views.state_form, name="state_form"),
    path("api/states/", views.state_events, name="state_events"),
]
