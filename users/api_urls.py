"""The users API: your own account. Sign-up (`POST users/`) is served with the author directory,
which joins users to posts, by blog's API (blog/api_urls.py)."""

from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("users/me/", api.MeAPI.as_view(), name="me"),
]
