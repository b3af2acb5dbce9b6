"""Ownership on every write endpoint: nobody changes, deletes, publishes, retitles or writes as
someone else's account.

`ATTEMPTS` holds one intrusion per write operation of the OpenAPI document, and the first test
fails when an operation has none: a new write endpoint cannot land without saying what stops a
stranger. Each attempt is made by a logged-in intruder against an owner's published post, draft
and comment; afterwards the owner's rows must be exactly as they were.

An account is changed only at `/api/v1/users/me/`, which names no one: there is no URL for
another's. Comments have no edit or delete endpoint: once posted, only staff change them, in the
admin (tests/test_admin.py). Counting a view is public by design and changes the counter only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client

from blog.models import Comment, Post
from tests.api.conftest import send
from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory
from users.models import Profile, User

pytestmark = pytest.mark.django_db


class Owned:
    """What the owner has: a published post with a comment, and a draft."""

    def __init__(self, owner: User) -> None:
        self.owner = owner
        category = CategoryFactory.create(slug="news")
        self.post = PostFactory.create(author=owner, category=category, title="Mine")
        self.draft = PostFactory.create(author=owner, category=category, draft=True)
        self.comment = CommentFactory.create(post=self.post, author=owner, body="My comment")

    def snapshot(self) -> list[Any]:
        # view_count is left out: counting a view is public (see the module docstring).
        posts = Post.objects.filter(author=self.owner).order_by("pk").values()
        comments = Comment.objects.filter(author=self.owner).order_by("pk").values()
        kept = [{key: value for key, value in row.items() if key != "view_count"} for row in posts]
        account = User.objects.filter(pk=self.owner.pk).values().get()
        profile = Profile.objects.filter(user=self.owner).values().get()
        return [kept, [dict(row) for row in comments], account, profile]


def post_as(owned: Owned) -> dict[str, Any]:
    return {
        "title": "Intruder",
        "body": "Text.",
        "category": "news",
        "author": owned.owner.username,
    }


# (method, path) -> (the body the intruder sends, the statuses the attempt may get). The path's
# {slug} is the owner's published post.
ATTEMPTS: dict[tuple[str, str], tuple[Callable[[Owned], Any], set[int]]] = {
    # Write as the owner: no body can name an author.
    ("POST", "/api/v1/posts/"): (post_as, {HTTPStatus.UNPROCESSABLE_ENTITY}),
    ("PATCH", "/api/v1/posts/{slug}/"): (lambda o: {"title": "Taken"}, {HTTPStatus.FORBIDDEN}),
    ("DELETE", "/api/v1/posts/{slug}/"): (lambda o: None, {HTTPStatus.FORBIDDEN}),
    # Take the owner's name or address: taken, whatever the case.
    ("POST", "/api/v1/users/"): (
        lambda o: {
            "username": o.owner.username.upper(),
            "email": "new@example.com",
            "password": "a-long-unusual-passphrase",
            "password_confirm": "a-long-unusual-passphrase",
        },
        {HTTPStatus.CONFLICT},
    ),
    # Your own account is the only one the URL can name; take the owner's address through it.
    ("PATCH", "/api/v1/users/me/"): (
        lambda o: {"email": o.owner.email.upper()},
        {HTTPStatus.CONFLICT},
    ),
    ("POST", "/api/v1/posts/{slug}/comments/"): (
        lambda o: {"body": "As you", "author": o.owner.username},
        {HTTPStatus.UNPROCESSABLE_ENTITY},
    ),
}
# The public write endpoints, and each write case's variants (where the lab is enabled).
WRITE_ROUTES = [
    {"import": "posts/import/", "publish": "posts/publish-drafts/",
     "retitle": "posts/retitle/", "view": "posts/{slug}/view/"},
    *(
        {"import": f"{variant}/post-import/", "publish": f"{variant}/bulk-publish/",
         "retitle": f"{variant}/bulk-update/", "view": f"{variant}/view-counter/{{slug}}/"}
        for variant in ("naive", "optimized")
    ),
]  # fmt: skip
for routes in WRITE_ROUTES:
    ATTEMPTS |= {
        ("POST", f"/api/v1/{routes['import']}"): (
            lambda o: {"posts": [post_as(o)]},
            {HTTPStatus.UNPROCESSABLE_ENTITY},
        ),
        # Publishes the intruder's own drafts (none), never the owner's.
        ("POST", f"/api/v1/{routes['publish']}"): (lambda o: None, {HTTPStatus.OK}),
        ("POST", f"/api/v1/{routes['retitle']}"): (
            lambda o: {"posts": [{"slug": o.post.slug, "title": "Taken"}]},
            {HTTPStatus.UNPROCESSABLE_ENTITY},
        ),
        ("POST", f"/api/v1/{routes['view']}"): (lambda o: None, {HTTPStatus.OK}),
    }


def test_every_write_operation_has_an_intrusion_attempt(client: Client) -> None:
    document = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(document.content)
    writes = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }

    assert writes
    assert writes == set(ATTEMPTS)


@pytest.mark.parametrize(("method", "path"), sorted(ATTEMPTS), ids=lambda part: part)
def test_an_intruder_changes_nothing_of_the_owners(method: str, path: str) -> None:
    owned = Owned(UserFactory.create(username="owner"))
    before = owned.snapshot()
    intruder = Client()
    intruder.force_login(UserFactory.create(username="intruder"))
    body, allowed = ATTEMPTS[method, path]

    response = send(intruder, method.lower(), path.format(slug=owned.post.slug), body(owned))

    assert response.status_code in allowed, response.content
    assert owned.snapshot() == before
    assert not Comment.objects.filter(author=owned.owner).exclude(pk=owned.comment.pk).exists()
