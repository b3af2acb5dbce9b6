from __future__ import annotations

from http import HTTPStatus

import pytest

from querycheck.testing import assert_constant_queries
from querylab.datasets import build_data
from tests.api.conftest import assert_problem
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_detail_counts_posts_and_comments(client, django_assert_num_queries) -> None:
    user = UserFactory.create(username="ada", profile__location="London")
    PostFactory.create_batch(2, author=user)
    PostFactory.create(author=user, draft=True)
    CommentFactory.create_batch(3, author=user)

    with django_assert_num_queries(1):
        response = client.get("/api/v1/users/ada/")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["username"] == "ada"
    assert body["profile"]["location"] == "London"
    assert (body["published_post_count"], body["comment_count"]) == (2, 3)
    assert "password" not in body
    assert "email" not in body


def test_inactive_users_are_not_found(client) -> None:
    UserFactory.create(username="gone", is_active=False)

    assert_problem(client.get("/api/v1/users/gone/"), HTTPStatus.NOT_FOUND)


def test_user_directory_is_one_query(client) -> None:
    runs = assert_constant_queries(
        [1, 5, 20],
        setup=lambda n: build_data("users", n),
        run=lambda _: client.get("/api/v1/users/"),
    )

    assert [run.total for run in runs] == [1, 1, 1]


def test_no_username_route_can_shadow_your_own_account() -> None:
    """`me` is your account's address: the username route never matches it, whatever the order of
    the routes, and the OpenAPI document says so (a fuzzer asked for user "me" and got your
    account, in a shape the document did not promise)."""
    import re
    from typing import Any

    from django.urls import resolve

    from config.settings.base import SPECTACULAR_SETTINGS

    assert resolve("/api/v1/users/me/").url_name == "me"
    assert resolve("/api/v1/users/meg/").url_name == "user"
    overrides: Any = SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"]
    documented = overrides["username"]["pattern"]
    assert re.fullmatch(documented, "me") is None
    assert re.fullmatch(documented, "meg")
