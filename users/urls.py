from __future__ import annotations

from django.urls import path

from . import selectors as s
from . import views

app_name = "users"

urlpatterns = [
    path("naive/users/", views.UserDirectoryView.as_view(selector=s.user_directory_naive), name="user-directory-naive"),
    path("optimized/users/", views.UserDirectoryView.as_view(selector=s.user_directory_optimized), name="user-directory-optimized"),
]  # fmt: skip
