"""Public pages, then every read case of the blog mounted twice: the naive and optimized variant
of a case share one view and one template, and differ only in the selector. The case routes exist
only where the lab is enabled (settings.QUERYLAB_ENABLED): never in production."""

from __future__ import annotations

from django.conf import settings
from django.urls import path

from . import authors, views
from . import selectors as s

app_name = "blog"

urlpatterns = [
    path("", views.home, name="home"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path("async/feed/", views.async_feed, name="async-feed"),
]

case_urlpatterns = [
    # case                     naive                                      optimized
    path("naive/posts/", views.PostListView.as_view(selector=s.post_list_naive), name="post-list-naive"),
    path("optimized/posts/", views.PostListView.as_view(selector=s.post_list_optimized), name="post-list-optimized"),
    path("naive/feed/", views.PostFeedView.as_view(selector=s.post_feed_naive), name="post-feed-naive"),
    path("optimized/feed/", views.PostFeedView.as_view(selector=s.post_feed_optimized), name="post-feed-optimized"),
    path("naive/posts/<slug:slug>/", views.PostDetailView.as_view(selector=s.post_detail_naive), name="post-detail-naive"),
    path("optimized/posts/<slug:slug>/", views.PostDetailView.as_view(selector=s.post_detail_optimized), name="post-detail-optimized"),
    path("naive/tags/", views.TagCloudView.as_view(selector=s.tag_cloud_naive), name="tag-cloud-naive"),
    path("optimized/tags/", views.TagCloudView.as_view(selector=s.tag_cloud_optimized), name="tag-cloud-optimized"),
    path("naive/categories/", views.CategoryLatestView.as_view(selector=s.category_latest_naive), name="category-latest-naive"),
    path("optimized/categories/", views.CategoryLatestView.as_view(selector=s.category_latest_optimized), name="category-latest-optimized"),
    path("naive/commented/", views.PostCommentedFlagsView.as_view(selector=s.post_commented_flags_naive), name="posts-i-commented-naive"),
    path("optimized/commented/", views.PostCommentedFlagsView.as_view(selector=s.post_commented_flags_optimized), name="posts-i-commented-optimized"),
    path("naive/titles/", views.PostTitlesView.as_view(selector=s.post_titles_naive), name="post-titles-naive"),
    path("optimized/titles/", views.PostTitlesView.as_view(selector=s.post_titles_optimized), name="post-titles-optimized"),
    path("naive/dated-titles/", views.PostTitlesView.as_view(selector=s.post_dated_titles_naive), name="deferred-trap-naive"),
    path("optimized/dated-titles/", views.PostTitlesView.as_view(selector=s.post_dated_titles_optimized), name="deferred-trap-optimized"),
    path("naive/rows/", views.PostRowsView.as_view(selector=s.post_rows_naive), name="post-values-naive"),
    path("optimized/rows/", views.PostRowsView.as_view(selector=s.post_rows_optimized), name="post-values-optimized"),
    path("naive/users/", views.UserDirectoryView.as_view(selector=authors.user_directory_naive), name="user-directory-naive"),
    path("optimized/users/", views.UserDirectoryView.as_view(selector=authors.user_directory_optimized), name="user-directory-optimized"),
    path("naive/pages/", views.PostPageView.as_view(selector=s.post_page_naive), name="deep-pagination-naive"),
    path("optimized/pages/", views.PostPageView.as_view(selector=s.post_page_optimized), name="deep-pagination-optimized"),
]  # fmt: skip

if settings.QUERYLAB_ENABLED:
    urlpatterns += case_urlpatterns
