"""Reads with Django's async ORM, and the truth about asyncio.gather() over it.

Every async ORM call (`acount()`, `aget()`, `aaggregate()`, `aiterator()`) hands its query to
one thread-sensitive executor: gathered, the queries still run one after another, on one thread,
over one connection. Awaiting less, not more at once, is what makes async database code fast.
"""

from __future__ import annotations

import asyncio

from django.db.models import Count, Q

from .choices import PostStatus
from .models import Comment, Post
from .schemas import PostCounts
from .selectors import feed_queryset


async def post_counts_gathered() -> PostCounts:
    """Four counts awaited together with asyncio.gather(). They do not overlap: the async ORM
    runs them in turn on its single thread-sensitive executor. Queries: 4."""
    posts, published, comments, authors = await asyncio.gather(
        Post.objects.acount(),
        Post.objects.published().acount(),
        Comment.objects.acount(),
        Post.objects.values("author").distinct().acount(),
    )
    return PostCounts(posts=posts, published=published, comments=comments, authors=authors)


async def post_counts_aggregated() -> PostCounts:
    """The same four numbers from one aggregate query. Queries: 1."""
    counts = await Post.objects.aaggregate(
        posts=Count("id", distinct=True),
        published=Count("id", filter=Q(status=PostStatus.PUBLISHED), distinct=True),
        comments=Count("comments", distinct=True),
        authors=Count("author", distinct=True),
    )
    return PostCounts(**counts)


async def post_feed_async(*, limit: int) -> list[Post]:
    """The optimized feed through aiterator(): prefetch_related works with it given a
    chunk_size (Django 5.0+). Queries: 3."""
    feed = feed_queryset().newest_first()[:limit]
    return [post async for post in feed.aiterator(chunk_size=max(limit, 1))]
