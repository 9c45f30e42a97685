from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from zhiren.core.views import healthz

handler404 = "zhiren.core.views.page_not_found"

urlpatterns = [
    path("", include("zhiren.core.urls")),
    path("accounts/", include("zhiren.accounts.urls")),
    path("org/", include("zhiren.org.urls")),
    path("audit/", include("zhiren.audit.urls")),
    path("imports/", include("zhiren.imports.urls")),
    path("people/", include("zhiren.people.urls")),
    path("wellbeing/", include("zhiren.wellbeing.urls")),
    path("performance/", include("zhiren.performance.urls")),
    path("coaching/", include("zhiren.coaching.urls")),
    path("placement/", include("zhiren.placement.urls")),
    path("quality/", include("zhiren.quality.urls")),
    path("training/", include("zhiren.training.urls")),
    path("workforce/", include("zhiren.workforce.urls")),
    path("discipline/", include("zhiren.discipline.urls")),
    path("recruiting/", include("zhiren.recruiting.urls")),
    path("privacy/", include("zhiren.privacy.urls")),
    path("engagement/", include("zhiren.engagement.urls")),
    path("leadership/", include("zhiren.leadership.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("zhiren.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
