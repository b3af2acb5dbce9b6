"""The users API: sign-up, the directory, one user, your own account; then the directory case's
two variants, which exist only where the lab is enabled (settings.QUERYLAB_ENABLED)."""

from __future__ import annotations

from django.conf import settings
from django.urls import path, register_converter

from . import api
from . import selectors as s
from .converters import UsernameConverter

register_converter(UsernameConverter, "username")

urlpatterns = [
    path("users/", api.UserCollectionAPI.as_view(selector=s.user_directory_optimized), name="users"),
    # Before users/<username>/: "me" is a reserved username, so it can never be a user's page.
    path("users/me/", api.MeAPI.as_view(), name="me"),
    path("users/<username:username>/", api.UserDetailAPI.as_view(), name="user"),
]  # fmt: skip

case_urlpatterns = [
    # case                     naive                                      optimized
    path("naive/users/", api.UserDirectoryCaseAPI.as_view(selector=s.user_directory_naive), name="user-directory-naive"),
    path("optimized/users/", api.UserDirectoryCaseAPI.as_view(selector=s.user_directory_optimized), name="user-directory-optimized"),
]  # fmt: skip

if settings.QUERYLAB_ENABLED:
    urlpatterns += case_urlpatterns
