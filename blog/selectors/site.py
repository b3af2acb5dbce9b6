"""The reads of the public site and API: the home page, a post, the reading list, the filtered
feed in keyset pages. Each docstring states the queries the function costs. They build on the
cases' optimized querysets (pairs.py): what the lab proves is what the site serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404

from ..choices import PostStatus
from ..models import Post
from ..pagination import FeedPosition, PostCursor, newer_than, older_than
from .pairs import TITLE_FIELDS, detail_queryset, feed_queryset


def post_list_recent(*, limit: int) -> QuerySet[Post]:
    """Return the newest published posts with author and category. Queries: 1."""
    return Post.objects.published().with_author_and_category().newest_first()[:limit]


def post_get(*, slug: str, viewer_id: int | None) -> Post:
    """A post for the API: published, or a draft of the viewer's own. Queries: 3.

    Raises Http404 otherwise, so a draft's existence is not revealed to others.
    """
    visible = Q(status=PostStatus.PUBLISHED)
    if viewer_id is not None:
        visible |= Q(author_id=viewer_id)
    return get_object_or_404(
        detail_queryset(Post.objects.filter(visible), comments=None), slug=slug
    )


def post_published_or_404(*, slug: str) -> Post:
    """Just the post's id, to attach something to it. Queries: 1."""
    return get_object_or_404(Post.objects.published().only("id"), slug=slug)


# The reading list: a computed field that needs the body, without loading any body.


def post_reading_list(*, limit: int) -> QuerySet[Post]:
    """Title columns, and the body's length counted by the database for the reading time.

    Queries: 1, whatever `limit`. Loading the bodies (or reading `Post.reading_time_minutes` on
    these deferred rows) would move every body over the wire, or cost a query per row.
    """
    return (
        Post.objects.published()
        .only(*TITLE_FIELDS)
        .annotate(body_length=Length("body"))
        .newest_first()[:limit]
    )


# The public feed of the API: the optimized feed, filtered, paged by a keyset in both directions.


@dataclass(frozen=True)
class FeedFilters:
    tag: str | None = None  # a tag slug
    author: str | None = None  # a username
    category: str | None = None  # a category slug


@dataclass(frozen=True)
class FeedPage:
    rows: list[Post]
    next: PostCursor | None  # continue after this row for older posts
    previous: PostCursor | None  # continue before this row for newer posts


def post_feed_page(*, limit: int, filters: FeedFilters, position: FeedPosition) -> FeedPage:
    """A page of the published feed, newest first, filtered, for keyset navigation both ways.

    Queries: 3 (the optimized feed's). Rows inserted while a client pages through never shift
    the pages it has not seen: each page starts from a row, not from a count of rows.
    """
    feed = feed_queryset()
    if filters.tag:
        feed = feed.filter(tags__slug=filters.tag)
    if filters.author:
        feed = feed.filter(author__username=filters.author)
    if filters.category:
        feed = feed.filter(category__slug=filters.category)

    cursor = position.cursor
    if cursor is not None and position.backwards:
        rows = list(feed.filter(newer_than(cursor)).order_by("published_at", "id")[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit][::-1]
        return FeedPage(
            rows=rows,
            next=PostCursor.after(rows[-1]) if rows else cursor,
            previous=PostCursor.after(rows[0]) if has_more and rows else None,
        )
    if cursor is not None:
        feed = feed.filter(older_than(cursor))
    rows = list(feed.newest_first()[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return FeedPage(
        rows=rows,
        next=PostCursor.after(rows[-1]) if has_more else None,
        previous=PostCursor.after(rows[0]) if cursor is not None and rows else None,
    )
