"""The cases' reads. Each docstring states the queries the function costs, as a formula in N.

Case selectors come in pairs, `<entity>_<action>_naive` / `<entity>_<action>_optimized`: same
arguments, same rows in the same order with the same attributes, so one view and one template
serve both and the only difference measured is the query strategy. Counts include what the case's
template reads from the returned rows; the naive variants are written the way such code is
usually first written, not made artificially slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from ..choices import PostStatus
from ..models import Category, Comment, Post, Tag
from ..pagination import PostCursor, older_than
from ..querysets import PostQuerySet

FEED_COMMENTS = 3
CATEGORY_LATEST_POSTS = 5
TITLE_FIELDS = ("id", "title", "slug", "published_at")


# post-list: a foreign key read on every row.


def post_list_naive(*, limit: int) -> QuerySet[Post]:
    """Leave author and category to load lazily, one query each per row. Queries: 1 + 2N."""
    return Post.objects.published().newest_first()[:limit]


def post_list_optimized(*, limit: int) -> QuerySet[Post]:
    """Join author and category into the posts query. Queries: 1."""
    return Post.objects.published().select_related("author", "category").newest_first()[:limit]


# post-feed: everything a feed card shows.


def post_feed_naive(*, limit: int) -> list[Post]:
    """Count and fetch comments and tags per post here; the template loads the rest lazily.

    Queries: 1 + 9N when every post has three comments or more (per post: comment count,
    newest comments, author, profile, category, tags, and the author of each of three comments).
    """
    posts = list(Post.objects.published().newest_first()[:limit])
    for post in posts:
        post.comment_count = post.comments.count()
        post.recent_comments = list(post.comments.newest_first()[:FEED_COMMENTS])
        post.tag_list = list(post.tags.order_by("name"))
    return posts


# What a feed card shows, and nothing else: `only()` rather than `defer("body")`, so neither
# the post's other columns nor the joined author's (password, e-mail, names, two timestamps) are
# fetched, decoded and set on instances for each row. A column the card starts to show must be
# added here; tests/blog/test_feed_columns.py fails on any lazy load it would otherwise cause.
FEED_POST_FIELDS = (
    "id",
    "title",
    "slug",
    "published_at",
    "author__username",
    "author__profile__location",
    "category__name",
    "category__slug",
)
FEED_COMMENT_FIELDS = ("id", "body", "created_at", "post", "author__username")


def feed_queryset() -> PostQuerySet:
    """Published posts ready for feed cards: join the to-one chain, prefetch tags and a slice of
    comments, count comments in SQL, fetch only the columns a card shows. Unordered and
    unsliced, so callers can filter it."""
    recent = (
        Comment.objects.select_related("author")
        .only(*FEED_COMMENT_FIELDS)
        .newest_first()[:FEED_COMMENTS]
    )
    return (
        Post.objects.published()
        .select_related("author__profile", "category")
        .only(*FEED_POST_FIELDS)
        .prefetch_related(
            # to_attr: a plain list per post. Without it Django builds a filtered queryset for
            # every post's `tags` manager, about a tenth of a millisecond each.
            Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="tag_list"),
            Prefetch("comments", queryset=recent, to_attr="recent_comments"),
        )
        .with_comment_count()
    )


def post_feed_optimized(*, limit: int) -> QuerySet[Post]:
    """The newest page of `feed_queryset()`.

    Queries: 3 (posts joined to author, profile and category, with a comment-count subquery;
    tags; the newest comments of every post at once, with their authors).
    """
    return feed_queryset().newest_first()[:limit]


# post-detail: one post and its comments; N is the number of comments.


def post_detail_naive(*, slug: str, limit: int | None) -> Post:
    """Fetch the post and its comments; author, category, tags and each commenter load lazily.

    Queries: 5 + 2N (post, comments, author, category, tags; per comment its author and profile).
    Raises Http404 for an unknown or unpublished slug.
    """
    post = get_object_or_404(Post.objects.published(), slug=slug)
    post.comment_list = list(post.comments.oldest_first()[:limit])
    return post


def detail_queryset(posts: PostQuerySet, *, comments: int | None) -> PostQuerySet:
    """`posts` ready for a detail page: author and category joined, tags and the first
    `comments` comments (all when None) prefetched with each commenter and profile."""
    comment_rows = Comment.objects.select_related("author__profile").oldest_first()[:comments]
    return posts.select_related("author", "category").prefetch_related(
        "tags", Prefetch("comments", queryset=comment_rows, to_attr="comment_list")
    )


def post_detail_optimized(*, slug: str, limit: int | None) -> Post:
    """One published post through `detail_queryset()`.

    Queries: 3 (the post; its tags; its comments joined to author and profile).
    Raises Http404 for an unknown or unpublished slug.
    """
    return get_object_or_404(detail_queryset(Post.objects.published(), comments=limit), slug=slug)


# tag-cloud: a count per row.


def tag_cloud_naive(*, limit: int) -> list[Tag]:
    """Count each tag's published posts with its own query. Queries: 1 + N."""
    tags = list(Tag.objects.order_by("name")[:limit])
    for tag in tags:
        tag.post_count = tag.posts.published().count()
    return tags


def tag_cloud_optimized(*, limit: int) -> QuerySet[Tag]:
    """Count every tag's published posts in one grouped query. Queries: 1."""
    published = Q(posts__status=PostStatus.PUBLISHED)
    return Tag.objects.annotate(post_count=Count("posts", filter=published)).order_by("name")[
        :limit
    ]


# category-latest: the top few children of every row.


def category_latest_naive(*, limit: int) -> list[Category]:
    """Fetch each category's newest posts with its own query. Queries: 1 + N."""
    categories = list(Category.objects.order_by("name", "id")[:limit])
    for category in categories:
        newest = category.posts.published().newest_first()[:CATEGORY_LATEST_POSTS]
        category.latest_posts = list(newest)
    return categories


def category_latest_optimized(*, limit: int) -> QuerySet[Category]:
    """Prefetch a slice per category: one windowed query for all of them. Queries: 2."""
    newest = Post.objects.published().newest_first()[:CATEGORY_LATEST_POSTS]
    return Category.objects.prefetch_related(
        Prefetch("posts", queryset=newest, to_attr="latest_posts")
    ).order_by("name", "id")[:limit]


# posts-i-commented: a yes/no per row about the viewer.


def post_commented_flags_naive(*, viewer_id: int, limit: int) -> list[Post]:
    """Ask the database once per post whether the viewer commented on it. Queries: 1 + N."""
    posts = list(Post.objects.published().newest_first()[:limit])
    for post in posts:
        post.viewer_commented = post.comments.filter(author_id=viewer_id).exists()
    return posts


def post_commented_flags_optimized(*, viewer_id: int, limit: int) -> QuerySet[Post]:
    """Compute the flag as an EXISTS subquery of the posts query. Queries: 1."""
    commented = Comment.objects.filter(post=OuterRef("pk"), author_id=viewer_id)
    return (
        Post.objects.published().annotate(viewer_commented=Exists(commented)).newest_first()[:limit]
    )


# post-latest-comment: one row of a related table per row, chosen by an order.


def post_latest_comment_naive(*, limit: int) -> list[Post]:
    """Ask each post for its newest comment (and its author), one query per post.

    Queries: 1 + N.
    """
    posts = list(Post.objects.published().newest_first()[:limit])
    for post in posts:
        newest = post.comments.select_related("author").newest_first().first()
        post.latest_comment_body = newest.body if newest else None
        post.latest_comment_author = newest.author.username if newest else None
        post.latest_comment_at = newest.created_at if newest else None
    return posts


def post_latest_comment_optimized(*, limit: int) -> QuerySet[Post]:
    """Pick each post's newest comment inside the posts query: a correlated subquery per column,
    each served by the (post, created_at) index.

    Queries: 1.
    """
    newest = Comment.objects.filter(post=OuterRef("pk")).newest_first()
    return (
        Post.objects.published()
        .annotate(
            latest_comment_body=Subquery(newest.values("body")[:1]),
            latest_comment_author=Subquery(newest.values("author__username")[:1]),
            latest_comment_at=Subquery(newest.values("created_at")[:1]),
        )
        .newest_first()[:limit]
    )


# post-titles: columns nobody reads.


def post_titles_naive(*, limit: int) -> QuerySet[Post]:
    """Fetch every column, the multi-kilobyte body included, to show titles. Queries: 1."""
    return Post.objects.published().newest_first()[:limit]


def post_titles_optimized(*, limit: int) -> QuerySet[Post]:
    """Fetch only the columns the list shows. Queries: 1."""
    return Post.objects.published().only(*TITLE_FIELDS).newest_first()[:limit]


# deferred-trap: only() that forgets a column the template reads.


def post_dated_titles_naive(*, limit: int) -> QuerySet[Post]:
    """Defer published_at, which the template reads: a query per row to load it. Queries: 1 + N."""
    return Post.objects.published().only("id", "title", "slug").newest_first()[:limit]


def post_dated_titles_optimized(*, limit: int) -> QuerySet[Post]:
    """Name every column the template reads in only(). Queries: 1."""
    return Post.objects.published().only(*TITLE_FIELDS).newest_first()[:limit]


# eager-everything: joining and prefetching every relation "just in case".


def post_bylines_naive(*, limit: int) -> QuerySet[Post]:
    """Join and prefetch everything a post has, just in case, to show a byline: the profile,
    the category, the tags and the comments, and every column. Queries: 3."""
    return (
        Post.objects.published()
        .select_related("author__profile", "category")
        .prefetch_related("tags", "comments")
        .newest_first()[:limit]
    )


def post_bylines_optimized(*, limit: int) -> QuerySet[Post]:
    """Join the one relation the byline shows, and select only its columns. Queries: 1."""
    return (
        Post.objects.published()
        .select_related("author")
        .only(*TITLE_FIELDS, "author", "author__username")
        .newest_first()[:limit]
    )


# post-values: plain rows instead of model instances.


class PostRow(TypedDict):
    """One row of `post_rows_optimized`: what `values()` returns, typed."""

    id: int
    title: str
    slug: str
    published_at: datetime
    author_name: str


def post_rows_naive(*, limit: int) -> QuerySet[Post]:
    """Build a model instance per row, every column loaded, for a read-only list. Queries: 1."""
    return (
        Post.objects.published().annotate(author_name=F("author__username")).newest_first()[:limit]
    )


def post_rows_optimized(*, limit: int) -> QuerySet[Post, PostRow]:
    """Return plain dicts of the needed columns: no instances, no unused columns. Queries: 1."""
    # Declared, not inferred: django-stubs cannot type values() with an F() expression.
    rows: QuerySet[Post, PostRow] = (
        Post.objects.published()
        .newest_first()
        .values(*TITLE_FIELDS, author_name=F("author__username"))[:limit]
    )
    return rows


# deep-pagination: OFFSET against a keyset cursor on (published_at, id).


@dataclass(frozen=True)
class PageRequest:
    """Where a page starts: a page number (OFFSET) or a cursor (keyset); each variant reads one."""

    limit: int
    page: int = 1
    after: PostCursor | None = None


@dataclass(frozen=True)
class PostPage:
    rows: list[Post]
    next_query: dict[str, str] | None


def post_page_naive(*, request: PageRequest) -> PostPage:
    """Skip (page - 1) * limit rows with OFFSET: the database still reads every skipped row, so
    the time grows with the depth. Queries: 1."""
    offset = (request.page - 1) * request.limit
    # One extra row tells whether a next page exists without a COUNT.
    rows = list(Post.objects.published().newest_first()[offset : offset + request.limit + 1])
    has_next = len(rows) > request.limit
    return PostPage(
        rows=rows[: request.limit],
        next_query={"page": str(request.page + 1)} if has_next else None,
    )


def post_page_optimized(*, request: PageRequest) -> PostPage:
    """Seek past the cursor with WHERE (published_at, id) < cursor, which the
    (status, published_at, id) index answers directly at any depth. Queries: 1."""
    queryset = Post.objects.published().newest_first()
    if request.after is not None:
        cursor = request.after
        queryset = queryset.filter(older_than(cursor))
    rows = list(queryset[: request.limit + 1])
    has_next = len(rows) > request.limit
    rows = rows[: request.limit]
    return PostPage(
        rows=rows,
        next_query={"after": str(PostCursor.after(rows[-1]))} if has_next else None,
    )
