"""Every public API endpoint says who may keep its answer (core.cache_policy): anonymous reads
any cache, signed-in reads only the browser, the account nobody, and no write or error anyone.

The table names every route of the public API: a new endpoint without an entry fails
`test_every_public_endpoint_declares_a_policy`, so its policy is a decision, not a default."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from blog.api_urls import lab_urlpatterns
from blog.models import Post
from config.api_urls import urlpatterns as api_urlpatterns
from users.models import User

pytestmark = pytest.mark.django_db

PUBLIC_READ = "public, no-cache"
SIGNED_IN_READ = "private, no-cache"
NO_STORE = "no-store"


def _post(post: Post) -> dict[str, Any]:
    return {"slug": post.slug}


# Each public route: how to address it, and what an anonymous GET of it is answered with.
ENDPOINTS: dict[str, tuple[Callable[[Post, User], dict[str, Any]], str | None]] = {
    "posts": (lambda post, user: {}, PUBLIC_READ),
    "posts-import": (lambda post, user: {}, None),  # POST only
    "posts-publish-drafts": (lambda post, user: {}, None),
    "posts-retitle": (lambda post, user: {}, None),
    "posts-export": (lambda post, user: {"fmt": "ndjson"}, PUBLIC_READ),
    "post-reading-list": (lambda post, user: {}, PUBLIC_READ),
    "post-links": (lambda post, user: _post(post), None),  # staff only
    "stats": (lambda post, user: {}, PUBLIC_READ),
    "post-view": (lambda post, user: _post(post), None),
    "post": (lambda post, user: _post(post), PUBLIC_READ),
    "post-comments": (lambda post, user: _post(post), PUBLIC_READ),
    "users": (lambda post, user: {}, PUBLIC_READ),
    "user": (lambda post, user: {"username": user.username}, PUBLIC_READ),
    "me": (lambda post, user: {}, None),  # signed in only
}


def _names(patterns: Sequence[URLPattern | URLResolver]) -> set[str]:
    return {
        pattern.name for pattern in patterns if isinstance(pattern, URLPattern) and pattern.name
    }


def test_every_public_endpoint_declares_a_policy() -> None:
    public = _names(api_urlpatterns) - _names(lab_urlpatterns)
    assert public, "no public route found"
    assert public == set(ENDPOINTS)


@pytest.fixture
def post(published_post: Post) -> Post:
    return published_post


def _url(name: str, post: Post, user: User) -> str:
    return reverse(f"api:{name}", kwargs=ENDPOINTS[name][0](post, user))


def _vary(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize("name", sorted(name for name, (_, read) in ENDPOINTS.items() if read))
def test_an_anonymous_read_may_be_kept_by_any_cache_and_a_signed_in_one_by_the_browser(
    name: str, client: Client, post: Post, author: User
) -> None:
    url = _url(name, post, post.author)

    anonymous = client.get(url)
    client.force_login(author)
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == HTTPStatus.OK
    assert anonymous["Cache-Control"] == PUBLIC_READ
    assert signed_in["Cache-Control"] == SIGNED_IN_READ
    # A shared cache keys its copy by these: an anonymous copy never reaches a signed-in client.
    assert {"Authorization", "Cookie"} <= _vary(anonymous)


def test_a_token_is_signed_in_too(client: Client, post: Post, author: User) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=author)
    response = client.get(reverse("api:posts"), headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == SIGNED_IN_READ


def test_the_account_is_kept_by_nobody(client: Client, author: User) -> None:
    client.force_login(author)

    response = client.get(reverse("api:me"))

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == NO_STORE


def test_a_sign_up_is_kept_by_nobody(client: Client) -> None:
    password = "s3cret-enough!"
    body = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password": password,
        "password_confirm": password,
    }

    response = client.post(reverse("api:users"), body, content_type="application/json")

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response["Cache-Control"] == NO_STORE


def test_a_write_is_kept_by_nobody(author_client: Client, post: Post) -> None:
    response = author_client.post(
        reverse("api:post-comments", kwargs={"slug": post.slug}),
        {"body": "Kept by nobody."},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/posts/no-such-post/", HTTPStatus.NOT_FOUND),
        ("/api/v1/posts/?limit=0", HTTPStatus.BAD_REQUEST),
        ("/api/v1/users/me/", HTTPStatus.UNAUTHORIZED),
    ],
)
def test_an_error_is_kept_by_nobody(client: Client, url: str, status: int) -> None:
    response = client.get(url)

    assert response.status_code == status
    assert response["Cache-Control"] == NO_STORE
