"""The blog's API: public endpoints, then the endpoints of the blog's cases, generated from
blog/cases.py like the pages in urls.py. Included by config/api_urls.py under /api/v1/. The case
routes (`naive/<slug>/`, `optimized/<slug>/`, the tiers of the feed past the ORM) exist only where
the lab is enabled (settings.QUERYLAB_ENABLED): never in production."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, URLResolver, path, re_path, register_converter

from core.case_routes import PermanentRedirect, case_urlpatterns, moved_case_urlpatterns
from users.converters import UsernameConverter

from . import (
    api,
    async_api,
    authors,
    bulk_api,
    case_api,
    exports,
    report_api,
    schemas,
    selectors,
    services,
)
from .cases import CASES
from .converters import ExportFormatConverter

register_converter(UsernameConverter, "username")
register_converter(ExportFormatConverter, "export_format")

urlpatterns: list[URLPattern | URLResolver] = [
    path("posts/", api.PostCollectionAPI.as_view(), name="posts"),
    # Before posts/<slug>/, which would take "import" for a slug.
    path("posts/import/", bulk_api.PostImportAPI.as_view(service=services.post_import_optimized), name="posts-import"),
    path("posts/publish-drafts/", bulk_api.PublishDraftsAPI.as_view(service=services.post_publish_drafts_optimized), name="posts-publish-drafts"),
    path("posts/retitle/", bulk_api.RetitleAPI.as_view(service=services.post_retitle_optimized), name="posts-retitle"),
    re_path(r"^posts/export\.(?P<fmt>ndjson|csv)$", report_api.PostExportAPI.as_view(export=exports.STREAMED), name="posts-export"),
    path("posts/reading-list/", api.PublicRowsAPI.as_view(selector=selectors.post_reading_list, item_model=schemas.PostReadingOut), name="post-reading-list"),
    path("posts/<slug:slug>/links/", async_api.PostLinksAPI.as_view(), name="post-links"),
    path("stats/", report_api.StatsAPI.as_view(), name="stats"),
    path("posts/<slug:slug>/view/", bulk_api.ViewCountAPI.as_view(service=services.post_view_optimized), name="post-view"),
    path("posts/<slug:slug>/", api.PostItemAPI.as_view(), name="post"),
    path("posts/<slug:slug>/comments/", api.PostCommentsAPI.as_view(), name="post-comments"),
    # The author directory (and sign-up, users.api.SignUpAPI) and public profiles; never "me",
    # which is your own account (users/api_urls.py).
    path("users/", api.UserCollectionAPI.as_view(selector=authors.user_directory_optimized, item_model=schemas.UserDirectoryOut), name="users"),
    path("users/<username:username>/", api.UserDetailAPI.as_view(), name="user"),
]  # fmt: skip

# The feed's tiers past the ORM (blog/feed_tiers.py), measured by `bench`.
feed_tier_urlpatterns = [
    path("values/feed/", case_api.PostFeedValuesAPI.as_view(), name="post-feed-values"),
    path("values-orjson/feed/", case_api.PostFeedValuesOrjsonAPI.as_view(), name="post-feed-values-orjson"),
    path("db-json/feed/", case_api.PostFeedDbJsonAPI.as_view(), name="post-feed-db-json"),
    path("cached/feed/", case_api.PostFeedCachedAPI.as_view(), name="post-feed-cached"),
]  # fmt: skip

# Where each case's endpoints were before their routes were named by slug: a 308 (a POST is
# sent again to the new address).
MOVED_ENDPOINTS = {
    # The more specific first: naive/posts/import/ is not the detail of a post called "import".
    "posts/import/": "post-import",
    "posts/publish-drafts/": "bulk-publish",
    "posts/retitle/": "bulk-update",
    "posts/export.<export_format:fmt>": "post-export",
    "posts/<slug:slug>/view/": "view-counter",
    "posts/<slug:slug>/": "post-detail",
    "posts/": "post-list",
    "feed/": "post-feed",
    "tags/": "tag-cloud",
    "categories/": "category-latest",
    "commented/": "posts-i-commented",
    "titles/": "post-titles",
    "dated-titles/": "deferred-trap",
    "rows/": "post-values",
    "users/": "user-directory",
    "pages/": "deep-pagination",
    "drf-posts/": "drf-nested-serializer",
    "async-counts/": "async-gather",
}

# Mounted only where the lab is enabled.
lab_urlpatterns = [
    *case_urlpatterns(CASES, "api"),
    *feed_tier_urlpatterns,
    path("uncached/stats/", PermanentRedirect.as_view(pattern_name="api:stats-cache-naive")),
    path("cached/stats/", PermanentRedirect.as_view(pattern_name="api:stats-cache-optimized")),
    *moved_case_urlpatterns("api", MOVED_ENDPOINTS),
]

if settings.QUERYLAB_ENABLED:
    urlpatterns += lab_urlpatterns
