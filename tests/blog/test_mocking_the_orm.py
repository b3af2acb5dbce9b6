"""Why this suite never mocks the ORM: a worked example on the post list.

A common unit test replaces the queryset chain with a mock that returns objects built in memory.
Such a test passes for the naive and the optimized selector alike, with zero queries for both:
the lazy loads that make the naive one slow need a database to happen. The same assertion run
against the real database tells them apart. Mock what leaves the project (outside HTTP, mail),
never the database you are trying to make fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from blog.models import Post
from querycheck.testing import QueryCountError, assert_num_queries
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NAIVE, OPTIMIZED = "/naive/post-list/?limit=5", "/optimized/post-list/?limit=5"


@pytest.fixture
def mocked_orm() -> Iterator[None]:
    """Both selectors' queryset chains return five posts built in memory, authors attached."""
    built = PostFactory.build_batch(5)
    with mock.patch.object(Post.objects, "published") as published:
        chain = published.return_value
        chain.newest_first.return_value.__getitem__.return_value = built
        chain.select_related.return_value.newest_first.return_value.__getitem__.return_value = built
        yield


@pytest.mark.usefixtures("mocked_orm")
@pytest.mark.allow_n_plus_one  # the naive page is requested on purpose
@pytest.mark.parametrize("url", [NAIVE, OPTIMIZED], ids=["naive", "optimized"])
def test_with_a_mocked_orm_both_variants_look_free(client: Any, url: str) -> None:
    with assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) == 5


@pytest.mark.allow_n_plus_one
def test_on_the_real_database_the_naive_variant_is_caught(client: Any) -> None:
    PostFactory.create_batch(5)

    with assert_num_queries(1):
        client.get(OPTIMIZED)
    with (
        pytest.raises(QueryCountError, match=r"^Expected 1 queries, 11 ran\."),
        assert_num_queries(1),
    ):
        client.get(NAIVE)
