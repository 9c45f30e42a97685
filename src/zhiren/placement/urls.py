from django.urls import path

from . import views

app_name = "placement"

urlpatterns = [
    path("", views.fit_matrix, name="fit_matrix"),
    path("agents/<int:pk>/", views.agent_fit, name="agent_fit"),
    path("agents/<int:pk>/traits/", views.agent_traits, name="agent_traits"),
    path("agents/<int:pk>/wishes/", views.agent_wishes, name="agent_wishes"),
    path("me/wishes/", views.my_wishes, name="my_wishes"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("positions/", views.positions, name="positions"),
    path("positions/<int:pk>/close/", views.position_close, name="position_close"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/apply/", views.run_apply, name="run_apply"),
    path("pick/", views.pick, name="pick"),
    path("report/", views.report, name="report"),
    path("know-how/", views.know_how_list, name="know_how_list"),
    path("know-how/new/", views.know_how_create, name="know_how_create"),
    path("know-how/<int:pk>/", views.know_how_detail, name="know_how_detail"),
]
