"""Reads for the blog. Each docstring states the number of queries the function costs.

Case selectors come in pairs, `<entity>_<action>_naive` / `<entity>_<action>_optimized`, that
return the same data; the plain selectors below serve the public pages.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Comment, Post


def post_list_recent(*, limit: int) -> QuerySet[Post]:
    """Return the newest published posts with author and category. Queries: 1."""
    return Post.objects.published().with_author_and_category().newest_first()[:limit]


def post_get_published(*, slug: str) -> Post:
    """Return one published post with its tags and comments, or raise Http404.

    Queries: 3 (the post joined to author and category; its tags; its comments joined to each
    commenter and profile).
    """
    comments = Comment.objects.select_related("author__profile").oldest_first()
    queryset = (
        Post.objects.published()
        .with_author_and_category()
        .prefetch_related("tags", Prefetch("comments", queryset=comments))
    )
    return get_object_or_404(queryset, slug=slug)
