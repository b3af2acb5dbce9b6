"""`/api/v1/`: every app's API under one namespace, `api:`."""

from __future__ import annotations

from blog.api_urls import urlpatterns as blog_urlpatterns
from users.api_urls import urlpatterns as users_urlpatterns

app_name = "api"

urlpatterns = [*blog_urlpatterns, *users_urlpatterns]
