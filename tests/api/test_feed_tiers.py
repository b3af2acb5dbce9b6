"""The feed's tiers past the ORM return exactly what the optimized ORM returns, by the same schema.

`values/feed/` builds nested dicts from values() rows; `db-json/feed/` is PostgreSQL's own JSON,
passed through unvalidated, so this is where it is held to the schema.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import pytest
from django.db import connection

from blog.feed_tiers import post_feed_db_json, post_feed_values
from blog.models import Post
from blog.schemas import PostFeedOut
from core.case_api import results_model
from querycheck.testing import assert_constant_queries
from querylab.datasets import build_data
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

FEED_PAGE = results_model(PostFeedOut)


def feed_with_microseconds() -> None:
    """Feed rows, ties in time among them, and one timestamp with microseconds: what a
    hand-made JSON writer gets wrong first."""
    build_data("posts", 8)
    odd = Post.objects.published().newest_first().first()
    assert odd is not None
    assert odd.published_at is not None
    Post.objects.filter(pk=odd.pk).update(published_at=odd.published_at.replace(microsecond=120))


def parsed(body: bytes) -> Any:
    return FEED_PAGE.model_validate_json(body)


def test_values_tier_returns_the_optimized_feed(client: Any) -> None:
    build_data("posts", 8)

    optimized = client.get("/api/v1/optimized/post-feed/", {"limit": 6})
    values = client.get("/api/v1/values/feed/", {"limit": 6})

    assert optimized.status_code == values.status_code == HTTPStatus.OK
    rows = optimized.json()["results"]
    assert len(rows) == 6
    assert all(row["tags"] and row["recent_comments"] for row in rows)
    assert values.json() == optimized.json()
    assert parsed(values.content) == parsed(optimized.content)  # the JSON reads back by its schema


@pytest.mark.parametrize("tier", ["values", "values-orjson"])
def test_values_tiers_write_the_optimized_endpoints_bytes(client: Any, tier: str) -> None:
    """Byte for byte: the TypedDict schema writes what PostFeedOut writes, and orjson (with
    OPT_UTC_Z) what Pydantic writes, microseconds and all."""
    feed_with_microseconds()

    optimized = client.get("/api/v1/optimized/post-feed/", {"limit": 6})
    values = client.get(f"/api/v1/{tier}/feed/", {"limit": 6})

    assert values.status_code == HTTPStatus.OK
    assert values["Content-Type"] == "application/json"
    assert json.loads(optimized.content)["results"]
    assert b'.000120Z"' in optimized.content
    assert values.content == optimized.content


@pytest.mark.parametrize(
    ("tier", "queries"),
    [
        pytest.param(post_feed_values, 3, id="values: 3 queries"),
        pytest.param(post_feed_db_json, 1, id="db-json: 1 query", marks=pytest.mark.postgres),
    ],
)
def test_a_tier_costs_the_same_queries_at_any_size(tier: Any, queries: int) -> None:
    def setup(n: int) -> int:
        build_data("posts", n)
        return n

    assert_constant_queries([1, 5, 20], setup=setup, run=lambda n: tier(limit=n), expected=queries)


@pytest.mark.postgres
def test_database_json_is_the_optimized_feed_by_the_same_schema(client: Any) -> None:
    build_data("posts", 8)

    optimized = client.get("/api/v1/optimized/post-feed/", {"limit": 6})
    database = client.get("/api/v1/db-json/feed/", {"limit": 6})

    assert database.status_code == HTTPStatus.OK
    assert database["Content-Type"] == "application/json"
    page = parsed(database.content)  # the schema check the endpoint itself skips
    assert len(page.results) == 6
    assert page == parsed(optimized.content)


@pytest.mark.postgres
def test_database_json_is_the_optimized_endpoints_json_but_for_white_space(client: Any) -> None:
    """Like against like: the same keys in the same order and the same strings (timestamps end
    in `Z`, microseconds written only when there are any), so the bench compares two ways of
    making one document. Ties in time and a timestamp with microseconds are in the data."""
    feed_with_microseconds()

    optimized = client.get("/api/v1/optimized/post-feed/", {"limit": 6})
    database = client.get("/api/v1/db-json/feed/", {"limit": 6})

    expected = json.dumps(json.loads(optimized.content))
    assert json.loads(optimized.content)["results"]
    assert '.000120Z"' in expected
    assert json.dumps(json.loads(database.content)) == expected


@pytest.mark.postgres
def test_database_json_of_an_empty_feed(client: Any) -> None:
    response = client.get("/api/v1/db-json/feed/")

    assert response.json() == {"results": []}


def test_database_json_is_a_clear_404_where_the_database_cannot_build_it(client: Any) -> None:
    response = client.get("/api/v1/db-json/feed/")

    if connection.vendor == "postgresql":
        assert response.status_code == HTTPStatus.OK
    else:
        body = assert_problem(response, HTTPStatus.NOT_FOUND)
        assert "needs PostgreSQL" in body["detail"]


def test_database_json_rejects_a_bad_limit(client: Any) -> None:
    assert_problem(client.get("/api/v1/db-json/feed/", {"limit": "many"}), HTTPStatus.BAD_REQUEST)
