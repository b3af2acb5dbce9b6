"""Bad input: always a 4xx problem document that echoes nothing, and never a write.

Each case sends something a client could send; the marker string inside it must not come back.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.api.conftest import assert_problem, row_counts, send
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
MARKER = "secret-marker-7f3a"


def valid_post(**overrides):
    return {
        "title": "A title",
        "body": "A body.",
        "tags": ["django"],
        "category": "news",
        "status": "draft",
        **overrides,
    }


BAD_POSTS = {
    "malformed JSON": ('{"title": "' + MARKER, HTTPStatus.BAD_REQUEST),
    "not an object": (json.dumps([MARKER]), HTTPStatus.UNPROCESSABLE_ENTITY),
    "empty object": ("{}", HTTPStatus.UNPROCESSABLE_ENTITY),
    "wrong type": (json.dumps(valid_post(title=["not", MARKER])), HTTPStatus.UNPROCESSABLE_ENTITY),
    "tags not a list": (json.dumps(valid_post(tags=MARKER)), HTTPStatus.UNPROCESSABLE_ENTITY),
    "missing body": (
        json.dumps({k: v for k, v in valid_post(title=MARKER).items() if k != "body"}),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "author field": (json.dumps(valid_post(author=MARKER)), HTTPStatus.UNPROCESSABLE_ENTITY),
    # The unexpected key is named in `loc` (a field name, not a value); its value is not echoed.
    "extra field": (json.dumps(valid_post(unexpected=MARKER)), HTTPStatus.UNPROCESSABLE_ENTITY),
    "title too long": (json.dumps(valid_post(title=MARKER * 20)), HTTPStatus.UNPROCESSABLE_ENTITY),
    "blank title": (json.dumps(valid_post(title="   ")), HTTPStatus.UNPROCESSABLE_ENTITY),
    # The document's maxLength counts what was sent: spaces that would be stripped count too
    # (schemathesis found 10,001 characters accepted as a comment of 10,000).
    "title padded past its limit": (
        json.dumps(valid_post(title=" " + "t" * 200)),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "body too long": (
        json.dumps(valid_post(body=MARKER * 6000)),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "NUL in title": (
        json.dumps(valid_post(title=f"{MARKER}\x00")),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "NUL in tag": (json.dumps(valid_post(tags=[f"{MARKER}\x00"])), HTTPStatus.UNPROCESSABLE_ENTITY),
    "too many tags": (
        json.dumps(valid_post(tags=[f"{MARKER}{i}" for i in range(11)])),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "tag without letters": (json.dumps(valid_post(tags=["!!!"])), HTTPStatus.UNPROCESSABLE_ENTITY),
    "unknown category": (
        json.dumps(valid_post(category="no-such-category")),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "category not a slug": (
        json.dumps(valid_post(category=f"{MARKER} <script>")),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    ),
    "unknown status": (json.dumps(valid_post(status=MARKER)), HTTPStatus.UNPROCESSABLE_ENTITY),
    "deep nesting": ("[" * 10_000 + "]" * 10_000, HTTPStatus.BAD_REQUEST),
    "huge request": (
        json.dumps(valid_post(body=MARKER * 80_000)),
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    ),
}


@pytest.mark.parametrize(("raw", "status"), BAD_POSTS.values(), ids=BAD_POSTS.keys())
def test_bad_post_bodies(author_client, news, raw, status) -> None:
    before = row_counts()

    body = assert_problem(send(author_client, "post", POSTS, raw), status)

    assert MARKER not in json.dumps(body)
    if status == HTTPStatus.UNPROCESSABLE_ENTITY:
        assert body["errors"]
        for error in body["errors"]:
            assert set(error) == {"loc", "msg", "type"}
    assert row_counts() == before


def test_validation_errors_name_the_field(author_client, news) -> None:
    body = assert_problem(
        send(author_client, "post", POSTS, valid_post(category="nope", title="")),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    )

    assert ["title"] in [error["loc"] for error in body["errors"]]


def test_unknown_category_is_a_422_naming_it(author_client, news) -> None:
    body = assert_problem(
        send(author_client, "post", POSTS, valid_post(category="gone")),
        HTTPStatus.UNPROCESSABLE_ENTITY,
    )

    assert body["errors"] == [
        {"loc": ["category"], "msg": "No category has this slug.", "type": "unknown_category"}
    ]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_415(author_client, news, content_type) -> None:
    before = row_counts()

    response = author_client.post(POSTS, data=json.dumps(valid_post()), content_type=content_type)

    body = assert_problem(response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    assert row_counts() == before
    if content_type:
        assert content_type not in body["detail"]


@pytest.mark.parametrize(
    "patch",
    [
        {"title": None},
        {"status": "archived"},
        {"category": "unknown"},
        {"slug": "taken-over"},
        {"author": 1},
        {"tags": [""]},
    ],
)
def test_bad_patches_change_nothing(author_client, author, patch) -> None:
    post = PostFactory.create(author=author, title="Stays")
    url = reverse("api:post", kwargs={"slug": post.slug})

    response = send(author_client, "patch", url, patch)

    assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    post.refresh_from_db()
    assert (post.title, post.slug, post.status) == ("Stays", post.slug, "published")


@pytest.mark.parametrize(
    "raw",
    [
        "{}",
        json.dumps({"body": ""}),
        json.dumps({"body": "x" * 10_001}),
        json.dumps({"body": "a\x00"}),
    ],
)
def test_bad_comments_write_nothing(author_client, raw) -> None:
    post = PostFactory.create()
    url = reverse("api:post-comments", kwargs={"slug": post.slug})

    assert_problem(send(author_client, "post", url, raw), HTTPStatus.UNPROCESSABLE_ENTITY)
    assert post.comments.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/naive/post-list/?limit=-1",
        "/api/v1/optimized/post-feed/?limit=1e3",
        "/api/v1/naive/posts-i-commented/",
        "/api/v1/optimized/posts-i-commented/?viewer=abc",
        "/api/v1/naive/deep-pagination/?after=yesterday",
        "/api/v1/optimized/deep-pagination/?page=0",
    ],
)
def test_bad_case_parameters_are_400(client, url) -> None:
    assert_problem(client.get(url), HTTPStatus.BAD_REQUEST)


def test_unknown_user_and_post_are_404(client) -> None:
    assert_problem(client.get("/api/v1/users/nobody/"), HTTPStatus.NOT_FOUND)
    assert_problem(client.get("/api/v1/optimized/post-detail/nope/"), HTTPStatus.NOT_FOUND)


def test_method_not_allowed_is_a_problem(client) -> None:
    response = client.put(POSTS, data="{}", content_type="application/json")

    assert response.status_code in {HTTPStatus.METHOD_NOT_ALLOWED, HTTPStatus.UNAUTHORIZED}
    assert response["Content-Type"] == "application/problem+json"
