"""The bench's URLconf: the project's own, and django-ninja's feed beside it (ninja_feed)."""

from __future__ import annotations

from django.urls import include, path

from .ninja_feed import api

urlpatterns = [
    path("bench/ninja/", api.urls),
    path("", include("config.urls")),
]
