"""The blog's API: public endpoints, then each case mounted once per variant, like the HTML pages
in urls.py. Included by config/api_urls.py under /api/v1/. The case routes (every `naive/` one,
the `optimized/` twins of public endpoints, the tiers past the ORM) exist only where the lab is
enabled (settings.QUERYLAB_ENABLED): never in production."""

from __future__ import annotations

from django.conf import settings
from django.urls import path, re_path, register_converter

from users.converters import UsernameConverter

from . import api, async_api, async_reads, authors, feed_tiers
from . import exports as e
from . import selectors as s
from . import services as w
from . import stats as st

register_converter(UsernameConverter, "username")

urlpatterns = [
    path("posts/", api.PostCollectionAPI.as_view(), name="posts"),
    # The write cases' optimized variants are the public endpoints (before posts/<slug>/, which
    # would take "import" for a slug).
    path("posts/import/", api.PostImportAPI.as_view(service=w.post_import_optimized), name="post-import-optimized"),
    path("posts/publish-drafts/", api.PublishDraftsAPI.as_view(service=w.post_publish_drafts_optimized), name="bulk-publish-optimized"),
    path("posts/retitle/", api.RetitleAPI.as_view(service=w.post_retitle_optimized), name="bulk-update-optimized"),
    re_path(r"^posts/export\.(?P<fmt>ndjson|csv)$", api.PostExportAPI.as_view(exporter=e.post_export_optimized, streaming=True), name="post-export-optimized"),
    path("posts/reading-list/", api.PostReadingListAPI.as_view(selector=s.post_reading_list), name="post-reading-list"),
    path("posts/<slug:slug>/links/", async_api.PostLinksAPI.as_view(), name="post-links"),
    path("stats/", api.StatsAPI.as_view(), name="stats"),
    path("posts/<slug:slug>/view/", api.ViewCountAPI.as_view(service=w.post_view_optimized), name="view-counter-optimized"),
    path("posts/<slug:slug>/", api.PostItemAPI.as_view(), name="post"),
    path("posts/<slug:slug>/comments/", api.PostCommentsAPI.as_view(), name="post-comments"),
    # The author directory (and sign-up, users.api.SignUpAPI) and public profiles; never "me",
    # which is your own account (users/api_urls.py).
    path("users/", api.UserCollectionAPI.as_view(selector=authors.user_directory_optimized), name="users"),
    path("users/<username:username>/", api.UserDetailAPI.as_view(), name="user"),
]  # fmt: skip

case_urlpatterns = [
    # write cases: the naive variants
    path("naive/posts/import/", api.PostImportAPI.as_view(service=w.post_import_naive), name="post-import-naive"),
    path("naive/posts/publish-drafts/", api.PublishDraftsAPI.as_view(service=w.post_publish_drafts_naive), name="bulk-publish-naive"),
    path("naive/posts/retitle/", api.RetitleAPI.as_view(service=w.post_retitle_naive), name="bulk-update-naive"),
    path("naive/posts/<slug:slug>/view/", api.ViewCountAPI.as_view(service=w.post_view_naive), name="view-counter-naive"),
    re_path(r"^naive/posts/export\.(?P<fmt>ndjson|csv)$", api.PostExportAPI.as_view(exporter=e.post_export_naive), name="post-export-naive"),
    # async, stats and cache tiers
    path("naive/async-counts/", async_api.PostCountsAPI.as_view(count=async_reads.post_counts_gathered), name="async-gather-naive"),
    path("optimized/async-counts/", async_api.PostCountsAPI.as_view(count=async_reads.post_counts_aggregated), name="async-gather-optimized"),
    path("naive/stats/", api.StatsAPI.as_view(compute=st.stats_naive), name="stats-naive"),
    path("optimized/stats/", api.StatsAPI.as_view(compute=st.stats_optimized), name="stats-optimized"),
    path("uncached/stats/", api.StatsAPI.as_view(compute=st.stats_optimized), name="stats-cache-naive"),
    path("cached/stats/", api.StatsAPI.as_view(), name="stats-cache-optimized"),
    # case                     naive                                      optimized
    path("naive/posts/", api.PostListCaseAPI.as_view(selector=s.post_list_naive), name="post-list-naive"),
    path("optimized/posts/", api.PostListCaseAPI.as_view(selector=s.post_list_optimized), name="post-list-optimized"),
    path("naive/feed/", api.PostFeedCaseAPI.as_view(selector=s.post_feed_naive), name="post-feed-naive"),
    path("optimized/feed/", api.PostFeedCaseAPI.as_view(selector=s.post_feed_optimized), name="post-feed-optimized"),
    # The feed's tiers past the ORM (blog/feed_tiers.py), measured by `bench`.
    path("values/feed/", api.PostFeedCaseAPI.as_view(selector=feed_tiers.post_feed_values), name="post-feed-values"),
    path("db-json/feed/", api.PostFeedDbJsonAPI.as_view(), name="post-feed-db-json"),
    path("naive/posts/<slug:slug>/", api.PostDetailCaseAPI.as_view(selector=s.post_detail_naive), name="post-detail-naive"),
    path("optimized/posts/<slug:slug>/", api.PostDetailCaseAPI.as_view(selector=s.post_detail_optimized), name="post-detail-optimized"),
    path("naive/tags/", api.TagCloudCaseAPI.as_view(selector=s.tag_cloud_naive), name="tag-cloud-naive"),
    path("optimized/tags/", api.TagCloudCaseAPI.as_view(selector=s.tag_cloud_optimized), name="tag-cloud-optimized"),
    path("naive/categories/", api.CategoryLatestCaseAPI.as_view(selector=s.category_latest_naive), name="category-latest-naive"),
    path("optimized/categories/", api.CategoryLatestCaseAPI.as_view(selector=s.category_latest_optimized), name="category-latest-optimized"),
    path("naive/commented/", api.PostCommentedFlagsCaseAPI.as_view(selector=s.post_commented_flags_naive), name="posts-i-commented-naive"),
    path("optimized/commented/", api.PostCommentedFlagsCaseAPI.as_view(selector=s.post_commented_flags_optimized), name="posts-i-commented-optimized"),
    path("naive/titles/", api.PostTitlesCaseAPI.as_view(selector=s.post_titles_naive), name="post-titles-naive"),
    path("optimized/titles/", api.PostTitlesCaseAPI.as_view(selector=s.post_titles_optimized), name="post-titles-optimized"),
    path("naive/dated-titles/", api.PostTitlesCaseAPI.as_view(selector=s.post_dated_titles_naive), name="deferred-trap-naive"),
    path("optimized/dated-titles/", api.PostTitlesCaseAPI.as_view(selector=s.post_dated_titles_optimized), name="deferred-trap-optimized"),
    path("naive/rows/", api.PostRowsCaseAPI.as_view(selector=s.post_rows_naive), name="post-values-naive"),
    path("optimized/rows/", api.PostRowsCaseAPI.as_view(selector=s.post_rows_optimized), name="post-values-optimized"),
    path("naive/drf-posts/", api.NestedSerializerPostListAPI.as_view(), name="drf-nested-serializer-naive"),
    path("optimized/drf-posts/", api.PostListCaseAPI.as_view(selector=s.post_list_optimized), name="drf-nested-serializer-optimized"),
    path("naive/users/", api.UserDirectoryCaseAPI.as_view(selector=authors.user_directory_naive), name="user-directory-naive"),
    path("optimized/users/", api.UserDirectoryCaseAPI.as_view(selector=authors.user_directory_optimized), name="user-directory-optimized"),
    path("naive/pages/", api.PostPageCaseAPI.as_view(selector=s.post_page_naive), name="deep-pagination-naive"),
    path("optimized/pages/", api.PostPageCaseAPI.as_view(selector=s.post_page_optimized), name="deep-pagination-optimized"),
]  # fmt: skip

if settings.QUERYLAB_ENABLED:
    urlpatterns += case_urlpatterns
