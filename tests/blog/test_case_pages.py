"""What the case pages do beyond their query counts: parameters, errors, pagination, headers."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from blog.models import Post
from blog.pagination import PostCursor
from querylab.datasets import build_data
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", ["0", "501", "x", "1.5", "-1"])
def test_bad_limit_is_a_400_naming_it(client, limit) -> None:
    response = client.get(reverse("blog:post-list-optimized"), {"limit": limit})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"limit must be" in response.content


def test_limit_caps_the_rows(client) -> None:
    PostFactory.create_batch(4)

    response = client.get(reverse("blog:post-list-naive"), {"limit": 3})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["rows"]) == 3


def test_default_limit_is_twenty(client) -> None:
    build_data("posts", 25)

    response = client.get(reverse("blog:post-feed-optimized"))

    assert len(response.context["rows"]) == 20


def test_variant_pages_link_to_each_other_and_the_lab(client) -> None:
    PostFactory.create()

    html = client.get(reverse("blog:post-list-naive"), {"limit": 5}).content.decode()

    assert 'href="/optimized/post-list/?limit=5"' in html
    assert reverse("querylab:case", kwargs={"slug": "post-list"}) in html


def test_post_detail_case_of_a_draft_is_404(client) -> None:
    post = PostFactory.create(draft=True)

    for variant in ("naive", "optimized"):
        url = reverse(f"blog:post-detail-{variant}", kwargs={"slug": post.slug})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_commented_flags_need_a_viewer(client) -> None:
    PostFactory.create()

    response = client.get(reverse("blog:posts-i-commented-optimized"))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"viewer is required" in response.content


@pytest.mark.parametrize("viewer", ["abc", "0", "99999999999999999999999"])
def test_commented_flags_reject_a_bad_viewer(client, viewer) -> None:
    response = client.get(reverse("blog:posts-i-commented-naive"), {"viewer": viewer})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_commented_flags_default_to_the_logged_in_user(client) -> None:
    viewer = UserFactory.create()
    commented, other = PostFactory.create_batch(2)
    CommentFactory.create(post=commented, author=viewer)
    client.force_login(viewer)

    for variant in ("naive", "optimized"):
        response = client.get(reverse(f"blog:posts-i-commented-{variant}"))
        flags = {post.pk: post.viewer_commented for post in response.context["rows"]}
        assert flags == {commented.pk: True, other.pk: False}


@pytest.mark.parametrize(
    "after", ["yesterday,3", "2025-01-01T00:00:00,3", "2025-01-01T00:00:00+00:00,x", ","]
)
def test_bad_cursor_is_a_400(client, after) -> None:
    response = client.get(reverse("blog:deep-pagination-optimized"), {"after": after})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"after must be a cursor" in response.content


def test_keyset_pages_match_offset_pages_all_the_way_down(client) -> None:
    build_data("posts", 23)
    offset_pages, keyset_pages = [], []
    page, after = 1, None
    while True:
        naive = client.get(reverse("blog:deep-pagination-naive"), {"limit": 5, "page": page})
        offset_pages.append([post.pk for post in naive.context["rows"]])
        params = {"limit": 5, **({"after": after} if after else {})}
        keyset = client.get(reverse("blog:deep-pagination-optimized"), params)
        keyset_pages.append([post.pk for post in keyset.context["rows"]])
        next_query = keyset.context["result"].next_query
        if next_query is None:
            assert naive.context["result"].next_query is None
            break
        assert b"next page" in keyset.content
        page, after = page + 1, next_query["after"]

    assert len(offset_pages) == 5
    assert offset_pages == keyset_pages
    everything = list(Post.objects.published().newest_first().values_list("pk", flat=True))
    assert [pk for rows in keyset_pages for pk in rows] == everything


def test_cursor_round_trips() -> None:
    post = PostFactory.create()
    cursor = PostCursor.after(post)

    assert PostCursor.parse(str(cursor)) == cursor


def test_query_count_headers(client, settings) -> None:
    settings.MIDDLEWARE = ["querylab.middleware.QueryCountHeadersMiddleware", *settings.MIDDLEWARE]
    PostFactory.create_batch(3)

    response = client.get(reverse("blog:post-list-naive"), {"limit": 3})

    assert response["X-Query-Count"] == "7"
    assert response["Server-Timing"].startswith("db;dur=")
    assert response["Server-Timing"].endswith('desc="7 queries"')


def test_query_count_headers_say_nothing_they_cannot_know(client, settings) -> None:
    """A streamed export runs its queries while its body is sent, after the headers: it carries
    no count rather than a false 0. The lab's pages carry none either: the middleware stays out
    of what the lab measures."""
    settings.MIDDLEWARE = ["querylab.middleware.QueryCountHeadersMiddleware", *settings.MIDDLEWARE]
    PostFactory.create_batch(3)

    export = client.get(reverse("api:posts-export", kwargs={"fmt": "ndjson"}))
    lab = client.get(reverse("querylab:index"))
    page = client.get(reverse("blog:post-list-optimized"), {"limit": 3})

    assert export.streaming
    assert b"".join(export.streaming_content).count(b"\n") == 3
    assert "X-Query-Count" not in export
    assert "X-Query-Count" not in lab
    assert page["X-Query-Count"] == "1"
