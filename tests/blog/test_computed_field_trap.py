"""The computed-field trap: a schema field that reads a model property which reads a deferred
column. The list query stays one query; validating the list adds one per row, where no view or
template shows it. The fix counts the body's length in the database and computes from that.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from pydantic import TypeAdapter

from blog import selectors
from blog.models import Post, reading_minutes
from blog.schemas import PostReadingFromPropertyOut, PostReadingOut
from querycheck.testing import QueryCountChangedError, assert_constant_queries
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

SIZES = [1, 5, 20]
FROM_PROPERTY = TypeAdapter(list[PostReadingFromPropertyOut])
FROM_LENGTH = TypeAdapter(list[PostReadingOut])


def make_posts(n: int) -> int:
    for length in range(n):
        PostFactory.create(body="x" * (900 * length + 1))
    return n


def listing(n: int) -> Any:
    """What a list view would pass: the titles' columns only, as post-titles selects them."""
    return Post.objects.published().only("id", "title", "slug", "published_at").newest_first()[:n]


def test_the_property_on_deferred_rows_is_an_n_plus_one() -> None:
    with pytest.raises(QueryCountChangedError) as grew:
        assert_constant_queries(
            SIZES,
            setup=make_posts,
            run=lambda n: FROM_PROPERTY.validate_python(listing(n), from_attributes=True),
        )

    assert "grew" in str(grew.value)  # the explanation marks the body loads as the growing shape


def test_the_computed_field_from_a_database_length_stays_one_query() -> None:
    assert_constant_queries(
        SIZES,
        setup=make_posts,
        run=lambda n: FROM_LENGTH.validate_python(
            selectors.post_reading_list(limit=n), from_attributes=True
        ),
        expected=1,
    )


def test_both_give_the_same_json() -> None:
    make_posts(5)

    naive = FROM_PROPERTY.dump_python(
        FROM_PROPERTY.validate_python(listing(5), from_attributes=True)
    )
    fixed = FROM_LENGTH.dump_python(
        FROM_LENGTH.validate_python(selectors.post_reading_list(limit=5), from_attributes=True)
    )

    assert naive
    assert naive == fixed
    assert sorted(row["reading_time_minutes"] for row in fixed) == [1, 1, 2, 3, 4]
    assert "body_length" not in fixed[0]


def test_reading_minutes_rounds_up_and_is_at_least_one() -> None:
    assert [reading_minutes(n) for n in (0, 1, 1_000, 1_001, 2_500)] == [1, 1, 1, 2, 3]


def test_the_reading_list_endpoint(client) -> None:
    PostFactory.create(body="word " * 500)

    response = client.get("/api/v1/posts/reading-list/?limit=5")

    assert response.status_code == HTTPStatus.OK
    [row] = response.json()["results"]
    assert row["reading_time_minutes"] == 3
    assert set(row) == {"title", "slug", "published_at", "reading_time_minutes"}
