"""The write endpoints behind the write cases: contract, all-or-nothing, ownership."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from django.urls import reverse

from blog.models import Post
from querycheck.testing import assert_constant_queries
from tests.api.conftest import assert_problem, row_counts, send
from tests.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/posts/import/"


def rows(n: int, **overrides):
    return [
        {"title": f"Row {i}", "body": "Text.", "tags": ["django"], "category": "news", **overrides}
        for i in range(n)
    ]


@pytest.mark.parametrize("url", [IMPORT, "/api/v1/naive/post-import/"])
def test_import_creates_every_row(author_client, author, news, url) -> None:
    TagFactory.create(name="django", slug="django")

    response = send(author_client, "post", url, {"posts": rows(3)})

    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == {"count": 3, "slugs": ["row-0", "row-1", "row-2"]}
    posts = Post.objects.filter(author=author).order_by("slug")
    assert [p.status for p in posts] == ["draft"] * 3
    assert all([t.slug for t in p.tags.all()] == ["django"] for p in posts)


@pytest.mark.parametrize("url", [IMPORT, "/api/v1/naive/post-import/"])
def test_one_bad_row_writes_nothing_and_is_named(author_client, news, url) -> None:
    batch = rows(4)
    batch[2]["category"] = "nowhere"
    before = row_counts()

    body = assert_problem(
        send(author_client, "post", url, {"posts": batch}), HTTPStatus.UNPROCESSABLE_ENTITY
    )

    assert body["errors"][0]["loc"] == ["posts", 2, "category"]
    assert row_counts() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"posts": []},
        {"posts": rows(501)},
        {"posts": rows(1, author="x")},
        {"posts": rows(1, title="")},
    ],
    ids=["empty", "too many", "author field", "blank title"],
)
def test_import_validation(author_client, news, payload) -> None:
    before = row_counts()

    assert_problem(send(author_client, "post", IMPORT, payload), HTTPStatus.UNPROCESSABLE_ENTITY)

    assert row_counts() == before


@pytest.mark.parametrize(
    "sizes",
    [
        pytest.param((5, 90), id="5 and 90 rows"),
        # SQLite allows 999 parameters per statement, so bulk_create splits 500 rows into several
        # INSERTs there; PostgreSQL takes them in one.
        pytest.param((5, 500), id="5 and 500 rows", marks=pytest.mark.postgres),
    ],
)
def test_import_costs_the_same_queries_at_any_size(author_client, news, sizes) -> None:
    TagFactory.create(name="django", slug="django")

    def batch(n: int) -> dict[str, Any]:
        return {
            "posts": [{**row, "title": f"Batch of {n}, row {i}"} for i, row in enumerate(rows(n))]
        }

    def post_batch(body: dict[str, Any]) -> None:
        assert send(author_client, "post", IMPORT, body).status_code == HTTPStatus.CREATED

    assert_constant_queries(sizes, setup=batch, run=post_batch)


def test_import_needs_a_login(client, news) -> None:
    assert_problem(send(client, "post", IMPORT, {"posts": rows(1)}), HTTPStatus.UNAUTHORIZED)
    assert not Post.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/posts/publish-drafts/", "/api/v1/naive/bulk-publish/"])
def test_publish_drafts_touches_only_the_requesters(author_client, author, url) -> None:
    mine = PostFactory.create_batch(2, author=author, draft=True)
    theirs = PostFactory.create(draft=True)

    response = send(author_client, "post", url, None)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 2
    for post in mine:
        post.refresh_from_db()
        assert post.status == "published"
        assert post.published_at is not None
    theirs.refresh_from_db()
    assert theirs.status == "draft"


@pytest.mark.parametrize("url", ["/api/v1/posts/retitle/", "/api/v1/naive/bulk-update/"])
def test_retitle_only_own_posts_all_or_nothing(author_client, author, url) -> None:
    mine = PostFactory.create(author=author, title="Old")
    theirs = PostFactory.create(title="Theirs")
    payload = {
        "posts": [{"slug": mine.slug, "title": "New"}, {"slug": theirs.slug, "title": "Mine now"}]
    }

    body = assert_problem(
        send(author_client, "post", url, payload), HTTPStatus.UNPROCESSABLE_ENTITY
    )

    assert body["errors"][0]["loc"] == ["posts", 1, "slug"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.title, theirs.title) == ("Old", "Theirs")
    ok = send(author_client, "post", url, {"posts": [{"slug": mine.slug, "title": "New"}]})
    assert ok.status_code == HTTPStatus.OK
    mine.refresh_from_db()
    assert mine.title == "New"


@pytest.mark.parametrize("variant", ["naive", "optimized"])
def test_view_counter(client, variant) -> None:
    post = PostFactory.create()
    draft = PostFactory.create(draft=True)
    name = f"api:view-counter-{variant}"

    first = client.post(reverse(name, kwargs={"slug": post.slug}))
    second = client.post(reverse(name, kwargs={"slug": post.slug}))

    assert (first.json(), second.json()) == ({"view_count": 1}, {"view_count": 2})
    assert_problem(client.post(reverse(name, kwargs={"slug": draft.slug})), HTTPStatus.NOT_FOUND)
