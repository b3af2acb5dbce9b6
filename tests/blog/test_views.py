from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.views import HOME_POST_COUNT
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_renders_the_newest_seeded_posts(client) -> None:
    call_command("seed", "--users=5", "--posts-per-user=6", verbosity=0)
    newest = list(Post.objects.published().newest_first()[:HOME_POST_COUNT])
    assert newest

    response = client.get(reverse("blog:home"))

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["posts"]) == newest
    html = response.content.decode()
    for post in newest:
        assert post.get_absolute_url() in html
        assert post.author.username in html


def test_home_leaves_out_drafts(client) -> None:
    draft = PostFactory.create(draft=True, title="Unfinished thoughts")

    response = client.get(reverse("blog:home"))

    assert response.status_code == HTTPStatus.OK
    assert draft.title not in response.content.decode()
    assert "No posts yet" in response.content.decode()


@pytest.mark.parametrize("n", [1, 5, 15])
def test_home_costs_one_query_however_many_posts(
    client, make_posts: Callable[..., list[Post]], n: int, django_assert_num_queries
) -> None:
    make_posts(n)

    with django_assert_num_queries(1):
        response = client.get(reverse("blog:home"))

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["posts"]) == n


def test_post_detail_shows_body_tags_and_comments_in_order(client) -> None:
    post = PostFactory.create(tags=2, body="First paragraph.\n\nSecond paragraph.")
    now = timezone.now()
    commenter = UserFactory.create(profile__location="Lisbon")
    later = CommentFactory.create(post=post, body="Second comment", created_at=now)
    earlier = CommentFactory.create(
        post=post, author=commenter, body="First comment", created_at=now - timedelta(hours=1)
    )

    response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.index(earlier.body) < html.index(later.body)
    assert "Lisbon" in html
    assert "<p>Second paragraph.</p>" in html
    for tag in post.tags.all():
        assert tag.name in html


@pytest.mark.parametrize("comments", [0, 3, 12])
def test_post_detail_costs_three_queries_however_many_comments(
    client, comments: int, django_assert_num_queries
) -> None:
    post = PostFactory.create(tags=2, comments=comments)

    with django_assert_num_queries(3):
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["post"].comments.all()) == comments


def test_post_detail_of_a_draft_is_not_found(client) -> None:
    post = PostFactory.create(draft=True)

    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_post_detail_of_an_unknown_slug_is_not_found(client) -> None:
    response = client.get(reverse("blog:post-detail", kwargs={"slug": "no-such-post"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_text_is_escaped(client) -> None:
    PostFactory.create(title="<script>alert(1)</script>")

    html = client.get(reverse("blog:home")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_page_names_its_icon_and_favicon_ico_finds_it(client, db) -> None:
    """No 404 on every page load: the site's pages name their icon, and browsers that ask for
    /favicon.ico anyway (on the admin's pages) are sent to it."""
    home = client.get("/").content.decode()
    icon = client.get("/favicon.ico")

    assert 'rel="icon" href="/static/favicon.svg"' in home
    assert icon.status_code == 301
    assert icon["Location"] == "/static/favicon.svg"
