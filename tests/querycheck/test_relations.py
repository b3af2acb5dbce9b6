"""querycheck names the relation behind a lazy load and the call that would fix it, applies that
call to prove it, and refuses lazy loads under strict loading. Each test fails without the
feature it is about: a message without the relation, a fix that is not applied, a lazy load let
through."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from blog.models import Comment, Post
from blog.selectors import post_feed_naive
from querycheck import (
    LazyLoadError,
    applying,
    assert_constant_queries,
    capture_queries,
    no_n_plus_one,
    strict_loading,
)
from querycheck.testing import NPlusOneError, QueryCountChangedError, lazy_loads
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def loads_of(queries) -> list[tuple[str, str]]:
    return [(q.load.relation, q.load.fix().text) for q in queries if q.load is not None]


def test_each_kind_of_lazy_load_is_named_with_its_fix() -> None:
    post = PostFactory.create(tags=2, comments=1)
    PostFactory.create(tags=1)

    with capture_queries() as captured:
        for row in Post.objects.only("id", "title", "author_id").order_by("id"):
            row.author  # noqa: B018 - a forward foreign key
            row.author.profile  # noqa: B018 - a reverse one-to-one, reached through author
            list(row.tags.all())  # a many-to-many
            row.body  # noqa: B018 - a deferred field
    loads = dict(loads_of(captured.queries))

    assert loads == {
        "Post.author": "select_related('author') on the Post queryset",
        "User.profile": "select_related('author__profile') on the Post queryset",
        "Post.tags": "prefetch_related('tags') on the Post queryset",
        "Post.body (deferred)": "load Post.body with its rows: name 'body' in only(), or take it "
        "out of defer(), on the Post queryset",
    }
    assert post.pk  # the data the loop read


def test_a_count_per_row_is_not_a_prefetch_and_the_fix_says_so() -> None:
    PostFactory.create_batch(3, comments=2)

    with capture_queries() as captured:
        counts = [post.comments.count() for post in Post.objects.all()]
    (load,) = {q.load for q in captured.queries if q.load}

    assert counts == [2, 2, 2]
    fix = load.fix()
    assert (load.relation, load.operation, fix.method, fix.appliable) == (
        "Post.comments", "count", "annotate", False,
    )  # fmt: skip
    assert "annotate(comments_count=Count('comments'))" in fix.text
    assert "a query per row" in fix.text


def test_a_sliced_or_filtered_relation_needs_a_prefetch_object() -> None:
    for post in PostFactory.create_batch(2):
        CommentFactory.create_batch(3, post=post)

    with capture_queries() as captured:
        for post in Post.objects.all():
            newest = post.comments.order_by("-created_at")[:2]
            [comment.author.username for comment in newest]
    fixes = {(q.load.relation, q.load.fix().method) for q in captured.queries if q.load}

    assert fixes == {("Post.comments", "Prefetch"), ("Comment.author", "select_related")}
    author = next(q.load for q in captured.queries if q.load and q.load.field == "author")
    # The comments came from a sliced manager query: the join belongs on that query.
    assert author.fix().target == "Post.comments"


def test_the_guard_names_the_relation_and_the_fix() -> None:
    PostFactory.create_batch(4)

    with pytest.raises(NPlusOneError) as failure, no_n_plus_one(limit=2):
        [post.category.name for post in Post.objects.all()]

    assert "loads Post.category lazily (x4); fix: select_related('category')" in str(failure.value)


def test_a_count_that_grew_names_the_relation_that_grew() -> None:
    def make(n: int) -> list[Post]:
        return PostFactory.create_batch(n)

    with pytest.raises(QueryCountChangedError) as failure:
        assert_constant_queries(
            [1, 4], make, lambda _: [p.author.username for p in Post.objects.all()]
        )

    message = str(failure.value)
    assert "Relations loaded lazily, per size, and the fix for those that grew:" in message
    assert "grew" in message.split("Relations loaded lazily")[1]
    assert "fix: select_related('author') on the Post queryset" in message


def test_applying_the_fixes_removes_the_lazy_loads() -> None:
    PostFactory.create_batch(5, tags=2)

    def read() -> list[str]:
        posts = Post.objects.only("id", "title", "author_id").order_by("id")
        # Tags sorted: unordered, a post's tags come back in whatever order the plan gives, and
        # the per-post query and the prefetch's IN query can be planned differently.
        return [f"{p.author.username}{p.body}{sorted(t.name for t in p.tags.all())}" for p in posts]

    with capture_queries() as naive:
        expected = read()
    fixes = {q.load.fix() for q in naive.queries if q.load}
    with capture_queries() as fixed, applying(fixes):
        rows = read()

    assert len(naive.queries) == 1 + 3 * 5
    assert rows == expected
    assert len(fixed.queries) == 2  # the posts, joined and undeferred; their tags, prefetched
    assert not loads_of(fixed.queries)


def test_strict_loading_refuses_a_lazy_load_at_the_line_that_does_it() -> None:
    PostFactory.create(comments=1)

    with pytest.raises(LazyLoadError) as failure, strict_loading():
        post_feed_naive(limit=1)

    message = str(failure.value)
    assert message.startswith(
        "Post.comments loaded lazily under strict loading, at blog/selectors/pairs.py:"
    )
    assert "in post_feed_naive. Fix: annotate(comments_count=Count('comments'))" in message


def test_strict_loading_lets_loaded_relations_through() -> None:
    PostFactory.create_batch(2, tags=1, comments=1)

    with strict_loading():
        posts = Post.objects.select_related("author__profile").prefetch_related("tags", "comments")
        rows = [
            (p.author.profile.bio, [t.name for t in p.tags.all()], p.comments.count())
            for p in posts
        ]

    assert len(rows) == 2


@pytest.mark.parametrize(
    "load",
    [
        lambda post: post.comments.count(),
        lambda post: post.comments.filter(body="").exists(),
        lambda post: Post.objects.only("id").get(pk=post.pk).title,
        lambda post: Comment.objects.get(post=post).author,
    ],
    ids=["count", "exists", "deferred", "forward"],
)
def test_strict_loading_refuses_each_kind(load) -> None:
    post = PostFactory.create(comments=1)
    post = Post.objects.get(pk=post.pk)

    with pytest.raises(LazyLoadError), strict_loading():
        load(post)


def test_strict_loading_as_decorator_and_switched_off_inside() -> None:
    PostFactory.create(tags=2)

    @strict_loading()
    def read_tags() -> list[str]:
        post = Post.objects.get()
        with strict_loading(False):
            return [tag.name for tag in post.tags.all()]

    @strict_loading()
    def read_author() -> str:
        return Post.objects.get().author.username

    assert len(read_tags()) == 2
    with pytest.raises(LazyLoadError):
        read_author()


def test_strict_loading_lets_a_write_diff_its_members() -> None:
    """set() reads the current members as values to diff them: attributed, never refused."""
    post = PostFactory.create(tags=2)
    post = Post.objects.get(pk=post.pk)
    kept = list(post.tags.all()[:1])

    with strict_loading():
        post.tags.set(kept)

    assert list(post.tags.all()) == kept


@pytest.mark.strict_loading
def test_the_marker_makes_the_test_strict() -> None:
    PostFactory.create()

    with pytest.raises(LazyLoadError):
        Post.objects.get().author  # noqa: B018


def test_lazy_loads_lists_each_relation_once() -> None:
    PostFactory.create_batch(3)

    with capture_queries() as captured:
        [post.author.username for post in Post.objects.all()]

    assert lazy_loads(captured.queries) == [
        "loads Post.author lazily (x3); fix: select_related('author') on the Post queryset"
    ]


@override_settings(QUERYCHECK_STRICT_LOADING_EXEMPT_PATHS=["/naive/"])
def test_the_middleware_refuses_lazy_loads_outside_its_exempt_paths(client, settings) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "querycheck.middleware.StrictLoadingMiddleware"]
    PostFactory.create_batch(2)
    UserFactory.create()

    assert client.get(reverse("blog:post-list-naive"), {"limit": 2}).status_code == 200
    assert client.get(reverse("blog:post-list-optimized"), {"limit": 2}).status_code == 200
    settings.QUERYCHECK_STRICT_LOADING_EXEMPT_PATHS = []
    with pytest.raises(LazyLoadError, match=r"Post\.author"):
        client.get(reverse("blog:post-list-naive"), {"limit": 2})
