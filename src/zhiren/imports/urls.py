from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/commit/", views.commit, name="commit"),
    path("jobs/<int:pk>/discard/", views.discard, name="discard"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
    path("jobs/<int:pk>/progress/", views.progress, name="progress"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/export.<str:fmt>", views.export, name="export"),
]
