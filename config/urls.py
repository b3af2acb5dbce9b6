"""Root URLs. Each app's urls.py reads like a comparison table of its naive/optimized pairs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api import api_not_found

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("blog.urls")),
    path("", include("users.urls")),
    path("lab/", include("querylab.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    # Last under /api/: an address no endpoint matches gets a JSON problem, not an HTML page.
    re_path(r"^api/", api_not_found, name="api-not-found"),
]

if "debug_toolbar" in settings.INSTALLED_APPS:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
