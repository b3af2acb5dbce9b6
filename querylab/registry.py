"""The case registry: one declaration per case; the lab, `cases.json` and the tests read it.

A case names its two selectors and its two URLs, states the expected query counts as formulas in
N, and says what N counts (`scale`), so a test can build data of any size for it. A case whose
page needs an object (a post, a viewer) resolves a representative one from the current data, so
every URL the registry lists works as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, get_args
from urllib.parse import urlencode

from django.contrib.admin import ModelAdmin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.urls import reverse

from blog import async_reads as blog_async
from blog import authors as blog_authors
from blog import exports as blog_exports
from blog import selectors as blog_selectors
from blog import services as blog_services
from blog import stats as blog_stats
from blog.admin import NaiveAdminPostAdmin, PostAdmin
from blog.api import NestedSerializerPostListAPI, PostExportAPI
from blog.drf_serializers import NestedPostSerializer
from blog.models import Category, Comment, Post, Tag
from blog.schemas import PostListItemOut
from users.models import User

from . import write_setups
from .formulas import Formula
from .selector_types import (
    VARIANTS,
    DetailSelector,
    ImportService,
    ListSelector,
    PageSelector,
    Pair,
    PublishService,
    RetitleService,
    Variant,
    ViewerSelector,
    ViewService,
)
from .write_setups import WriteSetup

__all__ = [
    "CASES",
    "CASES_BY_SLUG",
    "SURFACES",
    "TECHNIQUES",
    "VARIANTS",
    "AnyCase",
    "Case",
    "PageTarget",
    "Scale",
    "Surface",
    "Variant",
]

Surface = Literal["page", "api"]
SURFACES: tuple[Surface, ...] = ("page", "api")
Kind = Literal["read", "write"]
# What N counts in a case's formulas; the tests build data of each scale at several sizes.
Scale = Literal["posts", "users", "tags", "categories", "comments"]
Technique = Literal[
    "select_related", "prefetch_related", "Prefetch", "sliced_prefetch", "only", "defer",
    "annotate", "aggregate", "Exists", "Subquery", "values", "count_exists", "iterator",
    "streaming", "bulk_create", "bulk_update", "update_F", "cursor_pagination", "cache", "admin",
    "async", "db_json",
]  # fmt: skip
TECHNIQUES: tuple[str, ...] = get_args(Technique)

DJANGO_DOCS = "https://docs.djangoproject.com/en/5.2/"


@dataclass(frozen=True)
class PageTarget:
    """What a case's page needs besides `?limit=`: URL kwargs and query parameters per variant."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    params: dict[Variant, dict[str, str]] = field(default_factory=dict)


def no_target(limit: int) -> PageTarget:
    """Most pages need nothing but `?limit=`."""
    return PageTarget()


# What a case's selectors are: a Protocol of querylab.selector_types, generic over the rows.
SelectorT_co = TypeVar("SelectorT_co", bound=Callable[..., Any], covariant=True)


@dataclass(frozen=True, kw_only=True)
class Case(Generic[SelectorT_co]):
    slug: str
    title: str
    app: str
    kind: Kind = "read"
    techniques: tuple[Technique, ...]
    naive_queries: Formula
    optimized_queries: Formula
    grows_with_n: bool
    scale: Scale
    why: str
    docs_url: str
    # Pair[ListSelector[Post]](naive=..., optimized=...): mypy holds both to the declared shape.
    selectors: Mapping[Variant, SelectorT_co]
    # URL names (namespace:name) of each variant's HTML page and JSON endpoint; None (or absent)
    # where a case has none.
    page_names: Mapping[Variant, str | None]
    api_names: Mapping[Variant, str | None] = field(default_factory=dict)
    # The representative object a page needs, from the current data, for a page of `limit` rows;
    # None when the data has none.
    target: Callable[[int], PageTarget | None] = no_target
    # Pages only staff may open (the admin); the lab runs them as the requesting staff user.
    staff_only: bool = False
    # The code the lab and docs show per variant, when more than the selector itself.
    code: Mapping[Variant, tuple[Any, ...]] = field(default_factory=dict)
    # Write cases: the data a batch of N needs, made inside the transaction that is rolled back.
    write: Callable[[int], WriteSetup] | None = None
    # Request each variant once before measuring it: the cache case measures a warm hit.
    warm_up: bool = False
    # A case that saves columns (only, defer, values) names, per table, exactly the columns its
    # optimized variant selects; tests/querylab/test_columns.py reads its SQL and holds it to it.
    optimized_columns: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def code_for(self, variant: Variant) -> tuple[Any, ...]:
        return self.code.get(variant) or (self.selectors[variant],)

    def formula(self, variant: Variant) -> Formula:
        return self.naive_queries if variant == "naive" else self.optimized_queries

    @property
    def surfaces(self) -> tuple[Surface, ...]:
        """Where both variants can be requested: "page", "api", or both."""
        names = {"page": self.page_names, "api": self.api_names}
        return tuple(s for s in SURFACES if all(names[s].get(v) for v in VARIANTS))

    def page_url(self, variant: Variant, target: PageTarget | None, *, limit: int | None) -> str:
        return self.url("page", variant, target, limit=limit)

    def url(
        self, surface: Surface, variant: Variant, target: PageTarget | None, *, limit: int | None
    ) -> str:
        """The path of one variant's page or endpoint for `target`, with `?limit=` when given."""
        name = (self.page_names if surface == "page" else self.api_names).get(variant)
        if name is None or target is None:
            raise ValueError(f"{self.slug}: the {variant} variant has no {surface} for this data")
        params = dict(target.params.get(variant, {}))
        if limit is not None:
            params["limit"] = str(limit)
        query = urlencode(params)
        return reverse(name, kwargs=target.kwargs) + (f"?{query}" if query else "")


# Representative objects: the most telling row of the current data for pages that need one.


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
        params["optimized"] = {"after": str(blog_selectors.PostCursor.after(before))}
    return PageTarget(params=params)


# What a title list shows: the columns post-titles, deferred-trap and post-values select.
TITLE_COLUMNS = frozenset(blog_selectors.TITLE_FIELDS)
# Every column of a post but its body: what the feed selects.
POST_COLUMNS_BUT_BODY = frozenset(f.column for f in Post._meta.concrete_fields if f.name != "body")


def _pages(namespace: str, slug: str) -> dict[Variant, str | None]:
    return {variant: f"{namespace}:{slug}-{variant}" for variant in VARIANTS}


def _apis(slug: str) -> dict[Variant, str | None]:
    return {variant: f"api:{slug}-{variant}" for variant in VARIANTS}


def _docs(path: str) -> str:
    return DJANGO_DOCS + path


# A case of any selector shape, for code that handles every case alike (the lab, the bench).
AnyCase = Case[Any]

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
        docs_url=_docs("ref/models/querysets/#select-related"),
        selectors=Pair[ListSelector[Post]](
            naive=blog_selectors.post_list_naive, optimized=blog_selectors.post_list_optimized
        ),
        page_names=_pages("blog", "post-list"),
        api_names=_apis("post-list"),
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
        docs_url=_docs("ref/models/querysets/#prefetch-objects"),
        selectors=Pair[ListSelector[Post]](
            naive=blog_selectors.post_feed_naive, optimized=blog_selectors.post_feed_optimized
        ),
        code={
            "optimized": (blog_selectors.feed_queryset, blog_selectors.post_feed_optimized),
        },
        page_names=_pages("blog", "post-feed"),
        api_names=_apis("post-feed"),
        optimized_columns={"blog_post": POST_COLUMNS_BUT_BODY},
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
        docs_url=_docs("ref/models/expressions/#subquery-expressions"),
        selectors=Pair[ListSelector[User]](
            naive=blog_authors.user_directory_naive,
            optimized=blog_authors.user_directory_optimized,
        ),
        page_names=_pages("blog", "user-directory"),
        api_names=_apis("user-directory"),
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
        docs_url=_docs("ref/models/querysets/#prefetch-related"),
        selectors=Pair[DetailSelector[Post]](
            naive=blog_selectors.post_detail_naive, optimized=blog_selectors.post_detail_optimized
        ),
        code={
            "optimized": (blog_selectors.detail_queryset, blog_selectors.post_detail_optimized),
        },
        page_names=_pages("blog", "post-detail"),
        api_names=_apis("post-detail"),
        target=busiest_post,
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
        docs_url=_docs("topics/db/aggregation/#filtering-on-annotations"),
        selectors=Pair[ListSelector[Tag]](
            naive=blog_selectors.tag_cloud_naive, optimized=blog_selectors.tag_cloud_optimized
        ),
        page_names=_pages("blog", "tag-cloud"),
        api_names=_apis("tag-cloud"),
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
        docs_url=_docs("ref/models/querysets/#prefetch-objects"),
        selectors=Pair[ListSelector[Category]](
            naive=blog_selectors.category_latest_naive,
            optimized=blog_selectors.category_latest_optimized,
        ),
        page_names=_pages("blog", "category-latest"),
        api_names=_apis("category-latest"),
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
        docs_url=_docs("ref/models/expressions/#exists-subqueries"),
        selectors=Pair[ViewerSelector[Post]](
            naive=blog_selectors.post_commented_flags_naive,
            optimized=blog_selectors.post_commented_flags_optimized,
        ),
        page_names=_pages("blog", "posts-i-commented"),
        api_names=_apis("posts-i-commented"),
        target=busiest_commenter,
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
        docs_url=_docs("ref/models/querysets/#only"),
        selectors=Pair[ListSelector[Post]](
            naive=blog_selectors.post_titles_naive, optimized=blog_selectors.post_titles_optimized
        ),
        page_names=_pages("blog", "post-titles"),
        api_names=_apis("post-titles"),
        optimized_columns={"blog_post": TITLE_COLUMNS},
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
        docs_url=_docs("ref/models/querysets/#defer"),
        selectors=Pair[ListSelector[Post]](
            naive=blog_selectors.post_dated_titles_naive,
            optimized=blog_selectors.post_dated_titles_optimized,
        ),
        page_names=_pages("blog", "deferred-trap"),
        api_names=_apis("deferred-trap"),
        optimized_columns={"blog_post": TITLE_COLUMNS},
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
        docs_url=_docs("ref/models/querysets/#values"),
        # Instances from the naive one, typed dicts from values() in the optimized one.
        selectors=Pair[ListSelector[Post | blog_selectors.PostRow]](
            naive=blog_selectors.post_rows_naive, optimized=blog_selectors.post_rows_optimized
        ),
        page_names=_pages("blog", "post-values"),
        api_names=_apis("post-values"),
        optimized_columns={"blog_post": TITLE_COLUMNS, "users_user": frozenset({"username"})},
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
        docs_url=_docs("topics/db/optimization/#use-indexes"),
        selectors=Pair[PageSelector](
            naive=blog_selectors.post_page_naive, optimized=blog_selectors.post_page_optimized
        ),
        page_names=_pages("blog", "deep-pagination"),
        api_names=_apis("deep-pagination"),
        target=deep_page,
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
        docs_url=_docs("ref/models/querysets/#select-related"),
        selectors=Pair[ListSelector[Post]](
            naive=blog_selectors.post_list_naive, optimized=blog_selectors.post_list_optimized
        ),
        code={
            "naive": (NestedPostSerializer, NestedSerializerPostListAPI.get),
            "optimized": (PostListItemOut, blog_selectors.post_list_optimized),
        },
        page_names={},
        api_names=_apis("drf-nested-serializer"),
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
        docs_url=_docs("ref/request-response/#streaminghttpresponse-objects"),
        selectors=Pair[Callable[[], Iterable[tuple[Any, ...]]]](
            naive=blog_exports.post_export_naive, optimized=blog_exports.post_export_optimized
        ),
        code={
            "naive": (blog_exports.post_export_naive, PostExportAPI.get),
            "optimized": (blog_exports.post_export_optimized, PostExportAPI.get),
        },
        page_names={},
        api_names=_apis("post-export"),
        target=lambda limit: PageTarget(kwargs={"fmt": "ndjson"}),
        # Both variants select these: the export's saving is memory, not columns.
        optimized_columns={
            "blog_post": TITLE_COLUMNS,
            "users_user": frozenset({"username"}),
            "blog_category": frozenset({"slug"}),
        },
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
        docs_url=_docs("topics/db/aggregation/"),
        selectors=Pair[Callable[[], blog_stats.StatsOut]](
            naive=blog_stats.stats_naive, optimized=blog_stats.stats_optimized
        ),
        page_names={},
        api_names=_apis("stats"),
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
        docs_url=_docs("topics/cache/#the-low-level-cache-api"),
        # The optimized variant serves the cached JSON bytes, never a model.
        selectors=Pair[Callable[[], blog_stats.StatsOut | bytes]](
            naive=blog_stats.stats_optimized, optimized=blog_stats.stats_cached_json
        ),
        code={
            "optimized": (
                blog_stats.stats_cached_json,
                blog_stats.stats_version,
                blog_stats.invalidate_stats,
            ),
        },
        page_names={},
        api_names=_apis("stats-cache"),
        warm_up=True,
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
        docs_url=_docs("topics/async/#queries-the-orm"),
        selectors=Pair[Callable[[], Awaitable[blog_async.PostCounts]]](
            naive=blog_async.post_counts_gathered, optimized=blog_async.post_counts_aggregated
        ),
        page_names={},
        api_names=_apis("async-gather"),
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
        docs_url=_docs("ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_select_related"),
        # The admin classes are the code that differs; the lab shows their source.
        selectors=Pair[type[ModelAdmin[Post]]](naive=NaiveAdminPostAdmin, optimized=PostAdmin),
        page_names={
            "naive": "admin:blog_naiveadminpost_changelist",
            "optimized": "admin:blog_post_changelist",
        },
        staff_only=True,
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
        docs_url=_docs("ref/models/querysets/#bulk-create"),
        selectors=Pair[ImportService](
            naive=blog_services.post_import_naive, optimized=blog_services.post_import_optimized
        ),
        page_names={},
        api_names=_apis("post-import"),
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
        docs_url=_docs("ref/models/querysets/#update"),
        selectors=Pair[PublishService](
            naive=blog_services.post_publish_drafts_naive,
            optimized=blog_services.post_publish_drafts_optimized,
        ),
        page_names={},
        api_names=_apis("bulk-publish"),
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
        docs_url=_docs("ref/models/querysets/#bulk-update"),
        selectors=Pair[RetitleService](
            naive=blog_services.post_retitle_naive, optimized=blog_services.post_retitle_optimized
        ),
        page_names={},
        api_names=_apis("bulk-update"),
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
        docs_url=_docs("ref/models/expressions/#f-expressions"),
        selectors=Pair[ViewService](
            naive=blog_services.post_view_naive, optimized=blog_services.post_view_optimized
        ),
        page_names={},
        api_names=_apis("view-counter"),
        target=busiest_post,
        write=write_setups.view_counter,
    ),
)

CASES_BY_SLUG: dict[str, AnyCase] = {case.slug: case for case in CASES}


def _check(cases: tuple[AnyCase, ...]) -> None:
    """Registry mistakes fail at import, not on some page later."""
    problems = [] if len(CASES_BY_SLUG) == len(cases) else ["case slugs must be unique"]
    for case in cases:
        if case.grows_with_n != case.naive_queries.grows:
            problems.append(f"{case.slug}: grows_with_n disagrees with the naive formula")
        if case.optimized_queries.grows:
            problems.append(f"{case.slug}: the optimized formula grows with N")
        if not set(case.techniques) <= set(TECHNIQUES):
            problems.append(f"{case.slug}: unknown technique")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


_check(CASES)
