"""Every workforce URL, in one module so the names (``workforce:…``) stay in one place."""

from django.urls import path

from . import views
from .calendar import views as calendar
from .drafts import views as drafts
from .floor import views as floor
from .planning import views as planning
from .requests import views as requests

app_name = "workforce"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", calendar.my_week, name="my_week"),
    path("me/calendar/", calendar.my_calendar, name="my_calendar"),
    path("me/calendar/reset/", calendar.calendar_reset, name="calendar_reset"),
    path("me/notices/", calendar.notices, name="notices"),
    path("me/wishes/", calendar.wishes, name="wishes"),
    path("ics/<str:token>.ics", calendar.ics_feed, name="ics"),
    path("teams/<int:pk>/schedule/", calendar.team_grid, name="team_grid"),
    path("teams/<int:pk>/adherence/", floor.adherence, name="adherence"),
    path("leave/", requests.leave_list, name="leave_list"),
    path("leave/<int:pk>/", requests.leave_detail, name="leave_detail"),
    path("swaps/", requests.swap_list, name="swap_list"),
    path("swaps/<int:pk>/", requests.swap_detail, name="swap_detail"),
    path("sites/<int:pk>/setup/", planning.setup, name="setup"),
    path("sites/<int:pk>/queues/new/", planning.queue_new, name="queue_new"),
    path("queues/<int:pk>/edit/", planning.queue_edit, name="queue_edit"),
    path("sites/<int:pk>/templates/new/", planning.template_new, name="template_new"),
    path("templates/<int:pk>/edit/", planning.template_edit, name="template_edit"),
    path("sites/<int:pk>/rules/", planning.rules_edit, name="rules_edit"),
    path("sites/<int:pk>/events/", planning.events, name="events"),
    path("events/<int:pk>/edit/", planning.event_edit, name="event_edit"),
    path("holidays/", planning.holidays, name="holidays"),
    path("queues/<int:pk>/forecast/", planning.forecast, name="forecast"),
    path("forecasts/<int:pk>/adjust/", planning.forecast_adjust, name="forecast_adjust"),
    path("sites/<int:pk>/staffing/", planning.staffing, name="staffing"),
    path("sites/<int:pk>/rosters/", drafts.drafts, name="drafts"),
    path("rosters/<int:pk>/", drafts.draft_detail, name="draft_detail"),
    path("rosters/<int:pk>/progress/", drafts.draft_progress, name="draft_progress"),
    path("rosters/<int:pk>/edit/", drafts.draft_edit, name="draft_edit"),
    path("rosters/<int:pk>/publish/", drafts.draft_publish, name="draft_publish"),
    path("floor/", floor.floor, name="floor"),
    path("floor/panel/", floor.floor_panel, name="floor_panel"),
    path("floor/state/", floor.state_form, name="state_form"),
    path("api/states/", floor.state_events, name="state_events"),
]
