from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("me/", views.my_data, name="my_data"),
    path("agents/<int:pk>/", views.export_page, name="export_page"),
    path("agents/<int:pk>/export.json", views.export_json, name="export_json"),
    path("agents/<int:pk>/corrections/new/", views.correction_new, name="correction_new"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
]
