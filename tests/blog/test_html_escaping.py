"""Text with HTML and SQL metacharacters is stored exactly as given and shown escaped on every
HTML page: the autoescaping templates and the ORM's parameters do the work, and this proves no
page opts out (`|safe`, `mark_safe`, raw SQL built from input)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from django.utils.html import escape

from blog.models import Comment, Post
from querylab.registry import CASES, VARIANTS
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Short enough for every field it goes in (a tag or category name is at most 50 characters).
HOSTILE = "<script>alert(1)</script>\"&';DROP TABLE t;--"


@pytest.fixture
def hostile_post() -> Post:
    author = UserFactory.create(profile__location=HOSTILE)
    post = PostFactory.create(
        title=HOSTILE,
        body=HOSTILE,
        author=author,
        category=CategoryFactory.create(name=HOSTILE),
        tags=[TagFactory.create(name=HOSTILE, slug="hostile")],
    )
    CommentFactory.create(post=post, body=HOSTILE)
    return post


def html_pages(client: Any) -> list[str]:
    """Every case page of both variants (staff-only ones aside), the lab pages and the home."""
    listed = client.get("/lab/cases.json").json()["cases"]
    pages = [
        entry["urls"][variant]["page"]
        for entry in listed
        for variant in VARIANTS
        if entry["urls"][variant]["page"] and "admin" not in entry["techniques"]
    ]
    lab = [f"/lab/{case.slug}/" for case in CASES if not case.staff_only and case.write is None]
    return ["/", *pages, *lab]


def test_hostile_text_is_stored_as_given(hostile_post: Post) -> None:
    stored = Post.objects.get(pk=hostile_post.pk)

    assert stored.title == stored.body == HOSTILE
    assert Comment.objects.get(post=stored).body == HOSTILE
    assert Post.objects.filter(title=HOSTILE).count() == 1  # and the table is still there


def test_every_html_page_shows_it_escaped(client: Any, hostile_post: Post) -> None:
    pages = html_pages(client)
    assert len(pages) > 10

    shown_on = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        # The lab's pages are streamed around their measurement.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        html = body.decode()
        assert HOSTILE not in html, f"{url} renders the text unescaped"
        assert "<script>alert(" not in html, url
        if escape(HOSTILE) in html:
            shown_on.append(url)

    # The text does reach the pages, escaped: the feed, the list and the detail at least.
    assert {"/naive/post-feed/", "/optimized/post-feed/"} <= {url.split("?")[0] for url in shown_on}
    detail = f"/optimized/post-detail/{hostile_post.slug}/"
    assert escape(HOSTILE) in client.get(detail).content.decode()


def test_the_admin_shows_it_escaped_to_staff(client: Any, hostile_post: Post) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    html = client.get("/admin/blog/post/").content.decode()

    assert escape(HOSTILE) in html
    assert HOSTILE not in html
