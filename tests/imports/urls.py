"""The root URLs, with the imports app at /imports/ (until the root includes it itself)."""

from django.urls import include, path

from zhiren.urls import urlpatterns as root_patterns

urlpatterns = list(root_patterns)
if not any(getattr(p, "namespace", None) == "imports" for p in root_patterns):
    urlpatterns.append(path("imports/", include("zhiren.imports.urls")))
