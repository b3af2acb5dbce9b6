"""Reads that join users to their posts and comments: the author directory (the user-directory
case's pair) and a public profile with its counts. They live in blog, which builds on users:
users knows nothing of posts. Each docstring states the queries the function costs.

The user-directory pair follows the same rules as every case's selectors: same arguments, same
rows and attributes, only the query strategy differs.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from core.query_utils import count_subquery
from users.models import User

from .choices import PostStatus
from .models import Comment, Post


def user_directory_naive(*, limit: int) -> list[User]:
    """Count and look up each user's posts here; the template loads each profile lazily.

    Queries: 1 + 3N (per user: published post count, latest post, profile).
    """
    users = list(User.objects.order_by("username")[:limit])
    for user in users:
        published = user.posts.published()
        user.published_post_count = published.count()
        latest = published.newest_first().first()
        user.latest_post_title = latest.title if latest else None
    return users


def user_directory_optimized(*, limit: int) -> QuerySet[User]:
    """Join the profile, count with a filtered aggregate, find the latest title with a subquery.

    Queries: 1.
    """
    latest_title = (
        Post.objects.published().filter(author=OuterRef("pk")).newest_first().values("title")[:1]
    )
    return (
        User.objects.select_related("profile")
        .annotate(
            published_post_count=Count("posts", filter=Q(posts__status=PostStatus.PUBLISHED)),
            latest_post_title=Subquery(latest_title),
        )
        .order_by("username")[:limit]
    )


def user_get_profile(*, username: str) -> User:
    """One active user with profile, published-post and comment counts. Queries: 1.

    Subqueries rather than two Counts: two aggregations over different relations in one
    GROUP BY multiply each other.
    """
    queryset = (
        User.objects.filter(is_active=True)
        .select_related("profile")
        .annotate(
            published_post_count=count_subquery(Post.objects.published(), pointing_at="author"),
            comment_count=count_subquery(Comment.objects.all(), pointing_at="author"),
        )
    )
    return get_object_or_404(queryset, username=username)
