"""The users app has no public HTML pages; its case pages exist only where the lab is enabled."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, path

from . import selectors as s
from . import views

app_name = "users"

urlpatterns: list[URLPattern] = []

case_urlpatterns = [
    path("naive/users/", views.UserDirectoryView.as_view(selector=s.user_directory_naive), name="user-directory-naive"),
    path("optimized/users/", views.UserDirectoryView.as_view(selector=s.user_directory_optimized), name="user-directory-optimized"),
]  # fmt: skip

if settings.QUERYLAB_ENABLED:
    urlpatterns += case_urlpatterns
