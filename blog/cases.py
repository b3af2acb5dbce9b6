"""The blog's cases: one declaration per naive/optimized pair, the only place a pair is written.

Routes (blog/urls.py, blog/api_urls.py), the lab, `cases.json`, the parametrized tests, the bench
and docs/patterns.md all read these (core.cases says what a declaration holds; querylab.registry
collects every app's `cases.py`). A case whose URL needs an object (a post, a viewer) names a
`target` that picks a representative one from the current data, so every listed URL works as it
is.

To add a case: write its selector pair (selectors.py, with the query count in each docstring),
declare it here, and give it a template or a schema; see docs/patterns.md, "Adding a case".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from django.contrib.admin import ModelAdmin
from django.db.models import Count

from core.cases import (
    AnyCase,
    Case,
    DetailSelector,
    Formula,
    ListSelector,
    PageTarget,
    Pair,
    Variant,
    ViewerSelector,
    django_docs,
)
from core.conditional import (
    Revalidation,
    revalidate_after_rendering,
    revalidate_before_rendering,
)
from users.models import User

from . import (
    async_api,
    async_reads,
    authors,
    bulk_api,
    case_api,
    conditional,
    content_version,
    drf_serializers,
    exports,
    pagination,
    report_api,
    schemas,
    selectors,
    services,
    stats,
    write_setups,
)
from .admin import NaiveAdminPostAdmin, PostAdmin
from .models import Category, Comment, Post, Tag
from .params import CommentedFlagsParams, PostDetailParams, PostPageParams

# The shapes of the blog's own selectors and services, beside core's generic ones.


class PageSelector(Protocol):
    """A page of the feed from a position (deep-pagination)."""

    def __call__(self, *, request: selectors.PageRequest) -> selectors.PostPage: ...


class ImportService(Protocol):
    def __call__(self, *, author: User, data: schemas.PostImportIn) -> list[Post]: ...


class PublishService(Protocol):
    def __call__(self, *, author: User) -> list[Post]: ...


class RetitleService(Protocol):
    def __call__(self, *, author: User, data: schemas.PostRetitleIn) -> list[Post]: ...


class ViewService(Protocol):
    def __call__(self, *, slug: str) -> int: ...


# Representative objects: the most telling row of the current data, for URLs that need one.


def busiest_post(limit: int) -> PageTarget | None:
    """The published post with the most comments (N is its comment count)."""
    post = (
        Post.objects.published()
        .annotate(comment_total=Count("comments"))
        .order_by("-comment_total", "id")
        .only("id", "slug")
        .first()
    )
    return PageTarget(kwargs={"slug": post.slug}) if post else None


def busiest_commenter(limit: int) -> PageTarget | None:
    """The user with the most comments on published posts, as the viewer."""
    row = (
        Comment.objects.filter(post__status="published")
        .values("author_id")
        .annotate(total=Count("id"))
        .order_by("-total", "author_id")
        .first()
    )
    if row is None:
        return None
    viewer = {"viewer": str(row["author_id"])}
    return PageTarget(params={"naive": viewer, "optimized": viewer})


def deep_page(limit: int) -> PageTarget | None:
    """A page three quarters of the way down the published feed, in both forms of position."""
    total = Post.objects.published().count()
    page = max(1, (total // limit) * 3 // 4)
    params: dict[Variant, dict[str, str]] = {"naive": {"page": str(page)}, "optimized": {}}
    if page > 1:
        # The row just before the page: where a client following next links would stand.
        before = Post.objects.published().newest_first()[(page - 1) * limit - 1]
        params["optimized"] = {"after": str(pagination.PostCursor.after(before))}
    return PageTarget(params=params)


# What a title list shows: the columns post-titles, deferred-trap and post-values select.
TITLE_COLUMNS = frozenset(selectors.TITLE_FIELDS)
# Every column of a post but its body: what the feed selects.

CASES: tuple[AnyCase, ...] = (
    Case(
        slug="post-list",
        title="Posts with author and category",
        app="blog",
        techniques=("select_related",),
        naive_queries=Formula.parse("1 + 2N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="posts",
        why="Each row's author and category are loaded lazily, one query each, the first time "
        "the template reads them.",
        docs_url=django_docs("ref/models/querysets/#select-related"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_list_naive, optimized=selectors.post_list_optimized
        ),
        template="blog/cases/post-list.html",
        schema=schemas.PostListItemOut,
        auto_queries=Formula.parse("3"),
    ),
    Case(
        slug="post-feed",
        title="The feed: author, profile, category, tags, comment count, newest comments",
        app="blog",
        techniques=(
            "select_related",
            "prefetch_related",
            "Prefetch",
            "sliced_prefetch",
            "annotate",
            "Subquery",
            "defer",
        ),
        naive_queries=Formula.parse("1 + 9N"),
        optimized_queries=Formula.parse("3"),
        grows_with_n=True,
        scale="posts",
        why="Every card lazily loads its author, profile, category and tags, counts and fetches "
        "its comments, then loads each comment's author: nine queries per post.",
        docs_url=django_docs("ref/models/querysets/#prefetch-objects"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_feed_naive, optimized=selectors.post_feed_optimized
        ),
        code={
            "optimized": (selectors.feed_queryset, selectors.post_feed_optimized),
        },
        template="blog/cases/post-feed.html",
        schema=schemas.PostFeedOut,
        # Only what a card shows (selectors.FEED_POST_FIELDS, FEED_COMMENT_FIELDS).
        optimized_columns={
            "blog_post": frozenset(
                {"id", "title", "slug", "published_at", "author_id", "category_id"}
            ),
            "users_user": frozenset({"id", "username"}),
            "users_profile": frozenset({"id", "location"}),
            "blog_category": frozenset({"id", "name", "slug"}),
            # blog_comment's columns are read inside the sliced prefetch's subquery, which the
            # column reader does not follow; tests/blog/test_feed_columns.py holds them.
        },
        auto_queries=Formula.parse("4 + 4N"),
    ),
    Case(
        slug="user-directory",
        title="Authors with profile, published-post count and latest title",
        app="blog",
        techniques=("select_related", "annotate", "Subquery"),
        naive_queries=Formula.parse("1 + 3N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="users",
        why="A loop counts each user's posts and looks up the latest one, and the template "
        "loads each profile: three queries per user.",
        docs_url=django_docs("ref/models/expressions/#subquery-expressions"),
        selectors=Pair[ListSelector[User]](
            naive=authors.user_directory_naive,
            optimized=authors.user_directory_optimized,
        ),
        template="blog/cases/user-directory.html",
        schema=schemas.UserDirectoryOut,
        auto_queries=Formula.parse("2 + 2N"),
    ),
    Case(
        slug="post-detail",
        title="One post with its comments and each commenter's profile",
        app="blog",
        techniques=("select_related", "prefetch_related", "Prefetch"),
        naive_queries=Formula.parse("5 + 2N"),
        optimized_queries=Formula.parse("3"),
        grows_with_n=True,
        scale="comments",
        why="Each comment's author, and that author's profile, load lazily: two queries per "
        "comment on top of the post's own lazy relations.",
        docs_url=django_docs("ref/models/querysets/#prefetch-related"),
        selectors=Pair[DetailSelector[Post]](
            naive=selectors.post_detail_naive, optimized=selectors.post_detail_optimized
        ),
        code={
            "optimized": (selectors.detail_queryset, selectors.post_detail_optimized),
        },
        template="blog/cases/post-detail.html",
        schema=schemas.PostDetailOut,
        many=False,
        params=PostDetailParams,
        route="<slug:slug>/",
        target=busiest_post,
        auto_queries=Formula.parse("7"),
    ),
    Case(
        slug="tag-cloud",
        title="Tags with their published-post count",
        app="blog",
        techniques=("annotate", "aggregate"),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="tags",
        why="Calling .count() per tag sends one COUNT query per row; one grouped query with a "
        "filtered Count gives every count at once.",
        docs_url=django_docs("topics/db/aggregation/#filtering-on-annotations"),
        selectors=Pair[ListSelector[Tag]](
            naive=selectors.tag_cloud_naive, optimized=selectors.tag_cloud_optimized
        ),
        template="blog/cases/tag-cloud.html",
        schema=schemas.TagCountOut,
    ),
    Case(
        slug="category-latest",
        title="Categories with their five newest posts",
        app="blog",
        techniques=("prefetch_related", "Prefetch", "sliced_prefetch"),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("2"),
        grows_with_n=True,
        scale="categories",
        why="Fetching each category's newest posts separately is a query per category; a "
        "sliced Prefetch gets the top five of every category in one windowed query.",
        docs_url=django_docs("ref/models/querysets/#prefetch-objects"),
        selectors=Pair[ListSelector[Category]](
            naive=selectors.category_latest_naive,
            optimized=selectors.category_latest_optimized,
        ),
        template="blog/cases/category-latest.html",
        schema=schemas.CategoryLatestOut,
    ),
    Case(
        slug="posts-i-commented",
        title="Posts, each flagged if the viewer commented on it",
        app="blog",
        techniques=("annotate", "Exists", "count_exists"),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="posts",
        why="An .exists() per row is a query per row; an Exists() subquery computes the flag "
        "inside the posts query.",
        docs_url=django_docs("ref/models/expressions/#exists-subqueries"),
        selectors=Pair[ViewerSelector[Post]](
            naive=selectors.post_commented_flags_naive,
            optimized=selectors.post_commented_flags_optimized,
        ),
        template="blog/cases/posts-i-commented.html",
        schema=schemas.PostFlagOut,
        params=CommentedFlagsParams,
        target=busiest_commenter,
    ),
    Case(
        slug="post-latest-comment",
        title="Posts, each with its newest comment",
        app="blog",
        techniques=("annotate", "Subquery"),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="posts",
        why="Asking each post for its newest comment is a query per post; Subquery(OuterRef) "
        "picks each post's newest comment inside the posts query.",
        docs_url=django_docs("ref/models/expressions/#subquery-expressions"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_latest_comment_naive,
            optimized=selectors.post_latest_comment_optimized,
        ),
        template="blog/cases/post-latest-comment.html",
        schema=schemas.PostLatestCommentOut,
    ),
    Case(
        slug="post-titles",
        title="A title list without the bodies",
        app="blog",
        techniques=("only", "defer"),
        naive_queries=Formula.parse("1"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="Same query count, but every row drags its multi-kilobyte body from the database "
        "to show a title: compare the bytes fetched.",
        docs_url=django_docs("ref/models/querysets/#only"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_titles_naive, optimized=selectors.post_titles_optimized
        ),
        template="blog/cases/post-titles.html",
        schema=schemas.PostTitleOut,
        optimized_columns={"blog_post": TITLE_COLUMNS},
        benefit="bytes",
    ),
    Case(
        slug="deferred-trap",
        title="only() that forgets a column the template reads",
        app="blog",
        techniques=("only", "defer"),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="posts",
        why="Reading a deferred field loads it with a query of its own, per instance: an "
        "only() that misses one field the template shows turns a saving into an N+1.",
        docs_url=django_docs("ref/models/querysets/#defer"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_dated_titles_naive,
            optimized=selectors.post_dated_titles_optimized,
        ),
        # The same title list as post-titles: only the selector differs.
        template="blog/cases/post-titles.html",
        schema=schemas.PostTitleOut,
        optimized_columns={"blog_post": TITLE_COLUMNS},
    ),
    Case(
        slug="eager-everything",
        title="Joining and prefetching everything, just in case",
        app="blog",
        techniques=("select_related", "prefetch_related", "only"),
        naive_queries=Formula.parse("3"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="A queryset that joins and prefetches every relation a post has, to show its title "
        "and author, fetches tags, comments, a profile and every body for nothing: the waste an "
        "N+1 detector never reports.",
        docs_url=django_docs("ref/models/querysets/#only"),
        selectors=Pair[ListSelector[Post]](
            naive=selectors.post_bylines_naive, optimized=selectors.post_bylines_optimized
        ),
        template="blog/cases/eager-everything.html",
        schema=schemas.PostBylineOut,
        optimized_columns={
            "blog_post": TITLE_COLUMNS | {"author_id"},
            "users_user": frozenset({"id", "username"}),
        },
        benefit="bytes",
    ),
    Case(
        slug="post-values",
        title="A read-only listing as values() rows",
        app="blog",
        techniques=("values",),
        naive_queries=Formula.parse("1"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="Building a model instance per row, with every column, costs time and memory a "
        "read-only list never uses; values() returns plain typed dicts.",
        docs_url=django_docs("ref/models/querysets/#values"),
        # Instances from the naive one, typed dicts from values() in the optimized one.
        selectors=Pair[ListSelector[Post | selectors.PostRow]](
            naive=selectors.post_rows_naive, optimized=selectors.post_rows_optimized
        ),
        template="blog/cases/post-values.html",
        schema=schemas.PostRowOut,
        optimized_columns={"blog_post": TITLE_COLUMNS, "users_user": frozenset({"username"})},
        benefit="memory",
    ),
    Case(
        slug="deep-pagination",
        title="A page deep in the feed: OFFSET against a keyset cursor",
        app="blog",
        techniques=("cursor_pagination",),
        naive_queries=Formula.parse("1"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="OFFSET makes the database read and discard every skipped row, so deep pages get "
        "slower; seeking past a (published_at, id) cursor uses the index at any depth.",
        docs_url=django_docs("topics/db/optimization/#use-indexes"),
        selectors=Pair[PageSelector](
            naive=selectors.post_page_naive, optimized=selectors.post_page_optimized
        ),
        template="blog/cases/deep-pagination.html",
        schema=schemas.PostPageOut,
        many=False,
        params=PostPageParams,
        target=deep_page,
        benefit="time",
    ),
    Case(
        slug="drf-nested-serializer",
        title="DRF nested serializers against a Pydantic schema on a joined queryset",
        app="blog",
        techniques=("select_related",),
        naive_queries=Formula.parse("1 + 2N"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=True,
        scale="posts",
        why="A ModelSerializer with nested serializers reads each row's author and category "
        "lazily: one query each per row, hidden inside .data.",
        docs_url=django_docs("ref/models/querysets/#select-related"),
        # Both serialize the rows their way: DRF's nested serializers over the lazy queryset,
        # or the Pydantic schema over the joined one.
        selectors=Pair[ListSelector[dict[str, Any]]](
            naive=drf_serializers.post_list_drf_nested,
            optimized=drf_serializers.post_list_pydantic,
        ),
        code={
            "naive": (drf_serializers.NestedPostSerializer, drf_serializers.post_list_drf_nested),
            "optimized": (schemas.PostListItemOut, drf_serializers.post_list_pydantic),
        },
        api_view=case_api.SerializedPostListAPI,
        auto_queries=Formula.parse("3"),
    ),
    Case(
        slug="post-export",
        title="Exporting every published post: in memory or streamed",
        app="blog",
        techniques=("iterator", "streaming", "values"),
        naive_queries=Formula.parse("1"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="Building the whole export in a list holds every row in memory at once; iterator() "
        "with a StreamingHttpResponse holds one chunk, however many rows there are.",
        docs_url=django_docs("ref/request-response/#streaminghttpresponse-objects"),
        # The rows, and whether the response streams them.
        selectors=Pair[exports.Export](naive=exports.IN_MEMORY, optimized=exports.STREAMED),
        code={
            "naive": (exports.post_export_naive, report_api.PostExportAPI.get),
            "optimized": (exports.post_export_optimized, report_api.PostExportAPI.get),
        },
        api_view=report_api.PostExportAPI,
        route="<export_format:fmt>/",
        target=lambda limit: PageTarget(kwargs={"fmt": "ndjson"}),
        # Both variants select these: the export's saving is memory, not columns.
        optimized_columns={
            "blog_post": TITLE_COLUMNS,
            "users_user": frozenset({"username"}),
            "blog_category": frozenset({"slug"}),
        },
        benefit="memory",
        sized_by_limit=False,
    ),
    Case(
        slug="stats",
        title="Site statistics: counted in Python or in SQL",
        app="blog",
        techniques=("aggregate", "annotate"),
        naive_queries=Formula.parse("3 + N"),
        optimized_queries=Formula.parse("5"),
        grows_with_n=True,
        scale="posts",
        why="Loading every post, comment and user to count them in Python moves the whole "
        "tables into memory (and each post's tags lazily); Count() and aggregates return "
        "just the numbers.",
        docs_url=django_docs("topics/db/aggregation/"),
        selectors=Pair[Callable[[], schemas.StatsOut]](
            naive=stats.stats_naive, optimized=stats.stats_optimized
        ),
        api_view=report_api.StatsAPI,
        sized_by_limit=False,
    ),
    Case(
        slug="stats-cache",
        title="The same statistics from a versioned cache entry",
        app="blog",
        techniques=("cache",),
        naive_queries=Formula.parse("5"),
        optimized_queries=Formula.parse("0"),
        grows_with_n=False,
        scale="posts",
        why="Even five aggregate queries are five too many for numbers that change rarely: a "
        "warm hit serves the serialized bytes from the cache without touching the database.",
        docs_url=django_docs("topics/cache/#the-low-level-cache-api"),
        # The optimized variant serves the cached JSON bytes, never a model.
        selectors=Pair[Callable[[], schemas.StatsOut | stats.CachedStats]](
            naive=stats.stats_optimized, optimized=stats.stats_cached
        ),
        code={
            "optimized": (
                stats.stats_cached,
                content_version.content_version,
                content_version.invalidate_content,
            ),
        },
        api_view=report_api.StatsAPI,
        warm_up=True,
        sized_by_limit=False,
    ),
    Case(
        slug="conditional-get",
        title="Revalidating the feed: a 304 after every query, or before any",
        app="blog",
        techniques=("conditional_get", "cache"),
        naive_queries=Formula.parse("3"),
        optimized_queries=Formula.parse("0"),
        grows_with_n=False,
        scale="posts",
        why="ConditionalGetMiddleware answers 304 only after the view has run its queries and "
        "serialized every row, to hash the body: it saves the bytes, not the work. An ETag the "
        "server can check first, the content version in the cache, answers 304 with no query.",
        docs_url=django_docs("topics/conditional-view-processing/"),
        selectors=Pair[Revalidation](
            naive=revalidate_after_rendering, optimized=revalidate_before_rendering
        ),
        code={
            "naive": (revalidate_after_rendering, case_api.ConditionalFeedAPI.get),
            "optimized": (
                revalidate_before_rendering,
                conditional.content_etag,
                case_api.ConditionalFeedAPI.get,
            ),
        },
        api_view=case_api.ConditionalFeedAPI,
        revalidate=True,
    ),
    Case(
        slug="async-gather",
        title="asyncio.gather() over the async ORM against one aggregate",
        app="blog",
        techniques=("async", "aggregate"),
        naive_queries=Formula.parse("4"),
        optimized_queries=Formula.parse("1"),
        grows_with_n=False,
        scale="posts",
        why="Gathering four acount() calls looks concurrent, but the async ORM runs them one "
        "after another on a single thread; one aaggregate() query is the real saving.",
        docs_url=django_docs("topics/async/#queries-the-orm"),
        selectors=Pair[Callable[[], Awaitable[schemas.PostCounts]]](
            naive=async_reads.post_counts_gathered, optimized=async_reads.post_counts_aggregated
        ),
        api_view=async_api.PostCountsAPI,
        sized_by_limit=False,
    ),
    Case(
        slug="admin-changelist",
        title="The admin's post changelist with author, category and comment count",
        app="blog",
        techniques=("admin", "select_related", "annotate", "Subquery"),
        naive_queries=Formula.parse("7 + 3N"),
        optimized_queries=Formula.parse("7"),
        grows_with_n=True,
        scale="posts",
        why="A ModelAdmin whose columns read foreign keys and count per row, with nothing "
        "joined or annotated, runs three queries per row on every changelist page.",
        docs_url=django_docs(
            "ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_select_related"
        ),
        # The admin classes are the code that differs; the lab shows their source.
        selectors=Pair[type[ModelAdmin[Post]]](naive=NaiveAdminPostAdmin, optimized=PostAdmin),
        page_url_names={
            "naive": "admin:blog_naiveadminpost_changelist",
            "optimized": "admin:blog_post_changelist",
        },
        staff_only=True,
        sized_by_limit=False,
        auto_queries=Formula.parse("9 + N"),
    ),
    Case(
        slug="post-import",
        title="Importing a batch of posts with their tags",
        app="blog",
        kind="write",
        techniques=("bulk_create",),
        naive_queries=Formula.parse("7N"),
        optimized_queries=Formula.parse("5"),
        grows_with_n=True,
        scale="posts",
        why="Saving posts one by one, with a get_or_create and an add() per tag, costs seven "
        "queries a post; bulk_create writes the posts, then their tags, in one INSERT each.",
        docs_url=django_docs("ref/models/querysets/#bulk-create"),
        selectors=Pair[ImportService](
            naive=services.post_import_naive, optimized=services.post_import_optimized
        ),
        api_view=bulk_api.PostImportAPI,
        write=write_setups.post_import,
    ),
    Case(
        slug="bulk-publish",
        title="Publishing all of a user's drafts",
        app="blog",
        kind="write",
        techniques=("update_F",),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("2"),
        grows_with_n=True,
        scale="posts",
        why="Loading every draft to save() it again is an UPDATE per row; one queryset "
        ".update() changes them all in a single statement.",
        docs_url=django_docs("ref/models/querysets/#update"),
        selectors=Pair[PublishService](
            naive=services.post_publish_drafts_naive,
            optimized=services.post_publish_drafts_optimized,
        ),
        api_view=bulk_api.PublishDraftsAPI,
        write=write_setups.bulk_publish,
    ),
    Case(
        slug="bulk-update",
        title="A different new title for each of many posts",
        app="blog",
        kind="write",
        techniques=("bulk_update",),
        naive_queries=Formula.parse("1 + N"),
        optimized_queries=Formula.parse("2"),
        grows_with_n=True,
        scale="posts",
        why="When every row gets its own value, update() cannot help and a save() per row is an "
        "UPDATE per row; bulk_update() sends one UPDATE with a CASE per row.",
        docs_url=django_docs("ref/models/querysets/#bulk-update"),
        selectors=Pair[RetitleService](
            naive=services.post_retitle_naive, optimized=services.post_retitle_optimized
        ),
        api_view=bulk_api.RetitleAPI,
        write=write_setups.bulk_update,
    ),
    Case(
        slug="view-counter",
        title="Counting views without losing any",
        app="blog",
        kind="write",
        techniques=("update_F",),
        naive_queries=Formula.parse("2"),
        optimized_queries=Formula.parse("2"),
        grows_with_n=False,
        scale="posts",
        why="Reading a counter, adding one in Python and saving it loses increments when two "
        "requests overlap; UPDATE ... SET n = n + 1 with F() cannot.",
        docs_url=django_docs("ref/models/expressions/#f-expressions"),
        selectors=Pair[ViewService](
            naive=services.post_view_naive, optimized=services.post_view_optimized
        ),
        api_view=bulk_api.ViewCountAPI,
        route="<slug:slug>/",
        target=busiest_post,
        write=write_setups.view_counter,
        benefit="concurrency",
        sized_by_limit=False,
    ),
)
