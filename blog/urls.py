"""Public pages, then the pages of the blog's cases, generated from blog/cases.py: both variants
of a case share one view and one template (core.case_views.CasePageView) and differ only in the
selector. The case routes exist only where the lab is enabled (settings.QUERYLAB_ENABLED): never
in production."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, path

from core.case_routes import case_urlpatterns, moved_case_urlpatterns

from . import views
from .cases import CASES

app_name = "blog"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path("async/feed/", views.async_feed, name="async-feed"),
]

# Where each case's pages were before their routes were named by slug (`naive/feed/` is now
# `naive/post-feed/`): a 308 to the new address, query string kept.
MOVED_PAGES = {
    "posts/": "post-list",
    "feed/": "post-feed",
    "posts/<slug:slug>/": "post-detail",
    "tags/": "tag-cloud",
    "categories/": "category-latest",
    "commented/": "posts-i-commented",
    "titles/": "post-titles",
    "dated-titles/": "deferred-trap",
    "rows/": "post-values",
    "users/": "user-directory",
    "pages/": "deep-pagination",
}

# Mounted only where the lab is enabled.
lab_urlpatterns = [*case_urlpatterns(CASES, "page"), *moved_case_urlpatterns("blog", MOVED_PAGES)]

if settings.QUERYLAB_ENABLED:
    urlpatterns += lab_urlpatterns
