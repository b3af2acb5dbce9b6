"""Every keyset pagination walked end to end on data with ties: each row exactly once, in order,
forwards and (where the API offers it) backwards, and none skipped or repeated while rows are
added between one page and the next.

The published feed's order is (published_at, id) descending; the id is the tie-breaker that
makes it total. Without it, a page that ends inside a run of equal timestamps would lose or
repeat the rest of the run: the data here is drawn from four minutes, so runs are common.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from blog.models import Category, Comment, Post
from querylab.datasets import DATASET_EPOCH, DatasetSpec, PostSpec, build_dataset
from users.models import User

pytestmark = pytest.mark.django_db

FEED = "/api/v1/posts/"
KEYSET = "/api/v1/optimized/deep-pagination/"
MINUTES = st.integers(min_value=0, max_value=3)


@st.composite
def feeds(draw: st.DrawFn) -> DatasetSpec:
    """Published posts only (drafts are never paged), by two authors, on minutes that tie."""
    minutes = draw(st.lists(MINUTES, min_size=1, max_size=12))
    posts = tuple(
        PostSpec(author=index % 2, category=0, published=minute, body_length=10)
        for index, minute in enumerate(minutes)
    )
    return DatasetSpec(users=2, categories=1, tags=0, posts=posts)


def expected_order(spec: DatasetSpec) -> list[str]:
    """Slugs newest first, ties by id (post index order is id order)."""
    indexes = sorted(
        range(len(spec.posts)), key=lambda i: (spec.posts[i].published, i), reverse=True
    )
    return [f"post-{i:02}" for i in indexes]


def slugs(page: dict[str, Any]) -> list[str]:
    return [row["slug"] for row in page["results"]]


def get(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def walk(client: Client, first: str, link: str, *, between: Any = None) -> list[list[str]]:
    """Follow `link` ("next" or "previous") from `first` to the end; the pages' slugs."""
    pages = []
    url: str | None = first
    while url is not None:
        page = get(client, url)
        pages.append(slugs(page))
        url = page[link]
        if between is not None:
            between()
        assert len(pages) <= 100, "the links go round in circles"
    return pages


def in_order_once(seen: list[str], expected: list[str]) -> None:
    """Every expected row appears exactly once, in the expected order (others may be mixed in:
    rows added during the walk)."""
    original = [slug for slug in seen if slug in set(expected)]
    assert original == expected


def add_posts(minutes: list[int]) -> Any:
    """A callable that adds one published post per call, at the next of `minutes` (or newer
    than everything once they run out)."""
    author, category = User.objects.get(username="user-00"), Category.objects.get()
    queue = list(minutes)

    def add() -> None:
        minute = queue.pop(0) if queue else 100
        number = Post.objects.count()
        Post.objects.create(
            author=author,
            category=category,
            title=f"Added {number}",
            slug=f"added-{number}",
            body="added",
            status=Post.Status.PUBLISHED,
            published_at=DATASET_EPOCH + timedelta(minutes=minute),
        )

    return add


@given(spec=feeds(), limit=st.integers(min_value=1, max_value=4))
def test_the_api_feed_walks_forward_and_back_over_every_post_once(spec, limit) -> None:
    with transaction.atomic():
        build_dataset(spec)
        client = Client()

        forward = walk(client, f"{FEED}?limit={limit}", "next")
        flat = [slug for page in forward for slug in page]
        assert flat == expected_order(spec)
        assert all(0 < len(page) <= limit for page in forward)

        # Back from the last page: its `previous` link leads to the newer pages.
        last = get(client, f"{FEED}?limit={limit}")
        while last["next"] is not None:
            last = get(client, last["next"])
        backward = [slugs(last)]
        if last["previous"] is not None:
            backward += walk(client, last["previous"], "previous")
        assert [slug for page in reversed(backward) for slug in page] == flat
        transaction.set_rollback(True)


@given(
    spec=feeds(),
    limit=st.integers(min_value=1, max_value=4),
    added=st.lists(MINUTES, max_size=6),
)
def test_the_api_feed_loses_no_post_while_posts_are_added(spec, limit, added) -> None:
    with transaction.atomic():
        build_dataset(spec)
        expected = expected_order(spec)

        pages = walk(Client(), f"{FEED}?limit={limit}", "next", between=add_posts(added))

        in_order_once([slug for page in pages for slug in page], expected)
        transaction.set_rollback(True)


@given(spec=feeds(), limit=st.integers(min_value=1, max_value=4), added=st.lists(MINUTES))
def test_the_keyset_case_walks_every_post_once_while_posts_are_added(spec, limit, added) -> None:
    """deep-pagination's optimized variant: `next` is the query string of the next page."""
    with transaction.atomic():
        build_dataset(spec)
        expected = expected_order(spec)
        add = add_posts(added)
        client = Client()

        seen: list[str] = []
        query: dict[str, str] | None = {}
        while query is not None:
            page = client.get(KEYSET, {"limit": limit, **query}).json()
            seen += slugs(page)
            query = page["next"]
            add()
            assert len(seen) <= 200, "the cursor goes round in circles"

        in_order_once(seen, expected)
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "ordered",
    [
        Post.objects.newest_first(),
        Comment.objects.newest_first(),
        Comment.objects.oldest_first(),
    ],
    ids=["posts-newest-first", "comments-newest-first", "comments-oldest-first"],
)
def test_every_order_ends_in_the_primary_key(ordered) -> None:
    """Both databases happen to return equal timestamps in id order when an index covers the
    sort, so a walk over ties cannot see a tie-breaker dropped from the ORDER BY until a plan
    changes (a join, a larger table): the order itself is checked. A cursor is only as stable
    as the order is total."""
    *_, last = ordered.query.order_by

    assert last.lstrip("-") in {"id", "pk"}
