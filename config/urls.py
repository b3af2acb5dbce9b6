"""Root URLs. Each app's urls.py reads like a comparison table of its naive/optimized pairs; those
and the lab are mounted only where settings.QUERYLAB_ENABLED is on (local, test)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import api_not_found


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: the static files' manifest is read once collectstatic has run.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("blog.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script at ?script rather than inline: the production Content
    # Security Policy allows scripts from this origin only.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico where a page names no icon (the admin's).
    path("favicon.ico", favicon),
    # Last under /api/: an address no endpoint matches gets a JSON problem, not an HTML page.
    re_path(r"^api/", api_not_found, name="api-not-found"),
]

# Django's error pages, as problem documents under /api/, and a 503 when the database is away.
handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"

if settings.QUERYLAB_ENABLED:
    urlpatterns.insert(0, path("lab/", include("querylab.urls")))

if "debug_toolbar" in settings.INSTALLED_APPS:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
